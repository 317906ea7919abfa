#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "access_policy.h"
#include "auth_throttle.h"
#include "authenticator.h"
#include "call_policy.h"
#include "gateway_metrics.h"
#include "rate_limiter.h"

namespace gt::gateway {

// What every call through the gateway passes, whichever way it is served:
// the forwarder (completion-queue threads, which must not block) and TokenService
// (sync handlers, which may).
struct Gate {
  const AccessPolicy& policy;
  Authenticator& authenticator;
  RateLimiter& limiter;
  AuthThrottle& throttle;
  GatewayMetrics& metrics;
  DeadlinePolicy deadlines;
  // What the identity it forwards is sealed with (gt::SealIdentity); empty
  // with --insecure_identity.
  std::string identity_key;
};

// One JSON log line per call the gateway answers or forwards: the request id
// (the caller's or the generated one), who called, and how it ended.
struct CallLog {
  absl::string_view method;
  absl::string_view request_id;
  const Identity* identity = nullptr;  // null when authentication failed
  absl::string_view backend;           // empty when not forwarded
  grpc::StatusCode code = grpc::StatusCode::OK;
  absl::Duration latency;
  absl::Duration upstream_latency;
};
void LogCall(const CallLog& call);

// The answer to a call from an address that has failed to authenticate too
// often (AuthThrottle); counted as a rejection.
absl::Status ThrottledAuth(GatewayMetrics& metrics, absl::Duration left);
// On by default (--log_calls): one JSON line per call, who called what and
// how it ended. Off, the gateway logs only errors, as nginx with `access_log
// off` does.
void SetCallLogging(bool on);

// The value of a client metadata key ("" when absent).
std::string ClientHeader(const grpc::ServerContextBase& context, absl::string_view key);

}  // namespace gt::gateway
