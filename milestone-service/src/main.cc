// milestone-service: milestones, progress history, overdue tracking. Wiring
// only.
#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "commit_fanout.h"
#include "grpc_activity_directory.h"
#include "gt/config.h"
#include "gt/service_main.h"
#include "milestone_grpc.h"
#include "milestone_manager.h"
#include "milestone_metrics.h"
#include "mysql_milestone_repository.h"
#include "mysql_period_repository.h"
#include "period_manager.h"
#include "update_bus.h"

ABSL_FLAG(std::string, plan_service_addr, gt::EnvOr("GT_PLAN_SERVICE_ADDR", "127.0.0.1:50051"),
          "plan-service address, asked whether activities exist (env GT_PLAN_SERVICE_ADDR)");
ABSL_FLAG(int, watch_buffer, gt::EnvIntOr("GT_WATCH_BUFFER", 1000),
          "Updates a watcher may fall behind before its stream is ended (env GT_WATCH_BUFFER)");

ABSL_FLAG(int, worker_threads, gt::EnvIntOr("GT_WORKER_THREADS", 0),
          "Threads running calls' database work; 0: as many as --mysql_pool_size "
          "(env GT_WORKER_THREADS)");

ABSL_FLAG(int, update_batch_max, gt::EnvIntOr("GT_UPDATE_BATCH_MAX", 32),
          "Most progress updates and deadline revisions committed in one transaction; 1: each "
          "its own (env GT_UPDATE_BATCH_MAX)");
ABSL_FLAG(int, update_batch_concurrency, gt::EnvIntOr("GT_UPDATE_BATCH_CONCURRENCY", 2),
          "Update transactions running at once; updates arriving meanwhile wait and go in the "
          "next one (env GT_UPDATE_BATCH_CONCURRENCY)");

namespace gt {
const std::vector<Migration>& MilestoneMigrations();
}

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "milestone-service: milestones, their progress history, deadline revisions and overdue "
      "tracking over gRPC. Flags fall back to GT_* environment variables.");
  absl::ParseCommandLine(argc, argv);
  gt::ServiceSpec spec{
      "milestone-service",        50052, 9102, {"goldenthread.v1.MilestoneService"},
      &gt::MilestoneMigrations(),
      /*read_committed=*/true};
  return gt::RunServiceMain(
      spec, [](gt::ConnectionPool* pool, gt::ServiceHost& host) -> absl::StatusOr<gt::Wiring> {
        using namespace gt::milestone;  // NOLINT: wiring of this service's own types
        auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_plan_service_addr),
                                           grpc::InsecureChannelCredentials());
        std::shared_ptr<goldenthread::v1::PlanService::StubInterface> plans =
            goldenthread::v1::PlanService::NewStub(channel);
        auto directory = std::make_shared<GrpcActivityDirectory>(*plans);
        UpdateBatching batching;
        batching.max_batch = std::max(1, absl::GetFlag(FLAGS_update_batch_max));
        batching.max_concurrent = std::max(1, absl::GetFlag(FLAGS_update_batch_concurrency));
        auto repository =
            std::make_shared<MysqlMilestoneRepository>(*pool, batching, &host.registry());
        auto metrics = std::make_shared<MilestoneMetrics>(host.registry(), *repository);
        host.AddCollectable(metrics);
        auto bus = std::make_shared<UpdateBus>();
        host.AddShutdownHook([bus] { bus->Close(); });
        auto manager = std::make_shared<MilestoneManager>(
            *repository, *directory, FanOutCommits(*metrics, *bus), absl::Now, WatchedPlans(*bus));
        auto period_repository = std::make_shared<MysqlPeriodRepository>(*pool);
        auto periods = std::make_shared<PeriodManager>(*period_repository, *directory);
        auto period_metrics = std::make_shared<PeriodMetrics>(*periods);
        host.AddCollectable(period_metrics);
        int workers = absl::GetFlag(FLAGS_worker_threads);
        auto service = std::make_shared<MilestoneGrpcService>(
            *manager, *periods, *bus, static_cast<size_t>(absl::GetFlag(FLAGS_watch_buffer)),
            workers > 0 ? workers : absl::GetFlag(FLAGS_mysql_pool_size));
        gt::Wiring wiring;
        wiring.keep_alive = {plans,   directory,         repository, metrics,        bus,
                             manager, period_repository, periods,    period_metrics, service};
        wiring.services = {service.get()};
        return wiring;
      });
}
