#pragma once

// ReportBackend over gRPC stubs of plan-service and milestone-service.

#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "report_backend.h"

namespace gt::report {

class GrpcReportBackend : public ReportBackend {
 public:
  GrpcReportBackend(goldenthread::v1::PlanService::StubInterface& plans,
                    goldenthread::v1::MilestoneService::StubInterface& milestones)
      : plans_(plans), milestones_(milestones) {}

  absl::StatusOr<goldenthread::v1::PlanTree> PlanTree(const CallDecorator& decorate,
                                                      const std::string& plan) override;
  std::string OrganisationDisplayName(const CallDecorator& decorate,
                                      const std::string& organisation) override;
  absl::StatusOr<std::vector<goldenthread::v1::Milestone>> MilestonesAsOf(
      const CallDecorator& decorate, const std::string& plan, absl::CivilDay as_of,
      std::optional<absl::Time> published_at) override;
  absl::StatusOr<std::vector<goldenthread::v1::MilestoneUpdate>> DeadlineRevisions(
      const CallDecorator& decorate, const std::string& plan) override;
  absl::StatusOr<std::vector<goldenthread::v1::Directorate>> Directorates(
      const CallDecorator& decorate, const std::string& organisation) override;
  absl::StatusOr<std::vector<goldenthread::v1::MeasureValue>> MeasureValues(
      const CallDecorator& decorate, const std::string& plan,
      std::optional<absl::Time> published_at) override;
  absl::StatusOr<std::vector<goldenthread::v1::Period>> Periods(const CallDecorator& decorate,
                                                                const std::string& plan) override;
  absl::StatusOr<goldenthread::v1::Period> RecordPublication(
      const CallDecorator& decorate,
      const goldenthread::v1::RecordPublicationRequest& request) override;

 private:
  goldenthread::v1::PlanService::StubInterface& plans_;
  goldenthread::v1::MilestoneService::StubInterface& milestones_;
};

}  // namespace gt::report
