#include "call_policy.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gt::gateway {

absl::Time UpstreamDeadline(const DeadlinePolicy& policy, absl::Time client_deadline,
                            bool streaming, absl::Time now) {
  absl::Duration cap = streaming ? policy.max_stream_deadline : policy.max_deadline;
  if (client_deadline == absl::InfiniteFuture()) {
    return now + (streaming ? cap : std::min(policy.default_deadline, cap));
  }
  return std::min(client_deadline, now + cap);
}

std::string RequestIdFor(absl::string_view sent) {
  bool usable = !sent.empty() && sent.size() <= 128;
  for (char c : sent) {
    if (!(absl::ascii_isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
      usable = false;
      break;
    }
  }
  if (usable) {
    return std::string(sent);
  }
  // Uniqueness matters, secrecy does not: 128 bits from a generator seeded
  // from the system's entropy once per thread, not OpenSSL's DRBG per call.
  thread_local absl::BitGen random;
  return absl::StrFormat("gw-%016x%016x", absl::Uniform<uint64_t>(random),
                         absl::Uniform<uint64_t>(random));
}

bool IsForwardedMetadata(absl::string_view key) {
  // Case-blind without a lowered copy: this runs for every key of every call.
  if (absl::EqualsIgnoreCase(key, "authorization") || absl::EqualsIgnoreCase(key, "x-request-id") ||
      absl::StartsWithIgnoreCase(key, "x-gt-") || absl::StartsWithIgnoreCase(key, "grpc-") ||
      absl::StartsWith(key, ":")) {
    return false;
  }
  for (const char* transport : {"user-agent", "te", "content-type", "host", "connection"}) {
    if (absl::EqualsIgnoreCase(key, transport)) {
      return false;
    }
  }
  return true;
}

bool IsTransportFailure(absl::string_view message) {
  for (const char* marker :
       {"failed to connect to all addresses", "connections to all backends failing",
        "Socket closed", "Connection reset", "Broken pipe", "Connection refused",
        "DNS resolution failed", "empty address list", "Transport closed", "GOAWAY"}) {
    if (absl::StrContains(message, marker)) {
      return true;
    }
  }
  return false;
}

std::string LimiterKey(const Identity& identity) {
  return absl::StrCat(identity.organisation, "/", identity.token_id);
}

absl::Status Admit(const Identity& identity, const MethodRule& rule, RateLimiter& limiter,
                   GatewayMetrics& metrics, absl::Time now, absl::Duration* retry_after) {
  *retry_after = limiter.Admit(LimiterKey(identity), now);
  if (*retry_after > absl::ZeroDuration()) {
    metrics.CountRejection(GatewayMetrics::Rejection::kRateLimited);
    const RateLimitOptions& o = limiter.options();
    return absl::ResourceExhaustedError(absl::StrFormat(
        "rate limit exceeded: this token may make %g calls per second (bursts of %g); retry "
        "after %d ms",
        o.calls_per_second, o.burst, absl::ToInt64Milliseconds(*retry_after)));
  }
  absl::Status role = AccessPolicy::CheckRole(rule, identity.role);
  if (!role.ok()) {
    metrics.CountRejection(GatewayMetrics::Rejection::kRole);
    return role;
  }
  absl::Status scope = AccessPolicy::CheckScope(rule, identity.directorates);
  if (!scope.ok()) {
    metrics.CountRejection(GatewayMetrics::Rejection::kDirectorateScope);
  }
  return scope;
}

}  // namespace gt::gateway
