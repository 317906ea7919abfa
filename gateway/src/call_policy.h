#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "access_policy.h"
#include "gateway_metrics.h"
#include "rate_limiter.h"
#include "token_model.h"

namespace gt::gateway {

// Deadlines of forwarded calls. The client's deadline is kept when it is
// within the cap; a call without one gets the default. Streams (watches) are
// meant to stay open, so they have their own, longer cap, which is also
// their default: a client reconnects and resumes when it passes.
struct DeadlinePolicy {
  absl::Duration default_deadline = absl::Seconds(30);
  absl::Duration max_deadline = absl::Minutes(5);
  absl::Duration max_stream_deadline = absl::Hours(1);
};

// `client_deadline` is absl::InfiniteFuture() when the client set none.
absl::Time UpstreamDeadline(const DeadlinePolicy& policy, absl::Time client_deadline,
                            bool streaming, absl::Time now);

// The request id passed on and logged: the caller's x-request-id when it is a
// reasonable id (1..128 of [A-Za-z0-9._:-]), otherwise a new random one, so
// that logs and label-free tracing never carry arbitrary client bytes.
std::string RequestIdFor(absl::string_view sent);

// Whether a client's metadata entry is passed to the backend. Never the
// credentials, never identity (x-gt-*: the gateway sets those itself after
// verification), never the request id (set separately), nor transport-level
// keys gRPC manages itself.
bool IsForwardedMetadata(absl::string_view key);

// Whether an UNAVAILABLE from the upstream channel is gRPC's own transport
// failure (no connection to the backend) rather than the backend's answer.
// Its text names internal addresses, so the caller gets "<backend> is
// unavailable; retry shortly" instead; the backend's own UNAVAILABLE messages
// ("the database is unavailable; retry shortly") pass through.
bool IsTransportFailure(absl::string_view message);

// After authentication: the per-token rate limit, then the role table (role,
// then directorate scope). On
// RESOURCE_EXHAUSTED, *retry_after says when a call would be admitted.
absl::Status Admit(const Identity& identity, const MethodRule& rule, RateLimiter& limiter,
                   GatewayMetrics& metrics, absl::Time now, absl::Duration* retry_after);

// The key of a token in the rate limiter.
std::string LimiterKey(const Identity& identity);

// Trailing metadata key carrying the wait, in milliseconds, with
// RESOURCE_EXHAUSTED from the rate limit.
inline constexpr char kRetryAfterHeader[] = "retry-after-ms";

}  // namespace gt::gateway
