#include "mysql_milestone_repository.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <istream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "gt/call_deadline.h"
#include "gt/dates.h"
#include "gt/idempotency.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

namespace {

constexpr char kMilestoneColumns[] =
    "milestone_id, activity_id, outcome_id, priority_id, priority_position, outcome_position, "
    "activity_position, ordinal, title, lead_officer, directorate, baseline_deadline, "
    "current_deadline, status, percent_complete, latest_comment, completed_date, "
    "revision_count, progress_effective_at, deadline_effective_at, version, create_time, "
    "update_time";

constexpr char kUpdateColumns[] =
    "update_id, milestone_id, kind, status, percent_complete, comment, previous_deadline, "
    "new_deadline, reason, effective_at, recorded_at, request_id, recorded_by";

// Time as stored: microseconds, the column's precision.
absl::Time Micros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

MilestoneRow ReadMilestone(sql::ResultSet& rs) {
  MilestoneRow row;
  int i = 1;
  row.id = rs.getInt64(i++);
  row.activity_id = rs.getInt64(i++);
  row.outcome_id = rs.getInt64(i++);
  row.priority_id = rs.getInt64(i++);
  row.priority_position = rs.getInt(i++);
  row.outcome_position = rs.getInt(i++);
  row.activity_position = rs.getInt(i++);
  row.ordinal = rs.getInt(i++);
  row.title = rs.getString(i++);
  row.lead_officer = rs.getString(i++);
  row.directorate = rs.getString(i++);
  row.baseline_deadline = GetNullableString(rs, i++);
  row.current_deadline = GetNullableString(rs, i++);
  row.status = rs.getInt(i++);
  row.percent_complete = rs.getInt(i++);
  row.latest_comment = rs.getString(i++);
  row.completed_date = GetNullableString(rs, i++);
  row.revision_count = rs.getInt(i++);
  row.progress_effective_at = ParseDbTime(rs.getString(i++));
  row.deadline_effective_at = ParseDbTime(rs.getString(i++));
  row.version = rs.getInt64(i++);
  row.create_time = ParseDbTime(rs.getString(i++));
  row.update_time = ParseDbTime(rs.getString(i++));
  return row;
}

UpdateRow ReadUpdate(sql::ResultSet& rs) {
  UpdateRow u;
  int i = 1;
  u.update_id = rs.getInt64(i++);
  u.milestone_id = rs.getInt64(i++);
  u.kind = static_cast<v1::UpdateKind>(rs.getInt(i++));
  u.status = rs.getInt(i++);
  u.percent_complete = rs.getInt(i++);
  u.comment = rs.getString(i++);
  u.previous_deadline = GetNullableString(rs, i++);
  u.new_deadline = GetNullableString(rs, i++);
  u.reason = rs.getString(i++);
  u.effective_at = ParseDbTime(rs.getString(i++));
  u.recorded_at = ParseDbTime(rs.getString(i++));
  u.request_id = rs.getString(i++);
  u.recorded_by = rs.getString(i++);
  return u;
}

int64_t LastInsertId(Session& c) {
  std::unique_ptr<sql::Statement> st(c.connection().createStatement());
  Rows rs(st->executeQuery("SELECT LAST_INSERT_ID()"));
  rs->next();
  return rs->getInt64(1);
}

// Appends history rows in one INSERT; LastInsertId() reads the first one's
// id, and the ids of the others follow in order (increasing, though not
// necessarily consecutive under innodb_autoinc_lock_mode=2).
struct PlannedUpdate {
  const PlanRef* plan;
  const UpdateRow* update;
};
void InsertUpdates(Session& c, const std::vector<PlannedUpdate>& rows) {
  std::string sql =
      "INSERT INTO milestone_updates (org_id, plan_id, milestone_id, kind, status, "
      "percent_complete, comment, previous_deadline, new_deadline, reason, effective_at, "
      "recorded_at, request_id, recorded_by) VALUES ";
  for (size_t r = 0; r < rows.size(); ++r) {
    absl::StrAppend(&sql, r == 0 ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }
  Stmt st(c.Prepare(sql));
  int i = 1;
  for (const PlannedUpdate& row : rows) {
    const UpdateRow& u = *row.update;
    st->setString(i++, row.plan->organisation);
    st->setString(i++, row.plan->plan);
    st->setInt64(i++, u.milestone_id);
    st->setInt(i++, u.kind);
    st->setInt(i++, u.status);
    st->setInt(i++, u.percent_complete);
    st->setString(i++, u.comment);
    BindNullableString(*st, i++, u.previous_deadline);
    BindNullableString(*st, i++, u.new_deadline);
    st->setString(i++, u.reason);
    st->setString(i++, FormatDbTime(u.effective_at));
    st->setString(i++, FormatDbTime(u.recorded_at));
    st->setString(i++, u.request_id);
    st->setString(i++, u.recorded_by);
  }
  st->executeUpdate();
}

void InsertUpdate(Session& c, const PlanRef& plan, const UpdateRow& u) {
  InsertUpdates(c, {PlannedUpdate{&plan, &u}});
}

// The columns an update changes, in StoreStates' order.
constexpr const char* kStateColumns[] = {
    "current_deadline", "status",         "percent_complete",      "latest_comment",
    "completed_date",   "revision_count", "progress_effective_at", "deadline_effective_at",
    "version",          "update_time"};

int BindState(sql::PreparedStatement& st, int i, const MilestoneRow& row) {
  BindNullableString(st, i++, row.current_deadline);
  st.setInt(i++, row.status);
  st.setInt(i++, row.percent_complete);
  st.setString(i++, row.latest_comment);
  BindNullableString(st, i++, row.completed_date);
  st.setInt(i++, row.revision_count);
  st.setString(i++, FormatDbTime(row.progress_effective_at));
  st.setString(i++, FormatDbTime(row.deadline_effective_at));
  st.setInt64(i++, row.version);
  st.setString(i++, FormatDbTime(row.update_time));
  return i;
}

int BindKey(sql::PreparedStatement& st, int i, const PlanRef& plan, int64_t id) {
  st.setString(i++, plan.organisation);
  st.setString(i++, plan.plan);
  st.setInt64(i++, id);
  return i;
}

// Writes the folded state of rows back: one row by its key; several in one
// UPDATE joined to their new values (portable to MySQL 8, unlike a VALUES
// table). The row count is rounded up to a power of two, repeating the last
// row, so that a handful of statement texts serve every batch size.
struct PlannedState {
  const PlanRef* plan;
  const MilestoneRow* row;
};
void StoreStates(Session& c, const std::vector<PlannedState>& rows) {
  std::string sql;
  if (rows.size() == 1) {
    sql = "UPDATE milestones SET ";
    for (const char* column : kStateColumns) {
      absl::StrAppend(&sql, column == kStateColumns[0] ? "" : ", ", column, " = ?");
    }
    absl::StrAppend(&sql, " WHERE org_id = ? AND plan_id = ? AND milestone_id = ?");
    Stmt st(c.Prepare(sql));
    int i = BindState(*st, 1, *rows[0].row);
    BindKey(*st, i, *rows[0].plan, rows[0].row->id);
    st->executeUpdate();
    return;
  }
  size_t padded = 2;
  while (padded < rows.size()) {
    padded *= 2;
  }
  sql = "UPDATE milestones m JOIN (";
  for (size_t r = 0; r < padded; ++r) {
    absl::StrAppend(&sql, r == 0 ? "SELECT ? AS o, ? AS p, ? AS id" : " UNION ALL SELECT ?, ?, ?");
    for (const char* column : kStateColumns) {
      absl::StrAppend(&sql, r == 0 ? absl::StrCat(", ? AS ", column) : ", ?");
    }
  }
  absl::StrAppend(&sql, ") v ON m.org_id = v.o AND m.plan_id = v.p AND m.milestone_id = v.id SET ");
  for (const char* column : kStateColumns) {
    absl::StrAppend(&sql, column == kStateColumns[0] ? "" : ", ", "m.", column, " = v.", column);
  }
  Stmt st(c.Prepare(sql));
  int i = 1;
  for (size_t r = 0; r < padded; ++r) {
    const PlannedState& row = rows[std::min(r, rows.size() - 1)];
    i = BindKey(*st, i, *row.plan, row.row->id);
    i = BindState(*st, i, *row.row);
  }
  st->executeUpdate();
}

void StoreState(Session& c, const PlanRef& plan, const MilestoneRow& row) {
  StoreStates(c, {PlannedState{&plan, &row}});
}

absl::StatusOr<MilestoneRow> LoadMilestone(Session& c, const MilestoneKey& key, bool for_update) {
  Stmt st(c.Prepare(absl::StrCat(
      "SELECT ", kMilestoneColumns,
      " FROM milestones WHERE org_id = ? AND plan_id = ? AND milestone_id = ? AND delete_time "
      "IS NULL",
      for_update ? " FOR UPDATE" : "")));
  st->setString(1, key.plan.organisation);
  st->setString(2, key.plan.plan);
  st->setInt64(3, key.id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("milestone", MilestoneName(key.plan, key.id));
  }
  return ReadMilestone(*rs);
}

}  // namespace

OrderCursor CursorOf(const MilestoneRow& row) {
  OrderCursor c;
  c.values[0] = row.priority_position;
  c.values[1] = row.outcome_position;
  c.values[2] = row.activity_position;
  c.values[3] = row.activity_id;
  c.values[4] = row.ordinal;
  c.values[5] = row.id;
  return c;
}

absl::StatusOr<WriteResult<std::vector<MilestoneRow>>> MysqlMilestoneRepository::CreateMilestones(
    const PlanRef& plan, std::vector<NewMilestone> milestones, const RequestKey* request,
    const std::function<std::string(const std::vector<MilestoneRow>&)>& encode) {
  WriteResult<std::vector<MilestoneRow>> result;
  GT_RETURN_IF_ERROR(RunTransaction(
      pool_, absl::Now() + absl::Minutes(2), "CreateMilestones", [&](Session& c) -> absl::Status {
        result.value.clear();
        if (request != nullptr) {
          GT_ASSIGN_OR_RETURN(result.replayed, FindAnswer(c, *request));
          if (result.replayed.has_value()) {
            return absl::OkStatus();
          }
        }
        Stmt ins(c.Prepare(
            "INSERT INTO milestones (org_id, plan_id, activity_id, outcome_id, priority_id, "
            "priority_position, outcome_position, activity_position, ordinal, title, lead_officer, "
            "directorate, baseline_deadline, current_deadline, status, percent_complete, "
            "latest_comment, completed_date, revision_count, progress_effective_at, "
            "deadline_effective_at, version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, "
            "?, "
            "?, ?, ?, ?, ?, ?, NULL, 1, 0, '', NULL, 0, ?, ?, 1, ?, ?)"));
        absl::Time now = Micros(absl::Now());
        for (NewMilestone& m : milestones) {
          MilestoneRow& row = m.row;
          int i = 1;
          ins->setString(i++, plan.organisation);
          ins->setString(i++, plan.plan);
          ins->setInt64(i++, row.activity_id);
          ins->setInt64(i++, row.outcome_id);
          ins->setInt64(i++, row.priority_id);
          ins->setInt(i++, row.priority_position);
          ins->setInt(i++, row.outcome_position);
          ins->setInt(i++, row.activity_position);
          ins->setInt(i++, row.ordinal);
          ins->setString(i++, row.title);
          ins->setString(i++, row.lead_officer);
          ins->setString(i++, row.directorate);
          BindNullableString(*ins, i++, row.baseline_deadline);
          ins->setString(i++, FormatDbTime(Never()));
          ins->setString(i++, FormatDbTime(Never()));
          ins->setString(i++, FormatDbTime(now));
          ins->setString(i++, FormatDbTime(now));
          ins->executeUpdate();
          row.id = LastInsertId(c);
          row.create_time = now;
          row = Initial(row);
          for (UpdateRow& u : m.history) {
            u.milestone_id = row.id;
            u.recorded_at = now;
            InsertUpdate(c, plan, u);
            u.update_id = LastInsertId(c);
            Apply(u, row);
          }
          row.version = 1;
          row.update_time = now;
          StoreState(c, plan, row);
          result.value.push_back(row);
        }
        if (request != nullptr) {
          GT_RETURN_IF_ERROR(StoreAnswer(c, *request, encode(result.value)));
        }
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<MilestoneRow> MysqlMilestoneRepository::GetMilestone(const MilestoneKey& key) {
  return QuerySql<MilestoneRow>(pool_, Deadline(), "GetMilestone",
                                [&](Session& c) { return LoadMilestone(c, key, false); });
}

absl::StatusOr<std::vector<MilestoneRow>> MysqlMilestoneRepository::ListMilestones(
    const PlanRef& plan, const MilestoneFilter& filter, const OrderCursor& after, int limit) {
  std::vector<MilestoneRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListMilestones", [&](Session& c) {
    // Fixed clauses chosen by which filters are set; every value is bound.
    std::string query = absl::StrCat("SELECT ", kMilestoneColumns,
                                     " FROM milestones WHERE org_id = ? AND plan_id = ? AND "
                                     "delete_time IS NULL");
    if (filter.activity_id.has_value()) {
      absl::StrAppend(&query, " AND activity_id = ?");
    }
    if (!filter.statuses.empty()) {
      absl::StrAppend(&query, " AND status IN ",
                      PlaceholderRows(1, static_cast<int>(filter.statuses.size())));
    }
    if (filter.overdue_at.has_value()) {
      absl::StrAppend(&query, " AND current_deadline <= ? AND status NOT IN (4, 5, 6)");
    }
    if (!filter.directorate.empty()) {
      absl::StrAppend(&query, " AND directorate = ?");
    }
    if (!filter.lead_officer.empty()) {
      absl::StrAppend(&query, " AND lead_officer = ?");
    }
    if (!filter.deadline_from.empty()) {
      absl::StrAppend(&query, " AND current_deadline >= ?");
    }
    if (!filter.deadline_to.empty()) {
      absl::StrAppend(&query, " AND current_deadline <= ?");
    }
    if (!after.empty()) {
      absl::StrAppend(&query,
                      " AND (priority_position, outcome_position, activity_position, "
                      "activity_id, ordinal, milestone_id) > (?, ?, ?, ?, ?, ?)");
    }
    absl::StrAppend(&query,
                    " ORDER BY priority_position, outcome_position, activity_position, "
                    "activity_id, ordinal, milestone_id LIMIT ?");
    Stmt st(c.Prepare(query));
    int i = 1;
    st->setString(i++, plan.organisation);
    st->setString(i++, plan.plan);
    if (filter.activity_id.has_value()) {
      st->setInt64(i++, *filter.activity_id);
    }
    for (int32_t status : filter.statuses) {
      st->setInt(i++, status);
    }
    if (filter.overdue_at.has_value()) {
      st->setString(i++, FormatDate(*filter.overdue_at));
    }
    if (!filter.directorate.empty()) {
      st->setString(i++, filter.directorate);
    }
    if (!filter.lead_officer.empty()) {
      st->setString(i++, filter.lead_officer);
    }
    if (!filter.deadline_from.empty()) {
      st->setString(i++, filter.deadline_from);
    }
    if (!filter.deadline_to.empty()) {
      st->setString(i++, filter.deadline_to);
    }
    if (!after.empty()) {
      for (int64_t v : after.values) {
        st->setInt64(i++, v);
      }
    }
    st->setInt(i++, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadMilestone(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<MilestoneRow> MysqlMilestoneRepository::EditMilestone(
    const MilestoneKey& key, const std::function<absl::Status(MilestoneRow&)>& mutate) {
  MilestoneRow row;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "EditMilestone", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(row, LoadMilestone(c, key, true));
    GT_RETURN_IF_ERROR(mutate(row));
    row.version++;
    row.update_time = Micros(absl::Now());
    Stmt st(c.Prepare(
        "UPDATE milestones SET title = ?, ordinal = ?, lead_officer = ?, directorate = ?, "
        "version = ?, update_time = ? WHERE org_id = ? AND plan_id = ? AND milestone_id = ?"));
    st->setString(1, row.title);
    st->setInt(2, row.ordinal);
    st->setString(3, row.lead_officer);
    st->setString(4, row.directorate);
    st->setInt64(5, row.version);
    st->setString(6, FormatDbTime(row.update_time));
    st->setString(7, key.plan.organisation);
    st->setString(8, key.plan.plan);
    st->setInt64(9, key.id);
    st->executeUpdate();
    return absl::OkStatus();
  }));
  return row;
}

absl::Status MysqlMilestoneRepository::DeleteMilestone(
    const MilestoneKey& key, const std::function<absl::Status(const MilestoneRow&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeleteMilestone", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(MilestoneRow row, LoadMilestone(c, key, true));
    GT_RETURN_IF_ERROR(check(row));
    Stmt st(c.Prepare(
        "UPDATE milestones SET delete_time = ?, update_time = ?, version = version + 1 WHERE "
        "org_id = ? AND plan_id = ? AND milestone_id = ?"));
    std::string now = FormatDbTime(Micros(absl::Now()));
    st->setString(1, now);
    st->setString(2, now);
    st->setString(3, key.plan.organisation);
    st->setString(4, key.plan.plan);
    st->setInt64(5, key.id);
    st->executeUpdate();
    return absl::OkStatus();
  });
}

MysqlMilestoneRepository::MysqlMilestoneRepository(ConnectionPool& pool, UpdateBatching batching,
                                                   prometheus::Registry* registry)
    : pool_(pool), batching_(batching) {
  if (registry != nullptr) {
    batch_size_ = &prometheus::BuildHistogram()
                       .Name("goldenthread_milestone_update_batch_size")
                       .Help("Progress updates and deadline revisions per update transaction")
                       .Register(*registry)
                       .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
    batch_retries_ = &prometheus::BuildCounter()
                          .Name("goldenthread_milestone_update_batch_retries_total")
                          .Help("Updates run again alone because their batch's transaction failed")
                          .Register(*registry)
                          .Add({});
  }
}

struct MysqlMilestoneRepository::Pending {
  Pending(const MilestoneKey& key, const RequestKey* request, const UpdateCallbacks& calls)
      : key(key), request(request), calls(calls) {}

  const MilestoneKey& key;
  const RequestKey* request;
  const UpdateCallbacks& calls;
  // The caller's (its gRPC call's), as the thread that runs it may be another's.
  const absl::Time deadline = CurrentCallDeadline();
  // Set by whoever ran the batch, under batch_mu_.
  bool done = false;
  bool alone = false;  // the batch could not settle it: it runs again alone
  std::optional<absl::StatusOr<WriteResult<RecordedUpdate>>> result;
  // Under batch_mu_: its thread is running a batch (and cannot be woken).
  bool leading = false;
  std::condition_variable cv;
};

absl::StatusOr<WriteResult<RecordedUpdate>> MysqlMilestoneRepository::RecordUpdate(
    const MilestoneKey& key, const RequestKey* request, const UpdateCallbacks& calls) {
  Pending self(key, request, calls);
  if (batching_.max_batch <= 1) {
    self.alone = true;
  } else {
    std::unique_lock<std::mutex> lock(batch_mu_);
    queue_.push_back(&self);
    bool may_leave = self.deadline != absl::InfiniteFuture();
    while (!self.done) {
      if (running_ >= batching_.max_concurrent || queue_.empty()) {
        if (!may_leave) {
          self.cv.wait(lock);
          continue;
        }
        if (self.cv.wait_until(lock, absl::ToChronoTime(self.deadline)) ==
                std::cv_status::timeout &&
            !self.done) {
          // The caller gave up while its update queued: unless a batch has
          // taken it already (then it is seen through), it leaves unstarted.
          auto it = std::find(queue_.begin(), queue_.end(), &self);
          if (it != queue_.end()) {
            queue_.erase(it);
            return absl::DeadlineExceededError("the deadline passed before the update started");
          }
          may_leave = false;
        }
        continue;
      }
      std::vector<Pending*> batch = TakeBatch();
      if (batch.empty()) {
        continue;  // all that queued had expired
      }
      ++running_;
      self.leading = true;
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      self.leading = false;
      --running_;
      for (Pending* p : batch) {
        p->done = true;
        if (p != &self) {
          p->cv.notify_one();
        }
      }
      // What queued meanwhile is the next batch: wake a waiter to lead it.
      for (Pending* p : queue_) {
        if (!p->leading) {
          p->cv.notify_one();
          break;
        }
      }
    }
  }
  if (self.alone) {
    self.alone = false;
    RunBatch({&self});
  }
  return *std::move(self.result);
}

std::vector<MysqlMilestoneRepository::Pending*> MysqlMilestoneRepository::TakeBatch() {
  // In arrival order. A repeat of a request id already in the batch waits for
  // the next one, where it finds the first's answer.
  std::vector<Pending*> batch;
  std::set<std::pair<std::string, std::string>> ids;
  absl::Time now = absl::Now();
  for (auto it = queue_.begin();
       it != queue_.end() && batch.size() < static_cast<size_t>(batching_.max_batch);) {
    if ((*it)->deadline <= now) {
      // Its caller gave up while it queued: not started, nothing written.
      (*it)->result = absl::DeadlineExceededError("the deadline passed before the update started");
      (*it)->done = true;
      (*it)->cv.notify_one();
      it = queue_.erase(it);
      continue;
    }
    const RequestKey* request = (*it)->request;
    if (request != nullptr && !ids.emplace(request->organisation, request->request_id).second) {
      ++it;
      continue;
    }
    batch.push_back(*it);
    it = queue_.erase(it);
  }
  return batch;
}

namespace {

using RowKey = std::tuple<std::string, std::string, int64_t>;
RowKey KeyOf(const MilestoneKey& k) { return RowKey(k.plan.organisation, k.plan.plan, k.id); }

// Locks and reads the milestones (deleted ones are missing from the result),
// in key order, as every writer does: no deadlock between batches. The key
// count is rounded up to a power of two, repeating the last key, so that a
// handful of statement texts serve every batch.
std::map<RowKey, MilestoneRow> LockMilestones(Session& c,
                                              const std::map<RowKey, const MilestoneKey*>& keys) {
  size_t padded = 1;
  while (padded < keys.size()) {
    padded *= 2;
  }
  std::string sql =
      absl::StrCat("SELECT ", kMilestoneColumns,
                   ", org_id, plan_id FROM milestones WHERE delete_time IS NULL AND (");
  for (size_t k = 0; k < padded; ++k) {
    absl::StrAppend(&sql, k == 0 ? "" : " OR ",
                    "(org_id = ? AND plan_id = ? AND milestone_id = ?)");
  }
  absl::StrAppend(&sql, ") ORDER BY org_id, plan_id, milestone_id FOR UPDATE");
  Stmt st(c.Prepare(sql));
  int i = 1;
  auto key = keys.begin();
  for (size_t k = 0; k < padded; ++k) {
    i = BindKey(*st, i, key->second->plan, key->second->id);
    if (std::next(key) != keys.end()) {
      ++key;
    }
  }
  std::map<RowKey, MilestoneRow> rows;
  Rows rs(st->executeQuery());
  while (rs->next()) {
    MilestoneRow row = ReadMilestone(*rs);
    rows.emplace(RowKey(rs->getString(24), rs->getString(25), row.id), std::move(row));
  }
  return rows;
}

}  // namespace

void MysqlMilestoneRepository::RunBatch(const std::vector<Pending*>& batch) {
  // Waits (for a connection) as long as the most patient caller of the batch.
  absl::Time deadline = absl::InfinitePast();
  for (const Pending* p : batch) {
    deadline = std::max(deadline, p->deadline);
  }
  ScopedCallDeadline scoped(deadline);
  struct Outcome {
    std::optional<absl::Status> error;
    std::optional<std::string> replayed;
    RecordedUpdate recorded;
    std::string answer;
  };
  std::vector<Outcome> outcomes;
  std::vector<size_t> written;  // indexes of the updates written, in INSERT order
  bool taken = false;
  // A batch with updates on watched plans runs under fanout_mu_ until they
  // are published: their ids are handed out in the order watchers get them,
  // which a watcher relies on (it drops a sequence at or below the last it
  // has). Taken before any row lock, never while holding one.
  std::vector<bool> watched(batch.size());
  std::unique_lock<std::mutex> fanout(fanout_mu_, std::defer_lock);
  for (size_t n = 0; n < batch.size(); ++n) {
    watched[n] = batch[n]->calls.want_update_id();
    if (watched[n] && !fanout.owns_lock()) {
      fanout.lock();
    }
  }

  // The ids of the given written updates: the rows of each milestone from
  // the INSERT's first id on are this transaction's, in order, as it has held
  // the milestone's lock since before the INSERT.
  auto assign_ids = [&](Session& c, const std::vector<size_t>& which) {
    std::map<RowKey, std::vector<size_t>> by_milestone;
    for (size_t n : written) {
      by_milestone[KeyOf(batch[n]->key)].push_back(n);
    }
    int64_t first = LastInsertId(c);
    Stmt st(
        c.Prepare("SELECT update_id FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND "
                  "milestone_id = ? AND update_id >= ? ORDER BY update_id LIMIT ?"));
    std::set<RowKey> asked;
    for (size_t n : which) {
      RowKey key = KeyOf(batch[n]->key);
      if (!asked.insert(key).second) {
        continue;
      }
      const std::vector<size_t>& mine = by_milestone[key];
      int i = BindKey(*st, 1, batch[n]->key.plan, batch[n]->key.id);
      st->setInt64(i++, first);
      st->setInt(i++, static_cast<int>(mine.size()));
      Rows rs(st->executeQuery());
      for (size_t m : mine) {
        if (rs->next()) {
          outcomes[m].recorded.update.update_id = rs->getInt64(1);
        }
      }
    }
  };

  absl::Status status = RunTransaction(
      pool_, Deadline(), "RecordUpdate",
      [&](Session& c) -> absl::Status {
        outcomes.assign(batch.size(), Outcome{});
        written.clear();
        taken = false;
        std::map<RowKey, const MilestoneKey*> keys;
        for (const Pending* p : batch) {
          keys.emplace(KeyOf(p->key), &p->key);
        }
        std::map<RowKey, MilestoneRow> rows = LockMilestones(c, keys);
        // Decide in arrival order, each on the state the ones before it left.
        for (size_t n = 0; n < batch.size(); ++n) {
          const Pending& p = *batch[n];
          Outcome& out = outcomes[n];
          auto row = rows.find(KeyOf(p.key));
          if (row == rows.end()) {
            out.error = NotFound("milestone", MilestoneName(p.key.plan, p.key.id));
            continue;
          }
          absl::StatusOr<UpdateRow> decided = p.calls.decide(row->second);
          if (!decided.ok()) {
            // A repeat of a request that succeeded may no longer pass the
            // checks (its etag is stale now): it gets the first answer.
            if (p.request != nullptr) {
              absl::StatusOr<std::optional<std::string>> first = FindAnswer(c, *p.request);
              if (!first.ok()) {
                out.error = first.status();
                continue;
              }
              if (first->has_value()) {
                out.replayed = std::move(*first);
                continue;
              }
            }
            out.error = decided.status();
            continue;
          }
          UpdateRow update = *std::move(decided);
          update.milestone_id = p.key.id;
          update.recorded_at = Micros(absl::Now());
          update.effective_at = Micros(update.effective_at);
          Apply(update, row->second);
          row->second.version++;
          row->second.update_time = update.recorded_at;
          out.recorded = RecordedUpdate{row->second, std::move(update)};
          if (p.request != nullptr) {
            out.answer = p.calls.encode(out.recorded);
          }
          written.push_back(n);
        }
        if (written.empty()) {
          return absl::OkStatus();
        }
        // The answers are known before anything is written: claiming the
        // request ids and storing the answers is one INSERT, and a repeat
        // stops here having written nothing.
        std::vector<Claim> claims;
        for (size_t n : written) {
          if (batch[n]->request != nullptr) {
            claims.push_back(Claim{batch[n]->request, &outcomes[n].answer});
          }
        }
        if (!ClaimRequests(c, claims)) {
          if (batch.size() > 1) {
            // Which one is a repeat? Each goes again alone.
            taken = true;
            return absl::AbortedError("a request id of the batch is taken");
          }
          Outcome& out = outcomes[0];
          absl::StatusOr<std::optional<std::string>> first = FindAnswer(c, *batch[0]->request);
          if (!first.ok()) {
            return first.status();
          }
          if (!first->has_value()) {
            // Taken and gone again (its transaction rolled back): retry.
            return absl::AbortedError(absl::StrCat("request_id '", batch[0]->request->request_id,
                                                   "' is being processed; retry"));
          }
          out.replayed = std::move(*first);
          written.clear();
          return absl::OkStatus();
        }
        std::vector<PlannedUpdate> history;
        std::map<RowKey, PlannedState> states;  // the last state of each milestone
        std::vector<size_t> wanted;
        for (size_t n : written) {
          const Pending& p = *batch[n];
          history.push_back(PlannedUpdate{&p.key.plan, &outcomes[n].recorded.update});
          states[KeyOf(p.key)] = PlannedState{&p.key.plan, &rows.at(KeyOf(p.key))};
          if (watched[n]) {
            wanted.push_back(n);
          }
        }
        InsertUpdates(c, history);
        if (!wanted.empty()) {
          assign_ids(c, wanted);
        }
        std::vector<PlannedState> changed;
        for (const auto& [key, state] : states) {
          changed.push_back(state);
        }
        StoreStates(c, changed);
        return absl::OkStatus();
      },
      [&](Session& c) {
        // A watcher that subscribed while the transaction ran is owed these
        // updates too (published possibly out of order with another
        // transaction's: it is the moment it subscribed).
        std::vector<size_t> late;
        for (size_t n : written) {
          if (!watched[n] && batch[n]->calls.want_update_id()) {
            late.push_back(n);
          }
        }
        if (!late.empty()) {
          assign_ids(c, late);
        }
      });
  if (batch_size_ != nullptr) {
    batch_size_->Observe(static_cast<double>(batch.size()));
  }
  if (!status.ok() || taken) {
    if (batch.size() == 1) {
      batch[0]->result = status;
      return;
    }
    for (Pending* p : batch) {
      p->alone = true;
    }
    if (batch_retries_ != nullptr) {
      batch_retries_->Increment(static_cast<double>(batch.size()));
    }
    return;
  }
  for (size_t n : written) {
    batch[n]->calls.on_commit(outcomes[n].recorded);
  }
  if (fanout.owns_lock()) {
    fanout.unlock();
  }
  for (size_t n = 0; n < batch.size(); ++n) {
    Outcome& out = outcomes[n];
    if (out.error.has_value()) {
      batch[n]->result = *std::move(out.error);
      continue;
    }
    WriteResult<RecordedUpdate> result;
    if (out.replayed.has_value()) {
      result.replayed = std::move(out.replayed);
    } else {
      result.value = std::move(out.recorded);
    }
    batch[n]->result = std::move(result);
  }
}

absl::StatusOr<std::vector<UpdateRow>> MysqlMilestoneRepository::ListUpdates(
    const PlanRef& plan, std::optional<int64_t> milestone_id, int64_t after_update_id,
    bool oldest_first, int limit) {
  std::vector<UpdateRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListUpdates", [&](Session& c) {
    if (milestone_id.has_value()) {
      // History outlives deletion, but a milestone that never existed is
      // NOT_FOUND rather than an empty history.
      Stmt exists(c.Prepare(
          "SELECT 1 FROM milestones WHERE org_id = ? AND plan_id = ? AND milestone_id = ?"));
      exists->setString(1, plan.organisation);
      exists->setString(2, plan.plan);
      exists->setInt64(3, *milestone_id);
      if (!Rows(exists->executeQuery())->next()) {
        return NotFound("milestone", MilestoneName(plan, *milestone_id));
      }
    }
    std::string query = absl::StrCat("SELECT ", kUpdateColumns,
                                     " FROM milestone_updates WHERE org_id = ? AND plan_id = ?");
    if (milestone_id.has_value()) {
      absl::StrAppend(&query, " AND milestone_id = ?");
    }
    absl::StrAppend(&query, oldest_first ? " AND update_id > ? ORDER BY update_id LIMIT ?"
                                         : " AND update_id < ? ORDER BY update_id DESC LIMIT ?");
    Stmt st(c.Prepare(query));
    int i = 1;
    st->setString(i++, plan.organisation);
    st->setString(i++, plan.plan);
    if (milestone_id.has_value()) {
      st->setInt64(i++, *milestone_id);
    }
    st->setInt64(i++, after_update_id);
    st->setInt(i++, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadUpdate(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<MilestoneRow>> MysqlMilestoneRepository::StateAsOf(
    const PlanRef& plan, absl::Time effective_before, std::optional<absl::Time> recorded_before,
    int64_t offset, int64_t limit) {
  std::vector<MilestoneRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "StateAsOf", [&](Session& c) {
    // Milestones that existed then: created before publication, not deleted
    // before it (without a publication instant: not deleted now). The same
    // page of them is chosen twice, for the rows and for their history.
    std::string published = recorded_before.has_value() ? FormatDbTime(*recorded_before) : "";
    const std::string page = absl::StrCat(
        "FROM milestones WHERE org_id = ? AND plan_id = ? AND ",
        recorded_before.has_value()
            ? "create_time < ? AND (delete_time IS NULL OR delete_time >= ?)"
            : "delete_time IS NULL",
        " ORDER BY priority_position, outcome_position, activity_position, activity_id, "
        "ordinal, milestone_id LIMIT ?, ?");
    auto bind_page = [&](sql::PreparedStatement& st, int i) {
      st.setString(i++, plan.organisation);
      st.setString(i++, plan.plan);
      if (recorded_before.has_value()) {
        st.setString(i++, published);
        st.setString(i++, published);
      }
      st.setInt64(i++, offset);
      st.setInt64(i++, limit);
      return i;
    };
    Stmt ms(c.Prepare(absl::StrCat("SELECT ", kMilestoneColumns, " ", page)));
    bind_page(*ms, 1);
    Rows rs(ms->executeQuery());
    std::unordered_map<int64_t, size_t> index;
    while (rs->next()) {
      MilestoneRow row = Initial(ReadMilestone(*rs));
      index[row.id] = out.size();
      out.push_back(std::move(row));
    }
    Stmt hs(c.Prepare(absl::StrCat(
        "SELECT ", kUpdateColumns, " FROM milestone_updates JOIN (SELECT milestone_id ", page,
        ") page USING (milestone_id) WHERE org_id = ? AND plan_id = ? AND effective_at < ?",
        recorded_before.has_value() ? " AND recorded_at < ?" : "",
        " ORDER BY milestone_id, effective_at, update_id")));
    int i = bind_page(*hs, 1);
    hs->setString(i++, plan.organisation);
    hs->setString(i++, plan.plan);
    hs->setString(i++, FormatDbTime(effective_before));
    if (recorded_before.has_value()) {
      hs->setString(i++, published);
    }
    Rows hrs(hs->executeQuery());
    while (hrs->next()) {
      UpdateRow u = ReadUpdate(*hrs);
      auto it = index.find(u.milestone_id);
      if (it != index.end()) {
        Apply(u, out[it->second]);
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

namespace {

std::vector<ScrapeRow> ReadScrape(sql::ResultSet& rs) {
  std::vector<ScrapeRow> out;
  while (rs.next()) {
    ScrapeRow row;
    row.organisation = rs.getString(1);
    row.plan = rs.getString(2);
    row.status = rs.getInt(3);
    row.directorate = rs.getString(4);
    row.milestones = rs.getInt64(5);
    row.overdue = rs.getInt64(6);
    row.last_update = ParseDbTime(rs.getString(7));
    out.push_back(std::move(row));
  }
  return out;
}

constexpr char kScrapeColumns[] =
    "SELECT org_id, plan_id, status, directorate, COUNT(*), "
    "SUM(CASE WHEN current_deadline <= ? THEN 1 ELSE 0 END), MAX(update_time) "
    "FROM milestones WHERE delete_time IS NULL";

}  // namespace

absl::StatusOr<std::vector<ScrapeRow>> MysqlMilestoneRepository::Scrape(absl::CivilDay day) {
  std::vector<ScrapeRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "Scrape", [&](Session& c) {
    Stmt st(
        c.Prepare(absl::StrCat(kScrapeColumns, " GROUP BY org_id, plan_id, status, directorate")));
    st->setString(1, FormatDate(day));
    Rows rs(st->executeQuery());
    out = ReadScrape(*rs);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ScrapeRow>> MysqlMilestoneRepository::ScrapePlan(const PlanRef& plan,
                                                                            absl::CivilDay day) {
  std::vector<ScrapeRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ScrapePlan", [&](Session& c) {
    Stmt st(
        c.Prepare(absl::StrCat(kScrapeColumns,
                               " AND org_id = ? AND plan_id = ? GROUP BY org_id, plan_id, status, "
                               "directorate")));
    st->setString(1, FormatDate(day));
    st->setString(2, plan.organisation);
    st->setString(3, plan.plan);
    Rows rs(st->executeQuery());
    out = ReadScrape(*rs);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<std::pair<PlanRef, absl::Time>>>
MysqlMilestoneRepository::PlanChanges() {
  std::vector<std::pair<PlanRef, absl::Time>> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "PlanChanges", [&](Session& c) {
    std::unique_ptr<sql::Statement> st(c.connection().createStatement());
    Rows rs(st->executeQuery(
        "SELECT org_id, plan_id, MAX(update_time) FROM milestones GROUP BY org_id, plan_id"));
    while (rs->next()) {
      out.emplace_back(PlanRef{rs->getString(1), rs->getString(2)}, ParseDbTime(rs->getString(3)));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gt::milestone
