#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "activity_directory.h"
#include "goldenthread/v1/milestone.pb.h"
#include "gt/caller.h"
#include "period_repository.h"

namespace gt::milestone {

// One series of goldenthread_updates_due.
struct DueGauge {
  std::string organisation, plan, period, directorate;
  goldenthread::v1::DueState state = goldenthread::v1::MISSING;
  int64_t milestones = 0;
};
// One series of goldenthread_period_due_date_seconds.
struct DueDateGauge {
  std::string organisation, plan, period;
  absl::Time due;
};

// The rules of the monitoring round: periods and their states, what is due,
// sign-off, publication and the frozen pack. No gRPC, no SQL.
//
// Who may do what: the gateway's table decides roles (PLANNER administers
// periods and reviews; VIEWER reads); a caller limited to directorates is
// refused period administration (here too, not only at the gateway),
// reviews only updates of its directorates and sees only their due updates.
class PeriodManager {
 public:
  PeriodManager(PeriodRepository& repository, ActivityDirectory& plans,
                std::function<absl::Time()> now = absl::Now)
      : repository_(repository), plans_(plans), now_(std::move(now)) {}

  absl::StatusOr<goldenthread::v1::Period> CreatePeriod(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::CreatePeriodRequest& request);
  absl::StatusOr<goldenthread::v1::CreateQuarterlyPeriodsResponse> CreateQuarterlyPeriods(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::CreateQuarterlyPeriodsRequest& request);
  absl::StatusOr<goldenthread::v1::Period> GetPeriod(
      const Caller& caller, const goldenthread::v1::GetPeriodRequest& request);
  absl::StatusOr<goldenthread::v1::ListPeriodsResponse> ListPeriods(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::ListPeriodsRequest& request);
  absl::StatusOr<goldenthread::v1::Period> OpenPeriod(
      const Caller& caller, const goldenthread::v1::PeriodTransitionRequest& request);
  absl::StatusOr<goldenthread::v1::Period> StartPeriodReview(
      const Caller& caller, const goldenthread::v1::PeriodTransitionRequest& request);
  absl::StatusOr<goldenthread::v1::Period> CancelPeriod(
      const Caller& caller, const goldenthread::v1::PeriodTransitionRequest& request);

  absl::StatusOr<goldenthread::v1::ListDueUpdatesResponse> ListDueUpdates(
      const Caller& caller, const goldenthread::v1::ListDueUpdatesRequest& request);
  absl::StatusOr<goldenthread::v1::UpdateReview> ReviewUpdate(
      const Caller& caller, const goldenthread::v1::ReviewUpdateRequest& request);
  absl::StatusOr<goldenthread::v1::ListUpdateReviewsResponse> ListUpdateReviews(
      const Caller& caller, const goldenthread::v1::ListUpdateReviewsRequest& request);

  absl::StatusOr<goldenthread::v1::Period> RecordPublication(
      const Caller& caller, const goldenthread::v1::RecordPublicationRequest& request);
  absl::StatusOr<goldenthread::v1::PeriodPack> GetPeriodPack(
      const Caller& caller, const goldenthread::v1::GetPeriodPackRequest& request);

  // The gauges, for every period in a round across organisations.
  absl::Status ScrapeDue(std::vector<DueGauge>& due, std::vector<DueDateGauge>& due_dates);

 private:
  absl::StatusOr<PeriodKey> Scoped(const Caller& caller, absl::string_view field,
                                   absl::string_view name);
  // PERMISSION_DENIED for a caller limited to directorates.
  static absl::Status Unlimited(const Caller& caller, absl::string_view method);
  absl::StatusOr<std::vector<goldenthread::v1::Period>> Create(
      const PlanRef& plan, std::vector<PeriodRow> rows, const std::string& request_id,
      const google::protobuf::Message& request, const std::string& method);
  absl::StatusOr<goldenthread::v1::Period> Transition(
      const Caller& caller, const goldenthread::v1::PeriodTransitionRequest& request,
      const std::function<absl::Status(PeriodRow&, absl::Time now)>& change);

  PeriodRepository& repository_;
  ActivityDirectory& plans_;
  std::function<absl::Time()> now_;
};

}  // namespace gt::milestone
