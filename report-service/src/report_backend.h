#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"

namespace grpc {
class ClientContext;
}

namespace gt::report {

// Sets the caller's identity, request id and deadline on an outgoing call
// (gt::PropagateCall at the gRPC edge), so plan-service and milestone-service
// scope and time out each backend call exactly as they would the caller's.
using CallDecorator = std::function<void(grpc::ClientContext&)>;

// What report-service asks of the other services. Every method is a bounded
// number of bulk calls, whatever the size of the plan: one GetPlanTree, one
// GetOrganisation, GetMilestonesAsOf in pages of thousands, the plan's
// history in pages of a thousand.
class ReportBackend {
 public:
  virtual ~ReportBackend() = default;
  virtual absl::StatusOr<goldenthread::v1::PlanTree> PlanTree(const CallDecorator& decorate,
                                                              const std::string& plan) = 0;
  // "" when the organisation cannot be read: a report does not fail for its
  // masthead.
  virtual std::string OrganisationDisplayName(const CallDecorator& decorate,
                                              const std::string& organisation) = 0;
  virtual absl::StatusOr<std::vector<goldenthread::v1::Milestone>> MilestonesAsOf(
      const CallDecorator& decorate, const std::string& plan, absl::CivilDay as_of,
      std::optional<absl::Time> published_at) = 0;
  // The plan's deadline revisions (history rows of that kind only), oldest
  // first.
  virtual absl::StatusOr<std::vector<goldenthread::v1::MilestoneUpdate>> DeadlineRevisions(
      const CallDecorator& decorate, const std::string& plan) = 0;
  // The organisation's directorate table (every page of ListDirectorates),
  // by which reports group directorates.
  virtual absl::StatusOr<std::vector<goldenthread::v1::Directorate>> Directorates(
      const CallDecorator& decorate, const std::string& organisation) = 0;
  // The current value of each date of every measure of the plan (one paged
  // ListMeasureValues on the plan), as they stood at published_at when set.
  virtual absl::StatusOr<std::vector<goldenthread::v1::MeasureValue>> MeasureValues(
      const CallDecorator& decorate, const std::string& plan,
      std::optional<absl::Time> published_at) = 0;
  // The plan's reporting periods (every page of ListPeriods), by start date.
  virtual absl::StatusOr<std::vector<goldenthread::v1::Period>> Periods(
      const CallDecorator& decorate, const std::string& plan) = 0;
  // milestone-service's RecordPublication: checks (validate_only) or stores
  // a period's pack and freezes the period.
  virtual absl::StatusOr<goldenthread::v1::Period> RecordPublication(
      const CallDecorator& decorate, const goldenthread::v1::RecordPublicationRequest& request) = 0;
};

}  // namespace gt::report
