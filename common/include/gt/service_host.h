#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gt/grpc_metrics.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"

namespace gt {

// grpc.health.v1 service name that is SERVING while the process runs (until
// shutdown), whatever its database does: for liveness probes.
inline constexpr char kLivenessService[] = "liveness";

struct HostOptions {
  // "plan-service": names the process in logs.
  std::string name;
  std::string bind_address = "0.0.0.0";
  // 0: any free port (tests); read the chosen one from grpc_port().
  int grpc_port = 0;
  // 0: any free port; -2: no metrics listener.
  int metrics_port = 0;
  int max_message_bytes = 4 << 20;
  absl::Duration shutdown_grace = absl::Seconds(20);
  absl::Duration shutdown_delay = absl::ZeroDuration();
  // Full proto names of the services hosted, for metrics and health.
  std::vector<std::string> services;
  // Checked every readiness_interval; health is SERVING only while it is OK
  // (e.g. the database answers).
  std::function<absl::Status()> readiness;
  absl::Duration readiness_interval = absl::Seconds(1);
  std::shared_ptr<grpc::ServerCredentials> credentials;  // insecure when null
  bool log_calls = true;
};

// Runs a gRPC server the way every Golden Thread service needs it: health
// (grpc.health.v1, following readiness), reflection, message size limit,
// metrics + call log interceptor, /metrics listener, and graceful shutdown.
class ServiceHost {
 public:
  explicit ServiceHost(HostOptions options);
  ~ServiceHost();

  // Metrics of the process; register families before Start().
  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }
  // Collectables computed at scrape time (e.g. the overdue gauge).
  void AddCollectable(std::weak_ptr<prometheus::Collectable> collectable);

  void AddService(grpc::Service* service);
  // Async services (the gateway's forwarding; call before Start()): `queues`
  // completion queues, each drained by a thread of its own that hands every
  // event to its gt::CqTag. `serve` runs once per queue when the server has
  // started, to post the first requests. Health is then served on those
  // queues as well (gt::AsyncHealthService), so that no callback service
  // starts the callback API's polling threads beside them. The queues end
  // in Shutdown(), after the server and after `quiesce` (when given) has
  // returned: it waits for work that may still post to them (an alarm).
  void ServeAsync(int queues, std::function<void(grpc::ServerCompletionQueue*)> serve,
                  std::function<void()> quiesce = nullptr);
  // Last chance to set builder options (e.g. resource quotas) before Start().
  void Configure(std::function<void(grpc::ServerBuilder&)> fn) { configure_ = std::move(fn); }
  // Run at shutdown, after health turns NOT_SERVING and before in-flight
  // calls are drained: ends long-lived streams (watchers) so the grace period
  // is not spent waiting on them.
  void AddShutdownHook(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }

  // Binds and starts; UNAVAILABLE (with the port in the message) when a port
  // is taken.
  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  grpc::Server* server() { return server_.get(); }

  // Health NOT_SERVING at once, keep serving for shutdown_delay, then stop
  // accepting calls and give in-flight ones up to shutdown_grace. Idempotent.
  // For servers in a process that goes on (tests); a service process that
  // is stopping uses DrainForExit.
  void Shutdown();
  // SIGTERM in a service process: health NOT_SERVING at once (Kubernetes
  // stops routing), keep serving for shutdown_delay, then refuse calls that
  // arrive (gt::ProcessDraining: UNAVAILABLE, nothing done), end long-lived
  // streams (shutdown hooks), and wait until every unary call taken before
  // has finished, at most shutdown_grace. The caller then ends the process
  // without Server::Shutdown, whose answer to calls arriving meanwhile would
  // be CANCELLED (see gt/drain.h): a call that reaches a process gone away
  // hears UNAVAILABLE from its own transport. Returns the unary calls still
  // running when the grace period ended (0 after a clean drain).
  int DrainForExit();
  void Wait();

 private:
  // Readiness checks (when configured) and returning freed heap to the system.
  void HousekeepingLoop();
  // Stops housekeeping, turns health NOT_SERVING and waits shutdown_delay;
  // false when stopping had begun already (or the server never started).
  bool BeginStopping();
  void SetServing(bool serving);

  HostOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  GrpcServerMetrics grpc_metrics_;
  std::vector<grpc::Service*> services_;
  int async_queues_ = 0;
  std::function<void(grpc::ServerCompletionQueue*)> serve_async_;
  std::function<void()> quiesce_async_;
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables_;
  std::function<void(grpc::ServerBuilder&)> configure_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::unique_ptr<grpc::ServerBuilder> builder_;
  // Before server_: the server goes first.
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues_;
  std::vector<std::thread> queue_threads_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool last_serving_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ = false;
  std::thread housekeeping_thread_;
};

// Call first thing in main(), before any thread exists, so every thread
// inherits the mask and SIGTERM/SIGINT are taken only by
// WaitForTerminationSignal().
void BlockTerminationSignals();

// Debian builds abseil without NDEBUG, which leaves absl::Mutex's deadlock
// detection on: every lock of gRPC's own mutexes updated a lock graph, with
// stack traces (perf: about 6 % of the gateway's cycles at 32 callers). The
// services' mains turn it off first thing; in-process tests leave it on.
void SkipMutexDeadlockDetection();
// Blocks until SIGTERM or SIGINT; returns the signal.
int WaitForTerminationSignal();
// After ServiceHost::DrainForExit: logs "stopped" and ends the process at
// once (exit code 0), leaving the server, its connections and the database
// pool to the operating system.
[[noreturn]] void ExitDrained(const std::string& service);

}  // namespace gt
