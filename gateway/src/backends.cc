#include "backends.h"

#include <algorithm>

#include "access_policy.h"

namespace gt::gateway {

Backends::Backends(const std::vector<BackendConfig>& configs, const UpstreamOptions& options) {
  for (const BackendConfig& config : configs) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(options.max_message_bytes);
    args.SetMaxSendMessageSize(options.max_message_bytes);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                static_cast<int>(absl::ToInt64Milliseconds(options.max_reconnect_backoff)));
    // Each channel its own connection: without a local subchannel pool,
    // channels with equal arguments share one.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto backend = std::make_unique<Backend>();
    backend->name = config.name;
    backend->address = config.address;
    for (int i = 0; i < std::max(1, options.connections_per_backend); ++i) {
      // Plaintext inside the cluster, as between the backends themselves;
      // TLS (or a mesh) there is the platform's job.
      backend->stubs.push_back(std::make_unique<grpc::GenericStub>(
          grpc::CreateCustomChannel(config.address, grpc::InsecureChannelCredentials(), args)));
    }
    for (const std::string& service : config.services) {
      by_service_[service] = backend.get();
    }
    backends_.push_back(std::move(backend));
  }
}

const Backends::Backend* Backends::ForService(absl::string_view service) const {
  auto it = by_service_.find(service);
  return it == by_service_.end() ? nullptr : it->second;
}

std::vector<std::string> Backends::names() const {
  std::vector<std::string> out;
  for (const auto& b : backends_) {
    out.push_back(b->name);
  }
  return out;
}

std::vector<BackendConfig> SuiteBackends(const std::string& plan_address,
                                         const std::string& milestone_address,
                                         const std::string& report_address) {
  return {{"plan-service", plan_address, {kPlanService}},
          {"milestone-service", milestone_address, {kMilestoneService}},
          {"report-service", report_address, {kReportService}}};
}

}  // namespace gt::gateway
