// plan-service: organisations and the plan tree. Wiring only.
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "gt/service_main.h"
#include "mysql_plan_repository.h"
#include "plan_grpc.h"
#include "plan_manager.h"

namespace gt {
const std::vector<Migration>& PlanMigrations();
}

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "plan-service: organisations, plans and their tree (priorities, outcomes, activities, "
      "measures) over gRPC. Flags fall back to GT_* environment variables.");
  absl::ParseCommandLine(argc, argv);
  gt::ServiceSpec spec{
      "plan-service", 50051, 9101, {"goldenthread.v1.PlanService"}, &gt::PlanMigrations()};
  return gt::RunServiceMain(
      spec, [](gt::ConnectionPool* pool, gt::ServiceHost&) -> absl::StatusOr<gt::Wiring> {
        auto repository = std::make_shared<gt::plan::MysqlPlanRepository>(*pool);
        auto manager = std::make_shared<gt::plan::PlanManager>(*repository);
        auto service = std::make_shared<gt::plan::PlanGrpcService>(*manager);
        gt::Wiring wiring;
        wiring.keep_alive = {repository, manager, service};
        wiring.services = {service.get()};
        return wiring;
      });
}
