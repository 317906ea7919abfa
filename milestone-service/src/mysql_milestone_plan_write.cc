// milestone-service's plan-wide writes: WritePlan (see MilestoneRepository).
#include "absl/strings/str_cat.h"
#include "gt/idempotency.h"
#include "gt/status.h"
#include "mysql_milestone_repository.h"
#include "mysql_milestone_rows.h"

namespace gt::milestone {

using namespace mysql_rows;  // NOLINT: this repository's own row helpers

absl::StatusOr<WriteResult<PlanWrite>> MysqlMilestoneRepository::WritePlan(
    const PlanRef& plan, const RequestKey* request, const PlanWriteCallbacks& calls) {
  WriteResult<PlanWrite> result;
  // Update ids are handed out in the order watchers get them (see RunBatch):
  // a write watchers wait for runs under fanout_mu_, taken before any lock.
  std::unique_lock<std::mutex> fanout(fanout_mu_, std::defer_lock);
  if (calls.want_update_ids && !calls.dry_run) {
    fanout.lock();
  }
  bool dry_run_decided = false;  // a dry run's rollback is its success
  absl::Status status = RunTransaction(
      pool_, absl::Now() + absl::Minutes(2), "WritePlan", [&](Session& c) -> absl::Status {
        result = WriteResult<PlanWrite>{};
        dry_run_decided = false;
        if (request != nullptr && !calls.dry_run) {
          GT_ASSIGN_OR_RETURN(result.replayed, FindAnswer(c, *request));
          if (result.replayed.has_value()) {
            return absl::OkStatus();
          }
        }
        PlanWrite& out = result.value;
        out.rows = LockPlanMilestones(c, plan);
        GT_ASSIGN_OR_RETURN(PlanDecision changes, calls.decide(out.rows));
        if (calls.dry_run) {
          out.history = std::move(changes.history);
          for (NewMilestone& m : changes.created) {
            out.created.push_back(std::move(m.row));
          }
          out.removed = std::move(changes.removed);
          dry_run_decided = true;
          return absl::AbortedError("dry run: rolled back");
        }
        const absl::Time now = Micros(absl::Now());
        std::set<int64_t> touched = changes.edited;
        for (UpdateRow& u : changes.history) {
          u.recorded_at = now;
          u.effective_at = Micros(u.effective_at);
          touched.insert(u.milestone_id);
        }
        for (int64_t id : changes.removed) {
          touched.erase(id);
          SoftDelete(c, plan, id, now);
          out.rows.erase(id);
        }
        if (!changes.history.empty()) {
          std::vector<PlannedUpdate> planned;
          for (const UpdateRow& u : changes.history) {
            planned.push_back(PlannedUpdate{&plan, &u});
          }
          InsertUpdates(c, planned);
          if (calls.want_update_ids) {
            std::vector<InsertedUpdate> inserted;
            std::vector<size_t> all;
            for (UpdateRow& u : changes.history) {
              all.push_back(inserted.size());
              inserted.push_back(InsertedUpdate{&plan, &u});
            }
            ReadInsertedIds(c, LastInsertId(c), inserted, all);
          }
        }
        std::vector<PlannedState> states;
        for (int64_t id : touched) {
          MilestoneRow& row = out.rows.at(id);
          row.version++;
          row.update_time = now;
          if (changes.edited.count(id) > 0) {
            StoreDescription(c, plan, row);
          }
          states.push_back(PlannedState{&plan, &row});
        }
        if (!states.empty()) {
          StoreStates(c, states);
        }
        for (NewMilestone& m : changes.created) {
          InsertMilestone(c, plan, m, now);
          out.rows.emplace(m.row.id, m.row);
          out.created.push_back(m.row);
        }
        out.history = std::move(changes.history);
        out.removed = std::move(changes.removed);
        if (request != nullptr) {
          GT_RETURN_IF_ERROR(StoreAnswer(c, *request, calls.encode(out)));
        }
        return absl::OkStatus();
      });
  if (dry_run_decided) {
    return result;
  }
  GT_RETURN_IF_ERROR(status);
  if (!result.replayed.has_value() && calls.on_commit) {
    calls.on_commit(result.value);
  }
  return result;
}

}  // namespace gt::milestone
