#pragma once

#include <map>
#include <string>
#include <vector>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "token_model.h"

namespace gt::gateway {

// The gateway's own metrics, beside the grpc_server_* ones ServiceHost keeps.
// Every series exists at 0 from start-up (labels are closed sets), so rates
// and alerts work before the first failure.
//   goldenthread_gateway_auth_failures_total{reason}
//       missing|malformed|unknown|revoked|expired|unavailable
//   goldenthread_gateway_rejections_total{reason}
//       role|directorate_scope|organisation|rate_limited|too_many_streams|
//       bad_request|auth_throttled
//   goldenthread_gateway_upstream_seconds{backend}   (histogram)
class GatewayMetrics {
 public:
  GatewayMetrics(prometheus::Registry& registry, const std::vector<std::string>& backends);

  void CountAuthFailure(AuthFailure failure);
  enum class Rejection {
    kRole,
    // A token limited to directorates calling a whole-plan method.
    kDirectorateScope,
    kOrganisation,
    kRateLimited,
    kTooManyStreams,
    kBadRequest,
    kAuthThrottled
  };
  void CountRejection(Rejection rejection);
  // Time from starting the upstream call to its final status.
  void ObserveUpstream(const std::string& backend, double seconds);

 private:
  prometheus::Family<prometheus::Counter>& auth_failures_;
  prometheus::Family<prometheus::Counter>& rejections_;
  prometheus::Family<prometheus::Histogram>& upstream_;
  std::map<AuthFailure, prometheus::Counter*> auth_failure_counters_;
  std::map<Rejection, prometheus::Counter*> rejection_counters_;
  // Written only in the constructor, so reads need no lock.
  std::map<std::string, prometheus::Histogram*> upstream_histograms_;
};

}  // namespace gt::gateway
