// report-service: the reports a council publishes, built from plan-service
// and milestone-service over gRPC. No database. Wiring only.
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "grpc_report_backend.h"
#include "gt/config.h"
#include "gt/service_main.h"
#include "report_grpc.h"
#include "report_manager.h"

ABSL_FLAG(std::string, plan_service_addr, gt::EnvOr("GT_PLAN_SERVICE_ADDR", "127.0.0.1:50051"),
          "plan-service address (env GT_PLAN_SERVICE_ADDR)");
ABSL_FLAG(std::string, milestone_service_addr,
          gt::EnvOr("GT_MILESTONE_SERVICE_ADDR", "127.0.0.1:50052"),
          "milestone-service address (env GT_MILESTONE_SERVICE_ADDR)");

namespace {

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  // Pages of milestones are large; the sender's limit is what bounds them
  // (report-service asks for smaller pages when a page is refused).
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "report-service: end-of-year, progress, deadline-revision, action-plan and changes "
      "reports as proto, Markdown, HTML, CSV and JSON. Flags fall back to GT_* environment "
      "variables.");
  absl::ParseCommandLine(argc, argv);
  gt::ServiceSpec spec{"report-service", 50053, 9103, {"goldenthread.v1.ReportService"}};
  return gt::RunServiceMain(
      spec, [](gt::ConnectionPool*, gt::ServiceHost&) -> absl::StatusOr<gt::Wiring> {
        using namespace gt::report;  // NOLINT: wiring of this service's own types
        std::shared_ptr<goldenthread::v1::PlanService::StubInterface> plans =
            goldenthread::v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service_addr)));
        std::shared_ptr<goldenthread::v1::MilestoneService::StubInterface> milestones =
            goldenthread::v1::MilestoneService::NewStub(
                Channel(absl::GetFlag(FLAGS_milestone_service_addr)));
        auto backend = std::make_shared<GrpcReportBackend>(*plans, *milestones);
        auto manager = std::make_shared<ReportManager>(*backend);
        auto service = std::make_shared<ReportGrpcService>(*manager);
        gt::Wiring wiring;
        wiring.keep_alive = {plans, milestones, backend, manager, service};
        wiring.services = {service.get()};
        return wiring;
      });
}
