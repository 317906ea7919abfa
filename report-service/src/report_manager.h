#pragma once

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "goldenthread/v1/report.pb.h"
#include "gt/caller.h"
#include "report_backend.h"
#include "report_model.h"

namespace gt::report {

// The rules of report-service: request validation, organisation scoping, what
// to fetch for each report (and nothing per item), building and rendering.
// No gRPC server types and no SQL: the backend is an interface and outgoing
// calls are decorated by the edge.
class ReportManager {
 public:
  explicit ReportManager(ReportBackend& backend, std::function<absl::Time()> now = absl::Now)
      : backend_(backend), now_(std::move(now)) {}

  absl::StatusOr<v1::EndOfYearReport> GetEndOfYearReport(const Caller& caller,
                                                         const CallDecorator& decorate,
                                                         const v1::ReportRequest& request);
  absl::StatusOr<v1::ProgressReport> GetProgressReport(const Caller& caller,
                                                       const CallDecorator& decorate,
                                                       const v1::ProgressReportRequest& request);
  absl::StatusOr<v1::DeadlineRevisionReport> GetDeadlineRevisionReport(
      const Caller& caller, const CallDecorator& decorate, const v1::ReportRequest& request);
  absl::StatusOr<v1::ActionPlanReport> GetActionPlanReport(const Caller& caller,
                                                           const CallDecorator& decorate,
                                                           const v1::ReportRequest& request);
  absl::StatusOr<v1::ChangesReport> GetChangesReport(const Caller& caller,
                                                     const CallDecorator& decorate,
                                                     const v1::ChangesReportRequest& request);
  absl::StatusOr<v1::RenderedReport> RenderReport(const Caller& caller,
                                                  const CallDecorator& decorate,
                                                  const v1::RenderReportRequest& request);
  // Renders the period's pack as published now and has milestone-service
  // store it and freeze the period (publish_period.cc).
  absl::StatusOr<v1::Period> PublishPeriod(const Caller& caller, const CallDecorator& decorate,
                                           const v1::PublishPeriodRequest& request);

 private:
  absl::StatusOr<ReportScope> Scope(const Caller& caller, absl::string_view prefix,
                                    const v1::ReportRequest& request);
  // One GetPlanTree, one GetOrganisation, GetMilestonesAsOf pages; with
  // `directorates`, the organisation's directorate table too.
  // With `measures`, the plan's measure values too (when it has measures).
  absl::StatusOr<PlanData> Fetch(const CallDecorator& decorate, const ReportScope& scope,
                                 bool directorates = false, bool measures = false);
  absl::StatusOr<std::vector<v1::Milestone>> Milestones(const CallDecorator& decorate,
                                                        const ReportScope& scope);

  ReportBackend& backend_;
  std::function<absl::Time()> now_;
};

}  // namespace gt::report
