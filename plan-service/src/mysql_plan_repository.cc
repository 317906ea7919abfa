#include "mysql_plan_repository.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "gt/paging.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::plan {

using goldenthread::v1::MeasureValue;
using goldenthread::v1::Organisation;
using goldenthread::v1::Plan;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

namespace sqlrows {

const char* const kItemColumns =
    "item_id, kind, parent_kind, parent_id, code, title, position, lead_member, lead_officer, "
    "directorate, deadline, reported_status, reported_percent, reported_comment, unit, "
    "direction, baseline, target, target_text, version, amber_within_percent, "
    "amber_within_units";

const char* const kItemInsertColumns =
    "org_id, plan_id, item_id, kind, parent_kind, parent_id, code, title, position, lead_member, "
    "lead_officer, directorate, deadline, reported_status, reported_percent, reported_comment, "
    "unit, direction, baseline, target, target_text, version, amber_within_percent, "
    "amber_within_units";

const char* const kPlanColumns =
    "plan_id, title, description, period_start, period_end, state, source, version, "
    "create_time, update_time";

ItemRow ReadItem(sql::ResultSet& rs) {
  ItemRow row;
  row.id = rs.getInt64(1);
  row.kind = static_cast<ItemKind>(rs.getInt(2));
  row.parent_kind = static_cast<ItemKind>(rs.getInt(3));
  row.parent_id = rs.getInt64(4);
  row.code = GetNullableString(rs, 5);
  row.title = rs.getString(6);
  row.position = rs.getInt(7);
  row.lead_member = rs.getString(8);
  row.lead_officer = rs.getString(9);
  row.directorate = rs.getString(10);
  row.deadline = GetNullableString(rs, 11);
  row.reported_status = rs.getInt(12);
  row.reported_percent = GetNullableInt(rs, 13);
  row.reported_comment = rs.getString(14);
  row.unit = rs.getString(15);
  row.direction = rs.getInt(16);
  row.baseline = GetNullableDouble(rs, 17);
  row.target = GetNullableDouble(rs, 18);
  row.target_text = rs.getString(19);
  row.version = rs.getInt64(20);
  row.amber_within_percent = GetNullableDouble(rs, 21);
  row.amber_within_units = GetNullableDouble(rs, 22);
  return row;
}

void BindItemInsert(sql::PreparedStatement& st, int first, const PlanKey& plan,
                    const ItemRow& row) {
  int i = first;
  st.setString(i++, plan.organisation);
  st.setString(i++, plan.plan);
  st.setInt64(i++, row.id);
  st.setInt(i++, static_cast<int>(row.kind));
  st.setInt(i++, static_cast<int>(row.parent_kind));
  st.setInt64(i++, row.parent_id);
  BindNullableString(st, i++, row.code);
  st.setString(i++, row.title);
  st.setInt(i++, row.position);
  st.setString(i++, row.lead_member);
  st.setString(i++, row.lead_officer);
  st.setString(i++, row.directorate);
  BindNullableString(st, i++, row.deadline);
  st.setInt(i++, row.reported_status);
  BindNullableInt(st, i++, row.reported_percent);
  st.setString(i++, row.reported_comment);
  st.setString(i++, row.unit);
  st.setInt(i++, row.direction);
  BindNullableDouble(st, i++, row.baseline);
  BindNullableDouble(st, i++, row.target);
  st.setString(i++, row.target_text);
  st.setInt64(i++, row.version);
  BindNullableDouble(st, i++, row.amber_within_percent);
  BindNullableDouble(st, i++, row.amber_within_units);
}

Plan ReadPlan(const std::string& organisation, sql::ResultSet& rs) {
  Plan plan;
  plan.set_name(PlanName(PlanKey{organisation, rs.getString(1)}));
  plan.set_title(rs.getString(2));
  plan.set_description(rs.getString(3));
  plan.set_period_start(rs.getString(4));
  plan.set_period_end(rs.getString(5));
  plan.set_state(static_cast<goldenthread::v1::PlanState>(rs.getInt(6)));
  plan.set_source(rs.getString(7));
  plan.set_etag(MakeEtag(plan.name(), rs.getInt64(8)));
  *plan.mutable_create_time() = ToTimestamp(ParseDbTime(rs.getString(9)));
  *plan.mutable_update_time() = ToTimestamp(ParseDbTime(rs.getString(10)));
  return plan;
}

absl::StatusOr<int64_t> AllocateIds(Session& conn, const std::string& organisation, int n) {
  Stmt sel(conn.Prepare("SELECT next_item_id FROM organisations WHERE org_id = ? FOR UPDATE"));
  sel->setString(1, organisation);
  Rows rs(sel->executeQuery());
  if (!rs->next()) {
    return NotFound("organisation", OrganisationName(organisation));
  }
  int64_t first = rs->getInt64(1);
  Stmt upd(
      conn.Prepare("UPDATE organisations SET next_item_id = next_item_id + ? WHERE org_id = ?"));
  upd->setInt(1, n);
  upd->setString(2, organisation);
  upd->executeUpdate();
  return first;
}

absl::StatusOr<Plan> LoadPlan(Session& conn, const PlanKey& key, bool for_update) {
  Stmt st(conn.Prepare(absl::StrCat("SELECT ", kPlanColumns,
                                    " FROM plans WHERE org_id = ? AND plan_id = ?",
                                    for_update ? " FOR UPDATE" : "")));
  st->setString(1, key.organisation);
  st->setString(2, key.plan);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("plan", PlanName(key));
  }
  return ReadPlan(key.organisation, *rs);
}

void InsertPlan(Session& conn, const PlanKey& key, const Plan& plan) {
  Stmt st(conn.Prepare(
      "INSERT INTO plans (org_id, plan_id, title, description, period_start, period_end, state, "
      "source, version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, "
      "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"));
  st->setString(1, key.organisation);
  st->setString(2, key.plan);
  st->setString(3, plan.title());
  st->setString(4, plan.description());
  st->setString(5, plan.period_start());
  st->setString(6, plan.period_end());
  st->setInt(7, plan.state() == goldenthread::v1::PLAN_STATE_UNSPECIFIED ? goldenthread::v1::DRAFT
                                                                         : plan.state());
  st->setString(8, plan.source());
  st->executeUpdate();
}

absl::StatusOr<ItemRow> LoadItem(Session& conn, const ItemKey& key, bool for_update) {
  Stmt st(conn.Prepare(absl::StrCat(
      "SELECT ", kItemColumns, " FROM plan_items WHERE org_id = ? AND plan_id = ? AND item_id = ?",
      for_update ? " FOR UPDATE" : "")));
  st->setString(1, key.plan.organisation);
  st->setString(2, key.plan.plan);
  st->setInt64(3, key.id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound(KindNoun(key.kind), ItemName(key.plan, key.kind, key.id));
  }
  ItemRow row = ReadItem(*rs);
  rs.reset();
  if (row.kind != key.kind) {
    // Ids are unique per organisation, so an id of another kind is simply not
    // an item of this kind.
    return NotFound(KindNoun(key.kind), ItemName(key.plan, key.kind, key.id));
  }
  if (row.kind == ItemKind::kMeasure) {
    auto targets = LoadTargets(conn, key.plan, {row.id});
    row.targets = std::move(targets[row.id]);
  }
  return row;
}

absl::Status DuplicateCode(const PlanKey& plan, const ItemRow& row) {
  return absl::AlreadyExistsError(absl::StrCat(
      KindNoun(row.kind), " code '", row.code, "' already exists under ",
      ItemName(plan, row.parent_kind, row.parent_id), "; codes must be unique under a parent"));
}

}  // namespace sqlrows

using namespace sqlrows;  // NOLINT(google-build-using-namespace): this file's own helpers

namespace {

Organisation ReadOrganisation(sql::ResultSet& rs) {
  Organisation org;
  org.set_name(OrganisationName(std::string(rs.getString(1))));
  org.set_display_name(rs.getString(2));
  org.set_etag(MakeEtag(org.name(), rs.getInt64(3)));
  *org.mutable_create_time() = ToTimestamp(ParseDbTime(rs.getString(4)));
  *org.mutable_update_time() = ToTimestamp(ParseDbTime(rs.getString(5)));
  return org;
}

}  // namespace

absl::StatusOr<Organisation> MysqlPlanRepository::CreateOrganisation(
    const std::string& id, const Organisation& organisation) {
  Organisation out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "CreateOrganisation", [&](Session& c) {
    Stmt st(c.Prepare(
        "INSERT INTO organisations (org_id, display_name, next_item_id, version, create_time, "
        "update_time) VALUES (?, ?, 1, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"));
    st->setString(1, id);
    st->setString(2, organisation.display_name());
    try {
      st->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return absl::AlreadyExistsError(
            absl::StrCat("organisation ", OrganisationName(id), " already exists"));
      }
      throw;
    }
    Stmt sel(c.Prepare(
        "SELECT org_id, display_name, version, create_time, update_time FROM organisations "
        "WHERE org_id = ?"));
    sel->setString(1, id);
    Rows rs(sel->executeQuery());
    rs->next();
    out = ReadOrganisation(*rs);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Organisation> MysqlPlanRepository::GetOrganisation(const std::string& id) {
  Organisation out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetOrganisation", [&](Session& c) {
    Stmt st(c.Prepare(
        "SELECT org_id, display_name, version, create_time, update_time FROM organisations "
        "WHERE org_id = ?"));
    st->setString(1, id);
    Rows rs(st->executeQuery());
    if (!rs->next()) {
      return NotFound("organisation", OrganisationName(id));
    }
    out = ReadOrganisation(*rs);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Organisation>> MysqlPlanRepository::ListOrganisations(
    const std::string& after, int limit, const std::string& only) {
  std::vector<Organisation> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListOrganisations", [&](Session& c) {
    Stmt st(c.Prepare(
        "SELECT org_id, display_name, version, create_time, update_time FROM organisations "
        "WHERE org_id > ? AND (? = '' OR org_id = ?) ORDER BY org_id LIMIT ?"));
    st->setString(1, after);
    st->setString(2, only);
    st->setString(3, only);
    st->setInt(4, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadOrganisation(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Plan> MysqlPlanRepository::CreatePlan(const PlanKey& key, const Plan& plan,
                                                     const RequestKey* request) {
  return CreateInOrganisation<Plan>(
      pool_, Deadline(), "CreatePlan", key.organisation, request, [&](Session& c, Plan& out) {
        try {
          InsertPlan(c, key, plan);
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == 1062) {
            return absl::AlreadyExistsError(
                absl::StrCat("plan ", PlanName(key), " already exists"));
          }
          throw;
        }
        GT_ASSIGN_OR_RETURN(out, LoadPlan(c, key, false));
        return absl::OkStatus();
      });
}

absl::StatusOr<Plan> MysqlPlanRepository::GetPlan(const PlanKey& key) {
  return QuerySql<Plan>(pool_, Deadline(), "GetPlan",
                        [&](Session& c) { return LoadPlan(c, key, false); });
}

absl::StatusOr<std::vector<Plan>> MysqlPlanRepository::ListPlans(const std::string& organisation,
                                                                 const std::string& after,
                                                                 int limit) {
  return ListAfter<Plan>(
      pool_, Deadline(), "ListPlans",
      absl::StrCat("SELECT ", kPlanColumns,
                   " FROM plans WHERE org_id = ? AND plan_id > ? ORDER BY plan_id LIMIT ?"),
      organisation, after, limit, ReadPlan);
}

absl::StatusOr<Plan> MysqlPlanRepository::UpdatePlan(
    const PlanKey& key, const std::function<absl::Status(Plan&)>& mutate) {
  Plan out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "UpdatePlan", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(Plan plan, LoadPlan(c, key, true));
    GT_RETURN_IF_ERROR(mutate(plan));
    Stmt st(
        c.Prepare("UPDATE plans SET title = ?, description = ?, period_start = ?, period_end = ?, "
                  "state = ?, source = ?, version = version + 1, update_time = UTC_TIMESTAMP(6) "
                  "WHERE org_id = ? AND plan_id = ?"));
    st->setString(1, plan.title());
    st->setString(2, plan.description());
    st->setString(3, plan.period_start());
    st->setString(4, plan.period_end());
    st->setInt(5, plan.state());
    st->setString(6, plan.source());
    st->setString(7, key.organisation);
    st->setString(8, key.plan);
    st->executeUpdate();
    GT_ASSIGN_OR_RETURN(out, LoadPlan(c, key, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status MysqlPlanRepository::DeletePlan(
    const PlanKey& key, const std::function<absl::Status(const Plan&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeletePlan", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(Plan plan, LoadPlan(c, key, true));
    GT_RETURN_IF_ERROR(check(plan));
    // The items first: a value being appended holds its measure's row, so
    // the history is deleted only once no append can still add to it.
    for (const char* table :
         {"plan_items", kItemDependentTables[0], kItemDependentTables[1], "plans"}) {
      Stmt st(c.Prepare(absl::StrCat("DELETE FROM ", table, " WHERE org_id = ? AND plan_id = ?")));
      st->setString(1, key.organisation);
      st->setString(2, key.plan);
      st->executeUpdate();
    }
    return absl::OkStatus();
  });
}

}  // namespace gt::plan
