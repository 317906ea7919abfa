// Measure values (append-only history) and measure targets (issue 19).
// Values are read and written in measure_value_history only; the table
// measure_values of 0001 is no longer used (schema/0004 copied its rows).
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gt/idempotency.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "mysql_plan_repository.h"

namespace gt::plan {

using goldenthread::v1::MeasureTarget;
using goldenthread::v1::MeasureValue;
using goldenthread::v1::Plan;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

namespace sqlrows {

const char* const kItemDependentTables[2] = {"measure_value_history", "measure_targets"};

std::map<int64_t, std::vector<MeasureTarget>> LoadTargets(Session& conn, const PlanKey& plan,
                                                          const std::vector<int64_t>& ids) {
  std::string filter;
  std::vector<int64_t> bound = ids;
  if (!ids.empty()) {
    // The list is padded (with its last id) to a power of two, so a page of
    // any size prepares one of a dozen statements, not one per size.
    size_t n = 1;
    while (n < ids.size()) {
      n *= 2;
    }
    bound.resize(n, ids.back());
    filter = absl::StrCat(" AND item_id IN ", PlaceholderRows(1, static_cast<int>(n)));
  }
  Stmt st(conn.Prepare(absl::StrCat(
      "SELECT item_id, from_date, to_date, target_value, target_text, label FROM measure_targets "
      "WHERE org_id = ? AND plan_id = ?",
      filter, " ORDER BY item_id, ordinal")));
  int i = 1;
  st->setString(i++, plan.organisation);
  st->setString(i++, plan.plan);
  for (int64_t id : bound) {
    st->setInt64(i++, id);
  }
  Rows rs(st->executeQuery());
  std::map<int64_t, std::vector<MeasureTarget>> out;
  while (rs->next()) {
    MeasureTarget target;
    target.set_from_date(rs->getString(2));
    target.set_to_date(rs->getString(3));
    if (std::optional<double> value = GetNullableDouble(*rs, 4); value.has_value()) {
      target.set_value(*value);
    }
    target.set_text(rs->getString(5));
    target.set_label(rs->getString(6));
    out[rs->getInt64(1)].push_back(std::move(target));
  }
  return out;
}

void WriteTargets(Session& conn, const PlanKey& plan, int64_t measure_id,
                  const std::vector<MeasureTarget>& targets, bool replace) {
  if (replace) {
    Stmt del(conn.Prepare(
        "DELETE FROM measure_targets WHERE org_id = ? AND plan_id = ? AND item_id = ?"));
    del->setString(1, plan.organisation);
    del->setString(2, plan.plan);
    del->setInt64(3, measure_id);
    del->executeUpdate();
  }
  if (targets.empty()) {
    return;
  }
  constexpr int kColumns = 9;
  Stmt ins(conn.Prepare(absl::StrCat(
      "INSERT INTO measure_targets (org_id, plan_id, item_id, ordinal, from_date, to_date, "
      "target_value, target_text, label) VALUES ",
      PlaceholderRows(static_cast<int>(targets.size()), kColumns))));
  int i = 1;
  for (size_t ordinal = 0; ordinal < targets.size(); ++ordinal) {
    const MeasureTarget& target = targets[ordinal];
    ins->setString(i++, plan.organisation);
    ins->setString(i++, plan.plan);
    ins->setInt64(i++, measure_id);
    ins->setInt(i++, static_cast<int>(ordinal));
    ins->setString(i++, target.from_date());
    ins->setString(i++, target.to_date());
    BindNullableDouble(*ins, i++,
                       target.has_value() ? std::optional<double>(target.value()) : std::nullopt);
    ins->setString(i++, target.text());
    ins->setString(i++, target.label());
  }
  ins->executeUpdate();
}

}  // namespace sqlrows

using namespace sqlrows;  // NOLINT(google-build-using-namespace): this repository's own helpers

namespace {

std::string ValueName(const PlanKey& plan, int64_t measure_id, const std::string& date) {
  return absl::StrCat(ItemName(plan, ItemKind::kMeasure, measure_id), "/values/", date);
}

// The latest row of a measure's date, if it has any.
struct Latest {
  int32_t revision = 0;
  absl::Time recorded_at;
  bool withdrawn = false;
  double value = 0;
};

std::optional<Latest> LatestRow(Session& c, const ItemKey& measure, const std::string& date) {
  Stmt st(c.Prepare(
      "SELECT revision, recorded_at, withdrawn, value FROM measure_value_history WHERE org_id = ? "
      "AND plan_id = ? AND item_id = ? AND value_date = ? ORDER BY revision DESC LIMIT 1"));
  st->setString(1, measure.plan.organisation);
  st->setString(2, measure.plan.plan);
  st->setInt64(3, measure.id);
  st->setString(4, date);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return std::nullopt;
  }
  return Latest{rs->getInt(1), ParseDbTime(rs->getString(2)), rs->getInt(3) != 0,
                static_cast<double>(rs->getDouble(4))};
}

// Appends `value` (date, value, note, provisional, recorded_by, withdrawn)
// as the date's next revision and answers the row as the API shows it. The
// caller holds the measure's row lock, so appends to a date are serialised;
// recorded_at never goes back within a date (a clock stepped back on one
// replica), so "recorded before T" always selects a prefix of the revisions.
MeasureValue Append(Session& c, const ItemKey& measure, MeasureValue value,
                    const std::optional<Latest>& latest, const std::string& request_id) {
  absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  if (latest.has_value() && latest->recorded_at >= now) {
    now = latest->recorded_at + absl::Microseconds(1);
  }
  value.set_revision(latest.has_value() ? latest->revision + 1 : 1);
  Stmt st(c.Prepare(
      "INSERT INTO measure_value_history (org_id, plan_id, item_id, value_date, revision, value, "
      "note, provisional, withdrawn, recorded_at, recorded_by, request_id) VALUES (?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?)"));
  int i = 1;
  st->setString(i++, measure.plan.organisation);
  st->setString(i++, measure.plan.plan);
  st->setInt64(i++, measure.id);
  st->setString(i++, value.date());
  st->setInt(i++, value.revision());
  st->setDouble(i++, value.value());
  st->setString(i++, value.note());
  st->setInt(i++, value.provisional() ? 1 : 0);
  st->setInt(i++, value.withdrawn() ? 1 : 0);
  st->setString(i++, FormatDbTime(now));
  st->setString(i++, value.recorded_by());
  st->setString(i++, request_id);
  st->executeUpdate();
  value.set_name(ValueName(measure.plan, measure.id, value.date()));
  *value.mutable_create_time() = ToTimestamp(now);
  return value;
}

}  // namespace

absl::StatusOr<MeasureValue> MysqlPlanRepository::CreateMeasureValue(
    const ItemKey& measure, const MeasureValue& value, const RequestKey* request,
    const std::function<absl::Status(const Plan&)>& check) {
  MeasureValue out;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "CreateMeasureValue", [&](Session& c) -> absl::Status {
        if (request != nullptr) {
          GT_ASSIGN_OR_RETURN(std::optional<std::string> previous, ClaimRequest(c, *request));
          if (previous.has_value()) {
            out.ParseFromString(*previous);
            return absl::OkStatus();
          }
        }
        GT_RETURN_IF_ERROR(LoadItem(c, measure, true).status());
        GT_ASSIGN_OR_RETURN(Plan plan, LoadPlan(c, measure.plan, false));
        GT_RETURN_IF_ERROR(check(plan));  // rolls the claim back
        MeasureValue row = value;
        row.set_withdrawn(false);
        out = Append(c, measure, row, LatestRow(c, measure, value.date()),
                     request != nullptr ? request->request_id : "");
        if (request != nullptr) {
          RecordResponse(c, *request, out);
        }
        return absl::OkStatus();
      }));
  return out;
}

absl::Status MysqlPlanRepository::DeleteMeasureValue(const ItemKey& measure,
                                                     const std::string& date,
                                                     const std::string& recorded_by) {
  return RunTransaction(pool_, Deadline(), "DeleteMeasureValue", [&](Session& c) -> absl::Status {
    GT_RETURN_IF_ERROR(LoadItem(c, measure, true).status());
    std::optional<Latest> latest = LatestRow(c, measure, date);
    if (!latest.has_value() || latest->withdrawn) {
      return NotFound("measure value", ValueName(measure.plan, measure.id, date));
    }
    // The withdrawal row repeats the value it withdrew, so all_revisions
    // reads "71 withdrawn", not a new value.
    MeasureValue withdrawal;
    withdrawal.set_date(date);
    withdrawal.set_value(latest->value);
    withdrawal.set_recorded_by(recorded_by);
    withdrawal.set_withdrawn(true);
    Append(c, measure, withdrawal, latest, "");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ValueRow>> MysqlPlanRepository::ListMeasureValues(
    const ValueQuery& query, const std::optional<ValueCursor>& after, int limit) {
  // Each history row with its measure's place in document order: the
  // measure's outcome (if any) and priority come from two self-joins.
  const std::string recorded = query.recorded_before.has_value() ? " AND l.recorded_at < ?" : "";
  const std::string sql = absl::StrCat(
      "SELECT h.item_id, h.value_date, h.revision, h.value, h.note, h.provisional, h.withdrawn, "
      "h.recorded_at, h.recorded_by, p.position, p.item_id, COALESCE(o.position, -1), "
      "COALESCE(o.item_id, 0), m.position FROM measure_value_history h "
      "JOIN plan_items m ON m.org_id = h.org_id AND m.plan_id = h.plan_id AND m.item_id = "
      "h.item_id "
      "LEFT JOIN plan_items o ON m.parent_kind = 2 AND o.org_id = m.org_id AND o.plan_id = "
      "m.plan_id AND o.item_id = m.parent_id "
      "JOIN plan_items p ON p.org_id = m.org_id AND p.plan_id = m.plan_id AND p.item_id = "
      "COALESCE(o.parent_id, m.parent_id) "
      "WHERE h.org_id = ? AND h.plan_id = ?",
      query.measure.has_value() ? " AND h.item_id = ?" : "",
      query.recorded_before.has_value() ? " AND h.recorded_at < ?" : "",
      // The current value of a date: its latest row (of those recorded
      // before the bound), unless that row is a withdrawal.
      query.all_revisions
          ? ""
          : absl::StrCat(" AND h.withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM "
                         "measure_value_history l WHERE l.org_id = h.org_id AND l.plan_id = "
                         "h.plan_id AND l.item_id = h.item_id AND l.value_date = h.value_date AND "
                         "l.revision > h.revision",
                         recorded, ")"),
      after.has_value() ? " AND (p.position, p.item_id, COALESCE(o.position, -1), "
                          "COALESCE(o.item_id, 0), m.position, m.item_id, h.value_date, "
                          "h.revision) > (?, ?, ?, ?, ?, ?, CAST(? AS DATE), ?)"
                        : "",
      " ORDER BY p.position, p.item_id, COALESCE(o.position, -1), COALESCE(o.item_id, 0), "
      "m.position, m.item_id, h.value_date, h.revision LIMIT ?");
  std::vector<ValueRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListMeasureValues", [&](Session& c) {
    // The parent must exist: a missing (or foreign) one is NOT_FOUND, not an
    // empty page.
    if (query.measure.has_value()) {
      GT_RETURN_IF_ERROR(
          LoadItem(c, ItemKey{query.plan, ItemKind::kMeasure, *query.measure}, false).status());
    } else {
      GT_RETURN_IF_ERROR(LoadPlan(c, query.plan, false).status());
    }
    Stmt st(c.Prepare(sql));
    int i = 1;
    st->setString(i++, query.plan.organisation);
    st->setString(i++, query.plan.plan);
    if (query.measure.has_value()) {
      st->setInt64(i++, *query.measure);
    }
    const std::string before =
        query.recorded_before.has_value() ? FormatDbTime(*query.recorded_before) : "";
    if (query.recorded_before.has_value()) {
      st->setString(i++, before);
    }
    if (!query.all_revisions && query.recorded_before.has_value()) {
      st->setString(i++, before);
    }
    if (after.has_value()) {
      st->setInt(i++, after->priority_position);
      st->setInt64(i++, after->priority_id);
      st->setInt(i++, after->outcome_position);
      st->setInt64(i++, after->outcome_id);
      st->setInt(i++, after->measure_position);
      st->setInt64(i++, after->measure_id);
      st->setString(i++, after->date);
      st->setInt(i++, after->revision);
    }
    st->setInt(i++, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      ValueRow row;
      ValueCursor& cursor = row.cursor;
      cursor.measure_id = rs->getInt64(1);
      cursor.date = rs->getString(2);
      cursor.revision = rs->getInt(3);
      cursor.priority_position = rs->getInt(10);
      cursor.priority_id = rs->getInt64(11);
      cursor.outcome_position = rs->getInt(12);
      cursor.outcome_id = rs->getInt64(13);
      cursor.measure_position = rs->getInt(14);
      MeasureValue& v = row.value;
      v.set_name(ValueName(query.plan, cursor.measure_id, cursor.date));
      v.set_date(cursor.date);
      v.set_value(static_cast<double>(rs->getDouble(4)));
      v.set_note(rs->getString(5));
      v.set_provisional(rs->getInt(6) != 0);
      v.set_withdrawn(rs->getInt(7) != 0);
      *v.mutable_create_time() = ToTimestamp(ParseDbTime(rs->getString(8)));
      v.set_recorded_by(rs->getString(9));
      v.set_revision(cursor.revision);
      out.push_back(std::move(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gt::plan
