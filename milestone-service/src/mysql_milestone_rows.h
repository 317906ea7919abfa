#pragma once

// Milestone rows as stored: the SQL that the MySQL repository's files
// (mysql_milestone_repository.cc, mysql_milestone_updates.cc) share. Not for
// use elsewhere.
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gt/mysql_pool.h"
#include "milestone_repository.h"

namespace gt::milestone::mysql_rows {

using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

inline constexpr char kMilestoneColumns[] =
    "milestone_id, activity_id, outcome_id, priority_id, priority_position, outcome_position, "
    "activity_position, ordinal, title, lead_officer, directorate, baseline_deadline, "
    "current_deadline, status, percent_complete, latest_comment, completed_date, "
    "revision_count, progress_effective_at, deadline_effective_at, version, create_time, "
    "update_time, deadline_assumed";

inline constexpr char kUpdateColumns[] =
    "update_id, milestone_id, kind, status, percent_complete, comment, previous_deadline, "
    "new_deadline, reason, effective_at, recorded_at, request_id, recorded_by";

// Time as stored: microseconds, the column's precision.
absl::Time Micros(absl::Time t);

// Rows read with kMilestoneColumns / kUpdateColumns first.
MilestoneRow ReadMilestone(sql::ResultSet& rs);
UpdateRow ReadUpdate(sql::ResultSet& rs);

// The connection's last AUTO_INCREMENT id.
int64_t LastInsertId(Session& c);

// The smallest power of two >= n: statements over n keys are padded to it
// (repeating the last key where that is harmless), so that a handful of
// statement texts serve every batch size.
size_t PaddedCount(size_t n);

// Binds a milestone's key (org_id, plan_id, milestone_id) from position i;
// returns the next position.
int BindKey(sql::PreparedStatement& st, int i, const PlanRef& plan, int64_t id);

// Appends history rows in one INSERT; LastInsertId() reads the first one's
// id, and the ids of the others follow in order (increasing, though not
// necessarily consecutive under innodb_autoinc_lock_mode=2).
struct PlannedUpdate {
  const PlanRef* plan;
  const UpdateRow* update;
};
void InsertUpdates(Session& c, const std::vector<PlannedUpdate>& rows);
void InsertUpdate(Session& c, const PlanRef& plan, const UpdateRow& u);

// Writes the folded state of rows back (one UPDATE, whatever the count).
struct PlannedState {
  const PlanRef* plan;
  const MilestoneRow* row;
};
void StoreStates(Session& c, const std::vector<PlannedState>& rows);
void StoreState(Session& c, const PlanRef& plan, const MilestoneRow& row);

// Inserts a new milestone and its first history rows; sets m.row's id,
// state and version, and each history row's ids.
void InsertMilestone(Session& c, const PlanRef& plan, NewMilestone& m, absl::Time now);

// Writes a milestone's descriptive fields (title, ordinal, lead officer,
// directorate, activity and its place), version and update time.
void StoreDescription(Session& c, const PlanRef& plan, const MilestoneRow& row);

// Hides a milestone from now on; its history stays.
void SoftDelete(Session& c, const PlanRef& plan, int64_t id, absl::Time now);

// Locks and reads every live milestone of the plan, in key order.
std::map<int64_t, MilestoneRow> LockPlanMilestones(Session& c, const PlanRef& plan);

// The update ids of history rows just inserted by one INSERT whose first id
// was `first_id`: the rows of each milestone from that id on are this
// transaction's, in order, as it holds the milestones' locks. `rows` are in
// INSERT order; only those in `which` (indexes into rows) are asked.
struct InsertedUpdate {
  const PlanRef* plan;
  UpdateRow* update;
};
void ReadInsertedIds(Session& c, int64_t first_id, const std::vector<InsertedUpdate>& rows,
                     const std::vector<size_t>& which);

// One live milestone, NOT_FOUND when missing or deleted.
absl::StatusOr<MilestoneRow> LoadMilestone(Session& c, const MilestoneKey& key, bool for_update);

// Milestones by (organisation, plan, id).
using RowKey = std::tuple<std::string, std::string, int64_t>;
inline RowKey KeyOf(const MilestoneKey& k) {
  return RowKey(k.plan.organisation, k.plan.plan, k.id);
}

// Locks and reads the milestones (deleted ones are missing from the result),
// in key order, as every writer does: no deadlock between batches. The key
// count is rounded up to a power of two, repeating the last key, so that a
// handful of statement texts serve every batch.
std::map<RowKey, MilestoneRow> LockMilestones(Session& c,
                                              const std::map<RowKey, const MilestoneKey*>& keys);

}  // namespace gt::milestone::mysql_rows
