#include "gt/grpc_metrics.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gt/drain.h"
#include "gt/log.h"

namespace gt {
namespace {

using RpcType = grpc::experimental::ServerRpcInfo::Type;
using Hook = grpc::experimental::InterceptionHookPoints;

const char* TypeName(RpcType type) {
  switch (type) {
    case RpcType::UNARY:
      return "unary";
    case RpcType::CLIENT_STREAMING:
      return "client_stream";
    case RpcType::SERVER_STREAMING:
      return "server_stream";
    default:
      return "bidi_stream";
  }
}

const std::vector<double>& HandlingBuckets() {
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

class CallObserver : public grpc::experimental::Interceptor {
 public:
  CallObserver(GrpcServerMetrics::Method& method, const char* path, bool log_calls,
               std::atomic<int>* in_flight)
      : method_(method),
        path_(path),
        log_calls_(log_calls),
        in_flight_(in_flight),
        start_(absl::Now()) {
    method_.started->Increment();
    // A call taken once the process drains is refused at once; the drain
    // waits only for the calls taken before.
    if (ProcessDraining()) {
      in_flight_ = nullptr;
    }
    if (in_flight_ != nullptr) {
      in_flight_->fetch_add(1);
    }
  }

  ~CallObserver() override {
    if (!finished_) {
      // The call ended without a status from the handler: the client went away.
      Finish(grpc::StatusCode::CANCELLED);
    }
    if (in_flight_ != nullptr) {
      in_flight_->fetch_sub(1);
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find("x-request-id");
      if (it != metadata->end()) {
        request_id_.assign(it->second.data(), std::min<size_t>(it->second.size(), 128));
      }
    }
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::StatusCode code) {
    finished_ = true;
    double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    int index = static_cast<int>(code);
    if (index < 0 || index >= GrpcServerMetrics::kCodes) {
      index = static_cast<int>(grpc::StatusCode::UNKNOWN);
    }
    method_.handled[index]->Increment();
    method_.seconds->Observe(seconds);
    if (log_calls_) {
      LogInfo("call", {{"method", path_},
                       {"code", GrpcServerMetrics::CodeName(index)},
                       {"latency_ms", absl::StrFormat("%.3f", seconds * 1000), true},
                       {"request_id", request_id_}});
    }
  }

  GrpcServerMetrics::Method& method_;
  const char* path_;
  bool log_calls_;
  std::atomic<int>* in_flight_;  // unary calls only
  absl::Time start_;
  std::string request_id_;
  bool finished_ = false;
};

}  // namespace

const char* GrpcServerMetrics::CodeName(int code) {
  static const char* const kNames[kCodes] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  return code >= 0 && code < kCodes ? kNames[code] : "Unknown";
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success "
                         "or failure.")
                   .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Histogram of response latency (seconds) of gRPC that had been "
                         "application-level handled by the server.")
                   .Register(registry)) {}

GrpcServerMetrics::Method& GrpcServerMetrics::Register(
    std::unordered_map<std::string, std::unique_ptr<Method>>& into, const std::string& path,
    const std::string& type) {
  auto& slot = into[path];
  if (slot) {
    return *slot;
  }
  // path is "/package.Service/Method".
  size_t slash = path.rfind('/');
  std::string service = path.substr(1, slash - 1);
  std::string method = path.substr(slash + 1);
  prometheus::Labels labels = {
      {"grpc_type", type}, {"grpc_service", service}, {"grpc_method", method}};
  slot = std::make_unique<Method>();
  slot->started = &started_.Add(labels);
  slot->seconds = &seconds_.Add(labels, HandlingBuckets());
  for (int code = 0; code < kCodes; ++code) {
    prometheus::Labels with_code = labels;
    with_code["grpc_code"] = CodeName(code);
    slot->handled[code] = &handled_.Add(with_code);
  }
  return *slot;
}

void GrpcServerMetrics::PreRegister(const std::vector<std::string>& services) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& name : services) {
    const auto* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service == nullptr) {
      LogError("metrics: unknown service", {{"service", name}});
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      RpcType type =
          m->client_streaming()
              ? (m->server_streaming() ? RpcType::BIDI_STREAMING : RpcType::CLIENT_STREAMING)
              : (m->server_streaming() ? RpcType::SERVER_STREAMING : RpcType::UNARY);
      Register(known_, absl::StrCat("/", name, "/", m->name()), TypeName(type));
    }
  }
}

GrpcServerMetrics::Method& GrpcServerMetrics::ForMethod(const std::string& path, RpcType type) {
  if (auto known = known_.find(path); known != known_.end()) {
    return *known->second;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = methods_.find(path);
  if (it != methods_.end()) {
    return *it->second;
  }
  // Only methods the process knows get series of their own: any caller can
  // send made-up method names, and each would otherwise add series forever.
  size_t slash = path.rfind('/');
  bool known = slash != std::string::npos && slash > 1 &&
               google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
                   absl::StrCat(path.substr(1, slash - 1), ".", path.substr(slash + 1))) != nullptr;
  return Register(methods_, known ? path : "/unknown/unknown", TypeName(type));
}

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(
      metrics_.ForMethod(info->method(), info->type()), info->method(), log_calls_,
      info->type() == RpcType::UNARY ? &metrics_.unary_in_flight_counter() : nullptr);
}

}  // namespace gt
