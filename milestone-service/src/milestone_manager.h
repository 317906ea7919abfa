#pragma once

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "activity_directory.h"
#include "goldenthread/v1/milestone.pb.h"
#include "gt/caller.h"
#include "in_doubt_updates.h"
#include "milestone_repository.h"

namespace gt::milestone {

// Told of every committed history row (not replays), after the commit.
// Told of every committed update. Its update_id (the watch sequence) is 0
// unless the SequenceWanted predicate said the plan wanted it.
using CommitListener = std::function<void(const PlanRef&, const UpdateRow&)>;
using SequenceWanted = std::function<bool(const PlanRef&)>;

// The rules of milestone-service: validation, organisation scoping, the
// progress rules (COMPLETED means 100%, DELAYED needs its explanation, no
// updates from the future), idempotency keys, etags, as-of reconstruction
// and overdue counting. No gRPC, no SQL.
class MilestoneManager {
 public:
  MilestoneManager(MilestoneRepository& repository, ActivityDirectory& activities,
                   CommitListener on_commit, std::function<absl::Time()> now = absl::Now,
                   SequenceWanted sequence_wanted = nullptr)
      : repository_(repository),
        activities_(activities),
        on_commit_(std::move(on_commit)),
        now_(std::move(now)),
        sequence_wanted_(std::move(sequence_wanted)) {}

  absl::StatusOr<goldenthread::v1::Milestone> CreateMilestone(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::CreateMilestoneRequest& request);
  absl::StatusOr<goldenthread::v1::BatchCreateMilestonesResponse> BatchCreateMilestones(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::BatchCreateMilestonesRequest& request);
  absl::StatusOr<goldenthread::v1::Milestone> GetMilestone(
      const Caller& caller, const goldenthread::v1::GetMilestoneRequest& request);
  absl::StatusOr<goldenthread::v1::ListMilestonesResponse> ListMilestones(
      const Caller& caller, const goldenthread::v1::ListMilestonesRequest& request);
  absl::StatusOr<goldenthread::v1::Milestone> UpdateMilestone(
      const Caller& caller, const goldenthread::v1::UpdateMilestoneRequest& request);
  absl::Status DeleteMilestone(const Caller& caller,
                               const goldenthread::v1::DeleteMilestoneRequest& request);

  absl::StatusOr<goldenthread::v1::Milestone> UpdateMilestoneProgress(
      const Caller& caller, const goldenthread::v1::UpdateMilestoneProgressRequest& request);
  absl::StatusOr<goldenthread::v1::Milestone> ReviseDeadline(
      const Caller& caller, const goldenthread::v1::ReviseDeadlineRequest& request);
  // All or nothing, in one transaction (milestone_bulk.cc).
  absl::StatusOr<goldenthread::v1::BatchCreateMilestoneUpdatesResponse> BatchCreateMilestoneUpdates(
      const Caller& caller, const goldenthread::v1::BatchCreateMilestoneUpdatesRequest& request);
  absl::StatusOr<goldenthread::v1::ReconcileMilestonesResponse> ReconcileMilestones(
      const Caller& caller, absl::Time deadline,
      const goldenthread::v1::ReconcileMilestonesRequest& request);
  absl::StatusOr<goldenthread::v1::ListMilestoneUpdatesResponse> ListMilestoneUpdates(
      const Caller& caller, const goldenthread::v1::ListMilestoneUpdatesRequest& request);

  absl::StatusOr<goldenthread::v1::GetMilestonesAsOfResponse> GetMilestonesAsOf(
      const Caller& caller, const goldenthread::v1::GetMilestonesAsOfRequest& request);
  absl::StatusOr<goldenthread::v1::CountOverdueResponse> CountOverdue(
      const Caller& caller, const goldenthread::v1::CountOverdueRequest& request);

  // Validates a watch and returns the plan to subscribe to.
  absl::StatusOr<PlanRef> WatchTarget(
      const Caller& caller, const goldenthread::v1::WatchMilestoneUpdatesRequest& request);
  // History after a position, oldest first, for resuming watchers.
  absl::StatusOr<std::vector<goldenthread::v1::MilestoneUpdate>> UpdatesAfter(const PlanRef& plan,
                                                                              int64_t sequence,
                                                                              int limit);

 private:
  absl::StatusOr<std::vector<goldenthread::v1::Milestone>> Create(
      const Caller& caller, absl::Time deadline, const std::string& parent,
      const std::vector<const goldenthread::v1::CreateMilestoneRequest*>& requests,
      const std::string& request_id, const google::protobuf::Message& body,
      const std::string& method);
  // A new milestone from its fields (named under `prefix`) and first state.
  absl::StatusOr<NewMilestone> NewMilestoneOf(
      const Caller& caller, const PlanRef& plan, const goldenthread::v1::Milestone& m,
      absl::string_view prefix, std::optional<google::protobuf::Timestamp> effective_at,
      absl::string_view effective_field, absl::string_view reason, absl::string_view reason_field,
      const std::string& request_id);
  // Copies each new milestone's place in the plan (positions of its
  // activity, outcome and priority) from plan-service; NOT_FOUND for an
  // activity not in the plan.
  absl::Status Place(const Caller& caller, absl::Time deadline, const PlanRef& plan,
                     std::vector<NewMilestone>& rows);
  // Runs a plan-wide write (answer encoded with `respond`, history rows told
  // to on_commit_) and answers it, or the first answer for a repeat.
  template <typename Response>
  absl::StatusOr<Response> WriteWhole(const PlanRef& plan, const std::optional<RequestKey>& request,
                                      PlanWriteCallbacks& calls,
                                      const std::function<Response(const PlanWrite&)>& respond);
  absl::StatusOr<MilestoneKey> Scoped(const Caller& caller, absl::string_view field,
                                      absl::string_view name);
  // The plan named by `field`, the caller's (parsed; no call made).
  absl::StatusOr<PlanRef> ScopedPlan(const Caller& caller, absl::string_view field,
                                     absl::string_view name);
  // NOT_FOUND for a missing plan, exactly as for another organisation's:
  // asks plan-service, so called once the request is otherwise valid, just
  // before the plan is read.
  absl::Status RequirePlan(const Caller& caller, const PlanRef& plan);
  // Appends the history row `decide` makes of the locked current state,
  // idempotently by request id; tells on_commit_ of new rows, and of rows
  // whose commit was in doubt once a retry proves it (InDoubtUpdates).
  // After a write with a request id: when its commit is in doubt
  // (UNAVAILABLE, DEADLINE_EXCEEDED), remembers the history rows it decided;
  // when a retry finds the stored answer (`replayed`), tells on_commit_ of
  // them, once (InDoubtUpdates).
  void SettleInDoubt(const std::optional<RequestKey>& request, const PlanRef& plan,
                     const absl::Status& status, bool replayed, std::vector<UpdateRow> decided);
  absl::StatusOr<goldenthread::v1::Milestone> Record(
      const Caller& caller, const MilestoneKey& key, const google::protobuf::Message& request,
      const std::string& request_id, const std::string& method,
      const std::function<absl::StatusOr<UpdateRow>(const MilestoneRow&)>& decide);
  absl::StatusOr<absl::Time> EffectiveAt(absl::string_view field,
                                         const google::protobuf::Timestamp& given);

  MilestoneRepository& repository_;
  ActivityDirectory& activities_;
  CommitListener on_commit_;
  std::function<absl::Time()> now_;
  SequenceWanted sequence_wanted_;
  InDoubtUpdates in_doubt_;
};

}  // namespace gt::milestone
