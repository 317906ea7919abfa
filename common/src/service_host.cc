#include "gt/service_host.h"

#include <grpcpp/ext/health_check_service_server_builder_option.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <malloc.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gt/async_health.h"
#include "gt/cq_tag.h"
#include "gt/drain.h"
#include "gt/log.h"

namespace gt {

ServiceHost::ServiceHost(HostOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()),
      grpc_metrics_(*registry_) {}

ServiceHost::~ServiceHost() {
  Shutdown();
  Wait();
}

void ServiceHost::AddCollectable(std::weak_ptr<prometheus::Collectable> collectable) {
  collectables_.push_back(std::move(collectable));
}

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

void ServiceHost::ServeAsync(int queues, std::function<void(grpc::ServerCompletionQueue*)> serve,
                             std::function<void()> quiesce) {
  async_queues_ = std::max(1, queues);
  serve_async_ = std::move(serve);
  quiesce_async_ = std::move(quiesce);
}

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (!builder_) {
    builder_ = std::make_unique<grpc::ServerBuilder>();
  }
  grpc::ServerBuilder& builder = *builder_;
  // gRPC turns SO_REUSEPORT on; a stale server would then silently share our
  // port. We want "address in use" instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Long-lived client connections would pin each client to the replicas that
  // existed when it connected; ageing them out lets new replicas take load.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  auto credentials =
      options_.credentials ? options_.credentials : grpc::InsecureServerCredentials();
  builder.AddListeningPort(absl::StrCat(options_.bind_address, ":", options_.grpc_port),
                           credentials, &grpc_port_);
  for (grpc::Service* service : services_) {
    builder.RegisterService(service);
  }
  AsyncHealthService* async_health = nullptr;
  if (async_queues_ > 0) {
    // The server owns it once built.
    async_health = new AsyncHealthService();
    builder.RegisterService(async_health->service());
    builder.SetOption(std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(
        std::unique_ptr<grpc::HealthCheckServiceInterface>(async_health)));
    for (int i = 0; i < async_queues_; ++i) {
      queues_.push_back(builder.AddCompletionQueue());
    }
  }
  grpc_metrics_.PreRegister(options_.services);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<CallObserverFactory>(grpc_metrics_, options_.log_calls));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  if (configure_) {
    configure_(builder);
  }

  if (options_.metrics_port != -2) {
    std::string address = absl::StrCat(options_.bind_address, ":", options_.metrics_port);
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat("cannot listen for /metrics on ", address,
                                                 " (is the port in use?): ", e.what()));
    }
    exposer_->RegisterCollectable(registry_);
    for (const auto& c : collectables_) {
      exposer_->RegisterCollectable(c);
    }
    auto ports = exposer_->GetListeningPorts();
    metrics_port_ = ports.empty() ? 0 : ports.front();
  }

  server_ = builder.BuildAndStart();
  if (!server_ || grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", options_.bind_address,
                                               ":", options_.grpc_port, " (is the port in use?)"));
  }
  for (auto& queue : queues_) {
    async_health->Serve(queue.get());
    serve_async_(queue.get());
    queue_threads_.emplace_back([cq = queue.get()] {
      void* tag;
      bool ok;
      while (cq->Next(&tag, &ok)) {
        static_cast<CqTag*>(tag)->Proceed(ok);
      }
    });
  }
  // Start NOT_SERVING until readiness says otherwise. "liveness" says only
  // that the process answers: a database outage must make the service
  // unready, not get it restarted.
  SetServing(options_.readiness ? false : true);
  if (auto* health = server_->GetHealthCheckService()) {
    health->SetServingStatus(kLivenessService, true);
  }
  housekeeping_thread_ = std::thread([this] { HousekeepingLoop(); });
  LogInfo("listening", {{"service", options_.name},
                        {"grpc_port", absl::StrCat(grpc_port_), true},
                        {"metrics_port", absl::StrCat(metrics_port_), true}});
  return absl::OkStatus();
}

void ServiceHost::SetServing(bool serving) {
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) {
    return;
  }
  // Not the name-less overload: it would also flip "liveness".
  health->SetServingStatus("", serving);
  for (const std::string& service : options_.services) {
    health->SetServingStatus(service, serving);
  }
}

void ServiceHost::HousekeepingLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  absl::Time last_trim = absl::Now();
  while (!stopping_) {
    lock.unlock();
    if (absl::Now() - last_trim > absl::Seconds(10)) {
      // glibc keeps what a large request freed (a 2,500-milestone batch, a
      // 10,000-milestone report) in the arena of the thread that served it:
      // an idle milestone-service held 49 MiB, 27 MiB after a trim. Hand it
      // back now and then, in every service.
      malloc_trim(0);
      last_trim = absl::Now();
    }
    std::optional<absl::Status> ready;
    if (options_.readiness) {
      ready = options_.readiness();
    }
    lock.lock();
    if (stopping_) {
      break;
    }
    bool serving = !ready.has_value() || ready->ok();
    if (ready.has_value() && serving != last_serving_) {
      last_serving_ = serving;
      SetServing(serving);
      if (serving) {
        LogInfo("ready", {{"service", options_.name}});
      } else {
        LogError("not ready", {{"service", options_.name}, {"reason", ready->message()}});
      }
    }
    cv_.wait_for(lock, absl::ToChronoNanoseconds(options_.readiness_interval));
  }
}

bool ServiceHost::BeginStopping() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || !server_) {
      stopping_ = true;
      return false;
    }
    stopping_ = true;
  }
  cv_.notify_all();
  if (housekeeping_thread_.joinable()) {
    housekeeping_thread_.join();
  }
  LogInfo("shutting down", {{"service", options_.name}});
  // Health first: load balancers and watchers see NOT_SERVING while we still
  // answer, for shutdown_delay.
  if (auto* health = server_->GetHealthCheckService()) {
    health->Shutdown();
  }
  if (options_.shutdown_delay > absl::ZeroDuration()) {
    absl::SleepFor(options_.shutdown_delay);
  }
  return true;
}

int ServiceHost::DrainForExit() {
  if (!BeginStopping()) {
    return 0;
  }
  StartProcessDrain();
  for (const auto& hook : shutdown_hooks_) {
    hook();
  }
  // A call the server matched just before the drain began may not be
  // counted yet when first looked at: the count must be 0 twice, 20 ms apart.
  const absl::Time give_up = absl::Now() + options_.shutdown_grace;
  int quiet = 0;
  int left = grpc_metrics_.unary_in_flight();
  while (quiet < 2 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
    left = grpc_metrics_.unary_in_flight();
    quiet = left == 0 ? quiet + 1 : 0;
  }
  if (left > 0) {
    LogError("calls still running at the end of the grace period",
             {{"service", options_.name}, {"calls", absl::StrCat(left), true}});
  }
  return left;
}

void ServiceHost::Shutdown() {
  if (!BeginStopping()) {
    return;
  }
  for (const auto& hook : shutdown_hooks_) {
    hook();
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  // Every call is over now; what the queues still hold are the requests
  // posted for calls that will never come.
  if (quiesce_async_) {
    quiesce_async_();
  }
  for (auto& queue : queues_) {
    queue->Shutdown();
  }
  for (std::thread& thread : queue_threads_) {
    thread.join();
  }
  shut_down_ = true;
}

void ServiceHost::Wait() {
  if (server_) {
    server_->Wait();
  }
}

void SkipMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ExitDrained(const std::string& service) {
  LogInfo("stopped", {{"service", service}});
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
}

int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

}  // namespace gt
