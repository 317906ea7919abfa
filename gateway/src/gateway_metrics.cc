#include "gateway_metrics.h"

namespace gt::gateway {

GatewayMetrics::GatewayMetrics(prometheus::Registry& registry,
                               const std::vector<std::string>& backends)
    : auth_failures_(prometheus::BuildCounter()
                         .Name("goldenthread_gateway_auth_failures_total")
                         .Help("Calls refused UNAUTHENTICATED (or UNAVAILABLE when the token "
                               "store is down), by reason.")
                         .Register(registry)),
      rejections_(prometheus::BuildCounter()
                      .Name("goldenthread_gateway_rejections_total")
                      .Help("Authenticated calls the gateway answered itself without "
                            "forwarding, by reason.")
                      .Register(registry)),
      upstream_(prometheus::BuildHistogram()
                    .Name("goldenthread_gateway_upstream_seconds")
                    .Help("Latency of forwarded calls as seen from the gateway, from the start "
                          "of the upstream call to its status, by backend.")
                    .Register(registry)) {
  for (AuthFailure f : {AuthFailure::kMissing, AuthFailure::kMalformed, AuthFailure::kUnknown,
                        AuthFailure::kRevoked, AuthFailure::kExpired, AuthFailure::kUnavailable}) {
    auth_failure_counters_[f] = &auth_failures_.Add({{"reason", AuthFailureName(f)}});
  }
  const std::pair<Rejection, const char*> rejections[] = {
      {Rejection::kRole, "role"},
      {Rejection::kDirectorateScope, "directorate_scope"},
      {Rejection::kOrganisation, "organisation"},
      {Rejection::kRateLimited, "rate_limited"},
      {Rejection::kTooManyStreams, "too_many_streams"},
      {Rejection::kAuthThrottled, "auth_throttled"},
      {Rejection::kBadRequest, "bad_request"}};
  for (const auto& [rejection, name] : rejections) {
    rejection_counters_[rejection] = &rejections_.Add({{"reason", name}});
  }
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  for (const std::string& backend : backends) {
    upstream_histograms_[backend] = &upstream_.Add({{"backend", backend}}, buckets);
  }
}

void GatewayMetrics::CountAuthFailure(AuthFailure failure) {
  auth_failure_counters_.at(failure)->Increment();
}

void GatewayMetrics::CountRejection(Rejection rejection) {
  rejection_counters_.at(rejection)->Increment();
}

void GatewayMetrics::ObserveUpstream(const std::string& backend, double seconds) {
  auto it = upstream_histograms_.find(backend);
  if (it != upstream_histograms_.end()) {
    it->second->Observe(seconds);
  }
}

}  // namespace gt::gateway
