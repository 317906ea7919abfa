#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gt/request_key.h"
#include "milestone_model.h"

namespace gt::milestone {

struct MilestoneFilter {
  std::optional<int64_t> activity_id;
  std::set<int32_t> statuses;
  std::optional<absl::CivilDay> overdue_at;
  std::string directorate;
  std::string lead_officer;
  std::string deadline_from;
  std::string deadline_to;
};

// Position in document order: (priority, outcome, activity positions,
// activity id, ordinal, id).
struct OrderCursor {
  int64_t values[6] = {-1, 0, 0, 0, 0, 0};
  bool empty() const { return values[0] < 0; }
};
OrderCursor CursorOf(const MilestoneRow& row);

// A new milestone and the history rows that give its first state.
struct NewMilestone {
  MilestoneRow row;                // identity, baseline, positions
  std::vector<UpdateRow> history;  // CREATED (+ DEADLINE_REVISION)
};

// An idempotent write's answer, or the first answer when it is a repeat.
template <typename T>
struct WriteResult {
  T value;
  std::optional<std::string> replayed;  // serialized first response
};

struct RecordedUpdate {
  MilestoneRow milestone;
  UpdateRow update;
};

// What RecordUpdate asks of its caller.
struct UpdateCallbacks {
  std::function<absl::StatusOr<UpdateRow>(const MilestoneRow&)> decide;
  std::function<std::string(const RecordedUpdate&)> encode;
  std::function<bool()> want_update_id;
  std::function<void(const RecordedUpdate&)> on_commit;
};

// What a plan-wide write (WritePlan) changes, decided on the plan's locked
// live milestones. The decider edits `rows` in place (descriptive fields of
// the ids in `edited`; history folded in with Apply) and lists the rows to
// append, the milestones to create and the ids to remove.
struct PlanDecision {
  std::set<int64_t> edited;        // title, ordinal, lead officer, directorate, activity
  std::vector<UpdateRow> history;  // appended in this order, milestone_id set
  std::vector<NewMilestone> created;
  std::vector<int64_t> removed;  // soft-deleted, history kept
};
// What a plan-wide write wrote.
struct PlanWrite {
  std::map<int64_t, MilestoneRow> rows;  // the plan's live milestones after it
  std::vector<MilestoneRow> created;     // with their ids
  // Appended to milestones that existed, with update ids when asked for
  // (created milestones' first rows are in their NewMilestone).
  std::vector<UpdateRow> history;
  std::vector<int64_t> removed;
};
struct PlanWriteCallbacks {
  std::function<absl::StatusOr<PlanDecision>(std::map<int64_t, MilestoneRow>&)> decide;
  // The answer stored for the request id; not called when nothing is written.
  std::function<std::string(const PlanWrite&)> encode;
  bool want_update_ids = false;
  // After the commit (not for a repeat, not for a dry run).
  std::function<void(const PlanWrite&)> on_commit;
  bool dry_run = false;  // decide, roll back, answer what would be written
};

// One group of the metrics scrape.
struct ScrapeRow {
  std::string organisation, plan, directorate;
  int32_t status = 0;
  int64_t milestones = 0;
  int64_t overdue = 0;  // current deadline on or before the given day
  absl::Time last_update;
};

// Storage of milestone-service. Every call is scoped by organisation and plan.
class MilestoneRepository {
 public:
  virtual ~MilestoneRepository() = default;

  // All in one transaction. `encode` makes the response stored for the
  // request id (when given).
  virtual absl::StatusOr<WriteResult<std::vector<MilestoneRow>>> CreateMilestones(
      const PlanRef& plan, std::vector<NewMilestone> milestones, const RequestKey* request,
      const std::function<std::string(const std::vector<MilestoneRow>&)>& encode) = 0;

  virtual absl::StatusOr<MilestoneRow> GetMilestone(const MilestoneKey& key) = 0;
  virtual absl::StatusOr<std::vector<MilestoneRow>> ListMilestones(const PlanRef& plan,
                                                                   const MilestoneFilter& filter,
                                                                   const OrderCursor& after,
                                                                   int limit) = 0;
  // Descriptive fields only; `mutate` sees the current row under a lock.
  virtual absl::StatusOr<MilestoneRow> EditMilestone(
      const MilestoneKey& key, const std::function<absl::Status(MilestoneRow&)>& mutate) = 0;
  virtual absl::Status DeleteMilestone(
      const MilestoneKey& key, const std::function<absl::Status(const MilestoneRow&)>& check) = 0;

  // Locks the milestone, lets `decide` turn the current state into a history
  // row, appends it and folds it into the current row, in one transaction
  // (which may be shared with concurrent updates: see the implementation).
  // With a request id seen before, returns the first answer and writes
  // nothing (whatever `decide` says now). `decide` and `encode` may run more
  // than once; `encode` sees the new state before the history row has its
  // update_id. The update_id (the watch sequence) costs one more round trip
  // and is read only when `want_update_id()` says so; otherwise it stays 0.
  // `on_commit` runs once the update is committed (not for a repeat), before
  // RecordUpdate returns, for concurrent updates in the order of their ids.
  virtual absl::StatusOr<WriteResult<RecordedUpdate>> RecordUpdate(
      const MilestoneKey& key, const RequestKey* request, const UpdateCallbacks& calls) = 0;

  // A write over many milestones of a plan in one transaction: every live
  // milestone of the plan is locked (in key order, as RecordUpdate locks),
  // `decide` says what changes, and all of it is written or none. With a
  // request id seen before, returns the first answer and writes nothing.
  virtual absl::StatusOr<WriteResult<PlanWrite>> WritePlan(const PlanRef& plan,
                                                           const RequestKey* request,
                                                           const PlanWriteCallbacks& calls) = 0;

  // History of one milestone (milestone_id set) or of the plan; only rows
  // of one kind when `kind` is set.
  virtual absl::StatusOr<std::vector<UpdateRow>> ListUpdates(
      const PlanRef& plan, std::optional<int64_t> milestone_id,
      std::optional<goldenthread::v1::UpdateKind> kind, int64_t after_update_id, bool oldest_first,
      int limit) = 0;

  // The plan's milestones as they stood at `effective_before` (history rows
  // effective before it), counting only rows recorded before
  // `recorded_before` when set; in document order, `limit` of them from
  // position `offset`. A page reads only its own milestones' history.
  virtual absl::StatusOr<std::vector<MilestoneRow>> StateAsOf(
      const PlanRef& plan, absl::Time effective_before, std::optional<absl::Time> recorded_before,
      int64_t offset = 0, int64_t limit = kAllRows) = 0;
  static constexpr int64_t kAllRows = int64_t{1} << 62;

  // For the gauges, computed at scrape time across all organisations.
  virtual absl::StatusOr<std::vector<ScrapeRow>> Scrape(absl::CivilDay day) = 0;
  // The same groups for one plan.
  virtual absl::StatusOr<std::vector<ScrapeRow>> ScrapePlan(const PlanRef& plan,
                                                            absl::CivilDay day) = 0;
  // When each plan's milestones last changed (any write, deletes included).
  virtual absl::StatusOr<std::vector<std::pair<PlanRef, absl::Time>>> PlanChanges() = 0;
};

}  // namespace gt::milestone
