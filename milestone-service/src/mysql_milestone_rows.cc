#include "mysql_milestone_rows.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::milestone::mysql_rows {

namespace v1 = goldenthread::v1;

namespace {

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

}  // namespace

size_t PaddedCount(size_t n) {
  size_t padded = 1;
  while (padded < n) {
    padded *= 2;
  }
  return padded;
}

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
  row.deadline_assumed = rs.getInt(i++) != 0;
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
  size_t padded = PaddedCount(rows.size());
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

void InsertMilestone(Session& c, const PlanRef& plan, NewMilestone& m, absl::Time now) {
  Stmt ins(c.Prepare(
      "INSERT INTO milestones (org_id, plan_id, activity_id, outcome_id, priority_id, "
      "priority_position, outcome_position, activity_position, ordinal, title, lead_officer, "
      "directorate, baseline_deadline, current_deadline, status, percent_complete, "
      "latest_comment, completed_date, revision_count, progress_effective_at, "
      "deadline_effective_at, version, create_time, update_time, deadline_assumed) VALUES (?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, 0, '', NULL, 0, ?, ?, 1, ?, ?, ?)"));
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
  ins->setInt(i++, row.deadline_assumed ? 1 : 0);
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
}

void StoreDescription(Session& c, const PlanRef& plan, const MilestoneRow& row) {
  Stmt st(
      c.Prepare("UPDATE milestones SET title = ?, ordinal = ?, lead_officer = ?, directorate = ?, "
                "activity_id = ?, outcome_id = ?, priority_id = ?, priority_position = ?, "
                "outcome_position = ?, activity_position = ?, deadline_assumed = ?, version = ?, "
                "update_time = ? "
                "WHERE org_id = ? AND plan_id = ? AND milestone_id = ?"));
  int i = 1;
  st->setString(i++, row.title);
  st->setInt(i++, row.ordinal);
  st->setString(i++, row.lead_officer);
  st->setString(i++, row.directorate);
  st->setInt64(i++, row.activity_id);
  st->setInt64(i++, row.outcome_id);
  st->setInt64(i++, row.priority_id);
  st->setInt(i++, row.priority_position);
  st->setInt(i++, row.outcome_position);
  st->setInt(i++, row.activity_position);
  st->setInt(i++, row.deadline_assumed ? 1 : 0);
  st->setInt64(i++, row.version);
  st->setString(i++, FormatDbTime(row.update_time));
  BindKey(*st, i, plan, row.id);
  st->executeUpdate();
}

void SoftDelete(Session& c, const PlanRef& plan, int64_t id, absl::Time now) {
  Stmt st(c.Prepare(
      "UPDATE milestones SET delete_time = ?, update_time = ?, version = version + 1 WHERE "
      "org_id = ? AND plan_id = ? AND milestone_id = ?"));
  st->setString(1, FormatDbTime(now));
  st->setString(2, FormatDbTime(now));
  BindKey(*st, 3, plan, id);
  st->executeUpdate();
}

std::map<int64_t, MilestoneRow> LockPlanMilestones(Session& c, const PlanRef& plan) {
  Stmt st(c.Prepare(absl::StrCat("SELECT ", kMilestoneColumns,
                                 " FROM milestones WHERE org_id = ? AND plan_id = ? AND "
                                 "delete_time IS NULL ORDER BY milestone_id FOR UPDATE")));
  st->setString(1, plan.organisation);
  st->setString(2, plan.plan);
  std::map<int64_t, MilestoneRow> rows;
  Rows rs(st->executeQuery());
  while (rs->next()) {
    MilestoneRow row = ReadMilestone(*rs);
    rows.emplace(row.id, std::move(row));
  }
  return rows;
}

void ReadInsertedIds(Session& c, int64_t first_id, const std::vector<InsertedUpdate>& rows,
                     const std::vector<size_t>& which) {
  std::map<RowKey, std::vector<size_t>> by_milestone;
  for (size_t n = 0; n < rows.size(); ++n) {
    by_milestone[RowKey(rows[n].plan->organisation, rows[n].plan->plan,
                        rows[n].update->milestone_id)]
        .push_back(n);
  }
  Stmt st(
      c.Prepare("SELECT update_id FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND "
                "milestone_id = ? AND update_id >= ? ORDER BY update_id LIMIT ?"));
  std::set<RowKey> asked;
  for (size_t n : which) {
    RowKey key(rows[n].plan->organisation, rows[n].plan->plan, rows[n].update->milestone_id);
    if (!asked.insert(key).second) {
      continue;
    }
    const std::vector<size_t>& mine = by_milestone[key];
    int i = BindKey(*st, 1, *rows[n].plan, rows[n].update->milestone_id);
    st->setInt64(i++, first_id);
    st->setInt(i++, static_cast<int>(mine.size()));
    Rows rs(st->executeQuery());
    for (size_t m : mine) {
      if (rs->next()) {
        rows[m].update->update_id = rs->getInt64(1);
      }
    }
  }
}

absl::StatusOr<MilestoneRow> LoadMilestone(Session& c, const MilestoneKey& key, bool for_update) {
  Stmt st(c.Prepare(absl::StrCat(
      "SELECT ", kMilestoneColumns,
      " FROM milestones WHERE org_id = ? AND plan_id = ? AND milestone_id = ? AND delete_time "
      "IS NULL",
      for_update ? " FOR UPDATE" : "")));
  BindKey(*st, 1, key.plan, key.id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("milestone", MilestoneName(key.plan, key.id));
  }
  return ReadMilestone(*rs);
}

// Locks and reads the milestones (deleted ones are missing from the result),
// in key order, as every writer does: no deadlock between batches. The key
// count is rounded up to a power of two, repeating the last key, so that a
// handful of statement texts serve every batch.
std::map<RowKey, MilestoneRow> LockMilestones(Session& c,
                                              const std::map<RowKey, const MilestoneKey*>& keys) {
  size_t padded = PaddedCount(keys.size());
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
    rows.emplace(RowKey(rs->getString(25), rs->getString(26), row.id), std::move(row));
  }
  return rows;
}

}  // namespace gt::milestone::mysql_rows
