#include "gate.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gt/grpc_metrics.h"
#include "gt/log.h"

namespace gt::gateway {

namespace {
std::atomic<bool> call_logging{true};
}  // namespace

void SetCallLogging(bool on) { call_logging.store(on, std::memory_order_relaxed); }

void LogCall(const CallLog& call) {
  if (!call_logging.load(std::memory_order_relaxed)) {
    return;
  }
  std::string latency = absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(call.latency));
  std::string upstream = absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(call.upstream_latency));
  std::string role =
      call.identity != nullptr ? goldenthread::v1::Role_Name(call.identity->role) : std::string();
  LogInfo("call", {{"method", call.method},
                   {"code", GrpcServerMetrics::CodeName(static_cast<int>(call.code))},
                   {"latency_ms", latency, true},
                   {"request_id", call.request_id},
                   {"organisation", call.identity != nullptr ? call.identity->organisation : ""},
                   {"subject", call.identity != nullptr ? call.identity->subject : ""},
                   {"role", role},
                   {"backend", call.backend},
                   {"upstream_ms", upstream, true}});
}

std::string ClientHeader(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) {
    return {};
  }
  return std::string(it->second.data(), it->second.size());
}

absl::Status ThrottledAuth(GatewayMetrics& metrics, absl::Duration left) {
  metrics.CountRejection(GatewayMetrics::Rejection::kAuthThrottled);
  return absl::ResourceExhaustedError(
      absl::StrCat("too many failed authentications from this address; retry in ",
                   absl::ToInt64Seconds(absl::Ceil(left, absl::Seconds(1))), " s"));
}

}  // namespace gt::gateway
