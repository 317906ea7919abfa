#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <map>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace gt {

// grpc.health.v1.Health on the async API, for a server whose calls are all
// served by its own completion-queue threads (ServiceHost::ServeAsync).
// gRPC's default health service is a callback one: the mere presence of a
// callback service starts the callback API's polling threads, which then
// take turns with the queue threads at every poll (bench/run.sh --proxy: a
// bare async forwarder costs 72 µs of CPU a call alone, 110 µs with the
// default health service beside it).
//
// Behaves as the default one does: Check answers a service's status, or
// NOT_FOUND for a name never set; Watch sends the status at once
// (SERVICE_UNKNOWN for a name never set) and again at every change; after
// Shutdown every service is NOT_SERVING for good, and open watches are sent
// that and then ended (UNAVAILABLE), so that they do not hold up the
// server's shutdown.
class AsyncHealthService final : public grpc::HealthCheckServiceInterface {
 public:
  grpc::Service* service() { return &service_; }
  // Posts the first Check and Watch requests on a queue of the server's;
  // once per queue, after the server has started.
  void Serve(grpc::ServerCompletionQueue* cq);

  void SetServingStatus(const std::string& service_name, bool serving) override;
  void SetServingStatus(bool serving) override;
  void Shutdown() override;

 private:
  struct Call;
  class CheckCall;
  class WatchCall;
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // The status of a name; SERVICE_UNKNOWN when it was never set.
  ServingStatus StatusOf(const std::string& name) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Tells every watcher of `name` (every watcher when empty) its status.
  void Notify(const std::string* name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  grpc::health::v1::Health::AsyncService service_;
  mutable absl::Mutex mu_;
  std::map<std::string, bool> serving_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::set<WatchCall*> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gt
