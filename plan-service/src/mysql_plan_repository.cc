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
using Stmt = std::unique_ptr<sql::PreparedStatement>;
using Rows = std::unique_ptr<sql::ResultSet>;

namespace sqlrows {

const char* const kItemColumns =
    "item_id, kind, parent_kind, parent_id, code, title, position, lead_member, lead_officer, "
    "directorate, deadline, reported_status, reported_percent, reported_comment, unit, "
    "direction, baseline, target, target_text, version";

const char* const kItemInsertColumns =
    "org_id, plan_id, item_id, kind, parent_kind, parent_id, code, title, position, lead_member, "
    "lead_officer, directorate, deadline, reported_status, reported_percent, reported_comment, "
    "unit, direction, baseline, target, target_text, version";

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

absl::StatusOr<int64_t> AllocateIds(sql::Connection& conn, const std::string& organisation, int n) {
  Stmt sel(
      conn.prepareStatement("SELECT next_item_id FROM organisations WHERE org_id = ? FOR UPDATE"));
  sel->setString(1, organisation);
  Rows rs(sel->executeQuery());
  if (!rs->next()) {
    return NotFound("organisation", OrganisationName(organisation));
  }
  int64_t first = rs->getInt64(1);
  Stmt upd(conn.prepareStatement(
      "UPDATE organisations SET next_item_id = next_item_id + ? WHERE org_id = ?"));
  upd->setInt(1, n);
  upd->setString(2, organisation);
  upd->executeUpdate();
  return first;
}

absl::StatusOr<Plan> LoadPlan(sql::Connection& conn, const PlanKey& key, bool for_update) {
  Stmt st(conn.prepareStatement(absl::StrCat("SELECT ", kPlanColumns,
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

void InsertPlan(sql::Connection& conn, const PlanKey& key, const Plan& plan) {
  Stmt st(conn.prepareStatement(
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

absl::StatusOr<ItemRow> LoadItem(sql::Connection& conn, const ItemKey& key, bool for_update) {
  Stmt st(conn.prepareStatement(absl::StrCat(
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
  if (row.kind != key.kind) {
    // Ids are unique per organisation, so an id of another kind is simply not
    // an item of this kind.
    return NotFound(KindNoun(key.kind), ItemName(key.plan, key.kind, key.id));
  }
  return row;
}

absl::Status DuplicateCode(const PlanKey& plan, const ItemRow& row) {
  return absl::AlreadyExistsError(absl::StrCat(
      KindNoun(row.kind), " code '", row.code, "' already exists under ",
      ItemName(plan, row.parent_kind, row.parent_id), "; codes must be unique under a parent"));
}

}  // namespace

absl::StatusOr<Organisation> MysqlPlanRepository::CreateOrganisation(
    const std::string& id, const Organisation& organisation) {
  Organisation out;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "CreateOrganisation", [&](sql::Connection& c) {
        Stmt st(c.prepareStatement(
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
        Stmt sel(c.prepareStatement(
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
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetOrganisation", [&](sql::Connection& c) {
    Stmt st(c.prepareStatement(
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
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListOrganisations", [&](sql::Connection& c) {
    Stmt st(c.prepareStatement(
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
  Plan out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "CreatePlan", [&](sql::Connection& c) {
    if (request != nullptr) {
      GT_ASSIGN_OR_RETURN(auto previous, ClaimRequest(c, *request));
      if (previous.has_value()) {
        out.ParseFromString(*previous);
        return absl::OkStatus();
      }
    }
    Stmt org(c.prepareStatement("SELECT 1 FROM organisations WHERE org_id = ?"));
    org->setString(1, key.organisation);
    if (!Rows(org->executeQuery())->next()) {
      return NotFound("organisation", OrganisationName(key.organisation));
    }
    try {
      InsertPlan(c, key, plan);
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return absl::AlreadyExistsError(absl::StrCat("plan ", PlanName(key), " already exists"));
      }
      throw;
    }
    GT_ASSIGN_OR_RETURN(out, LoadPlan(c, key, false));
    if (request != nullptr) {
      RecordResponse(c, *request, out);
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Plan> MysqlPlanRepository::GetPlan(const PlanKey& key) {
  Plan out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetPlan", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(out, LoadPlan(c, key, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Plan>> MysqlPlanRepository::ListPlans(const std::string& organisation,
                                                                 const std::string& after,
                                                                 int limit) {
  std::vector<Plan> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListPlans", [&](sql::Connection& c) {
    Stmt st(c.prepareStatement(
        absl::StrCat("SELECT ", kPlanColumns,
                     " FROM plans WHERE org_id = ? AND plan_id > ? ORDER BY plan_id LIMIT ?")));
    st->setString(1, organisation);
    st->setString(2, after);
    st->setInt(3, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadPlan(organisation, *rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Plan> MysqlPlanRepository::UpdatePlan(
    const PlanKey& key, const std::function<absl::Status(Plan&)>& mutate) {
  Plan out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "UpdatePlan", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(Plan plan, LoadPlan(c, key, true));
    GT_RETURN_IF_ERROR(mutate(plan));
    Stmt st(c.prepareStatement(
        "UPDATE plans SET title = ?, description = ?, period_start = ?, period_end = ?, "
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
  return RunTransaction(pool_, Deadline(), "DeletePlan", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(Plan plan, LoadPlan(c, key, true));
    GT_RETURN_IF_ERROR(check(plan));
    for (const char* table : {"measure_values", "plan_items", "plans"}) {
      Stmt st(c.prepareStatement(
          absl::StrCat("DELETE FROM ", table, " WHERE org_id = ? AND plan_id = ?")));
      st->setString(1, key.organisation);
      st->setString(2, key.plan);
      st->executeUpdate();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ItemRow> MysqlPlanRepository::CreateItem(const PlanKey& plan, ItemRow row) {
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "CreateItem", [&](sql::Connection& c) {
    if (row.parent_kind == ItemKind::kPlan) {
      GT_RETURN_IF_ERROR(LoadPlan(c, plan, false).status());
    } else {
      GT_RETURN_IF_ERROR(
          LoadItem(c, ItemKey{plan, row.parent_kind, row.parent_id}, false).status());
    }
    Stmt pos(c.prepareStatement(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM plan_items WHERE org_id = ? AND plan_id = ? "
        "AND kind = ? AND parent_id = ?"));
    pos->setString(1, plan.organisation);
    pos->setString(2, plan.plan);
    pos->setInt(3, static_cast<int>(row.kind));
    pos->setInt64(4, row.parent_id);
    Rows rs(pos->executeQuery());
    rs->next();
    row.position = rs->getInt(1);
    GT_ASSIGN_OR_RETURN(row.id, AllocateIds(c, plan.organisation, 1));
    row.version = 1;
    Stmt ins(
        c.prepareStatement(absl::StrCat("INSERT INTO plan_items (", kItemInsertColumns, ") VALUES ",
                                        PlaceholderRows(1, kItemInsertColumnCount))));
    BindItemInsert(*ins, 1, plan, row);
    try {
      ins->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return DuplicateCode(plan, row);
      }
      throw;
    }
    return absl::OkStatus();
  }));
  return row;
}

absl::StatusOr<ItemRow> MysqlPlanRepository::GetItem(const ItemKey& key) {
  ItemRow out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetItem", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(out, LoadItem(c, key, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ItemRow>> MysqlPlanRepository::ListItems(
    const PlanKey& plan, ItemKind kind, const std::optional<ItemKey>& parent,
    const ItemCursor& after, int limit) {
  std::vector<ItemRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListItems", [&](sql::Connection& c) {
    // The parent must exist: listing the children of a missing (or foreign)
    // parent is NOT_FOUND, not an empty page.
    if (!parent.has_value() || parent->kind == ItemKind::kPlan) {
      GT_RETURN_IF_ERROR(LoadPlan(c, plan, false).status());
    } else {
      GT_RETURN_IF_ERROR(LoadItem(c, *parent, false).status());
    }
    bool by_parent = parent.has_value() && parent->kind != ItemKind::kPlan;
    Stmt st(c.prepareStatement(absl::StrCat(
        "SELECT ", kItemColumns, " FROM plan_items WHERE org_id = ? AND plan_id = ? AND kind = ?",
        by_parent ? " AND parent_kind = ? AND parent_id = ?" : " AND ? >= 0 AND ? >= 0",
        " AND (parent_id > ? OR (parent_id = ? AND (position > ? OR (position = ? AND "
        "item_id > ?)))) ORDER BY parent_id, position, item_id LIMIT ?")));
    int i = 1;
    st->setString(i++, plan.organisation);
    st->setString(i++, plan.plan);
    st->setInt(i++, static_cast<int>(kind));
    st->setInt(i++, by_parent ? static_cast<int>(parent->kind) : 0);
    st->setInt64(i++, by_parent ? parent->id : 0);
    st->setInt64(i++, after.parent_id);
    st->setInt64(i++, after.parent_id);
    st->setInt(i++, after.position);
    st->setInt(i++, after.position);
    st->setInt64(i++, after.id);
    st->setInt(i++, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadItem(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ItemRow> MysqlPlanRepository::UpdateItem(
    const ItemKey& key, const std::function<absl::Status(ItemRow&)>& mutate) {
  ItemRow row;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "UpdateItem", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(row, LoadItem(c, key, true));
    GT_RETURN_IF_ERROR(mutate(row));
    Stmt st(c.prepareStatement(
        "UPDATE plan_items SET code = ?, title = ?, position = ?, lead_member = ?, "
        "lead_officer = ?, directorate = ?, deadline = ?, reported_status = ?, "
        "reported_percent = ?, reported_comment = ?, unit = ?, direction = ?, baseline = ?, "
        "target = ?, target_text = ?, version = version + 1 "
        "WHERE org_id = ? AND plan_id = ? AND item_id = ?"));
    int i = 1;
    BindNullableString(*st, i++, row.code);
    st->setString(i++, row.title);
    st->setInt(i++, row.position);
    st->setString(i++, row.lead_member);
    st->setString(i++, row.lead_officer);
    st->setString(i++, row.directorate);
    BindNullableString(*st, i++, row.deadline);
    st->setInt(i++, row.reported_status);
    BindNullableInt(*st, i++, row.reported_percent);
    st->setString(i++, row.reported_comment);
    st->setString(i++, row.unit);
    st->setInt(i++, row.direction);
    BindNullableDouble(*st, i++, row.baseline);
    BindNullableDouble(*st, i++, row.target);
    st->setString(i++, row.target_text);
    st->setString(i++, key.plan.organisation);
    st->setString(i++, key.plan.plan);
    st->setInt64(i++, key.id);
    try {
      st->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        return DuplicateCode(key.plan, row);
      }
      throw;
    }
    row.version++;
    return absl::OkStatus();
  }));
  return row;
}

absl::Status MysqlPlanRepository::DeleteItem(
    const ItemKey& key, const std::function<absl::Status(const ItemRow&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeleteItem", [&](sql::Connection& c) {
    GT_ASSIGN_OR_RETURN(ItemRow row, LoadItem(c, key, true));
    GT_RETURN_IF_ERROR(check(row));
    Stmt children(c.prepareStatement(
        "SELECT COUNT(*) FROM plan_items WHERE org_id = ? AND plan_id = ? AND parent_kind = ? "
        "AND parent_id = ?"));
    children->setString(1, key.plan.organisation);
    children->setString(2, key.plan.plan);
    children->setInt(3, static_cast<int>(key.kind));
    children->setInt64(4, key.id);
    Rows rs(children->executeQuery());
    rs->next();
    if (int count = rs->getInt(1); count > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          KindNoun(key.kind), " ", ItemName(key.plan, key.kind, key.id), " has ", count,
          " child items (outcomes, activities or measures); delete them first"));
    }
    for (const char* table : {"measure_values", "plan_items"}) {
      Stmt del(c.prepareStatement(absl::StrCat(
          "DELETE FROM ", table, " WHERE org_id = ? AND plan_id = ? AND item_id = ?")));
      del->setString(1, key.plan.organisation);
      del->setString(2, key.plan.plan);
      del->setInt64(3, key.id);
      del->executeUpdate();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<MeasureValue> MysqlPlanRepository::CreateMeasureValue(const ItemKey& measure,
                                                                     const MeasureValue& value) {
  MeasureValue out = value;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "CreateMeasureValue", [&](sql::Connection& c) {
        GT_RETURN_IF_ERROR(LoadItem(c, measure, false).status());
        Stmt st(c.prepareStatement(
            "INSERT INTO measure_values (org_id, plan_id, item_id, value_date, value, note, "
            "create_time) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        absl::Time now = absl::Now();
        st->setString(1, measure.plan.organisation);
        st->setString(2, measure.plan.plan);
        st->setInt64(3, measure.id);
        st->setString(4, value.date());
        st->setDouble(5, value.value());
        st->setString(6, value.note());
        st->setString(7, FormatDbTime(now));
        try {
          st->executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == 1062) {
            return absl::AlreadyExistsError(absl::StrCat(
                "a value for ", value.date(), " already exists; delete it first to restate it"));
          }
          throw;
        }
        out.set_name(absl::StrCat(ItemName(measure.plan, ItemKind::kMeasure, measure.id),
                                  "/values/", value.date()));
        *out.mutable_create_time() = ToTimestamp(absl::FromUnixMicros(absl::ToUnixMicros(now)));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<MeasureValue>> MysqlPlanRepository::ListMeasureValues(
    const ItemKey& measure, const std::string& after_date, int limit) {
  std::vector<MeasureValue> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListMeasureValues", [&](sql::Connection& c) {
    GT_RETURN_IF_ERROR(LoadItem(c, measure, false).status());
    Stmt st(c.prepareStatement(
        "SELECT value_date, value, note, create_time FROM measure_values WHERE org_id = ? AND "
        "plan_id = ? AND item_id = ? AND value_date > ? ORDER BY value_date LIMIT ?"));
    st->setString(1, measure.plan.organisation);
    st->setString(2, measure.plan.plan);
    st->setInt64(3, measure.id);
    st->setString(4, after_date.empty() ? "0001-01-01" : after_date);
    st->setInt(5, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      MeasureValue v;
      v.set_date(rs->getString(1));
      v.set_name(absl::StrCat(ItemName(measure.plan, ItemKind::kMeasure, measure.id), "/values/",
                              v.date()));
      v.set_value(rs->getDouble(2));
      v.set_note(rs->getString(3));
      *v.mutable_create_time() = ToTimestamp(ParseDbTime(rs->getString(4)));
      out.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status MysqlPlanRepository::DeleteMeasureValue(const ItemKey& measure,
                                                     const std::string& date) {
  return RunTransaction(pool_, Deadline(), "DeleteMeasureValue", [&](sql::Connection& c) {
    Stmt st(c.prepareStatement(
        "DELETE FROM measure_values WHERE org_id = ? AND plan_id = ? AND item_id = ? AND "
        "value_date = ?"));
    st->setString(1, measure.plan.organisation);
    st->setString(2, measure.plan.plan);
    st->setInt64(3, measure.id);
    st->setString(4, date);
    if (st->executeUpdate() == 0) {
      return NotFound(
          "measure value",
          absl::StrCat(ItemName(measure.plan, ItemKind::kMeasure, measure.id), "/values/", date));
    }
    return absl::OkStatus();
  });
}

}  // namespace gt::plan
