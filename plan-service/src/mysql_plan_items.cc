// Priorities, outcomes, activities and measures (one table). Measure values
// and targets: mysql_measure_values.cc.
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "mysql_plan_repository.h"

namespace gt::plan {

using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;
using namespace sqlrows;  // NOLINT(google-build-using-namespace): this repository's own helpers

absl::Status MysqlPlanRepository::CreateItem(const PlanKey& plan, ItemRow row,
                                             const RequestKey* request,
                                             const absl::Status& refuse_new,
                                             google::protobuf::Message& answer,
                                             const std::function<void(const ItemRow&)>& answered) {
  return RunTransaction(pool_, Deadline(), "CreateItem", [&](Session& c) -> absl::Status {
    if (request != nullptr) {
      GT_ASSIGN_OR_RETURN(std::optional<std::string> previous, ClaimRequest(c, *request));
      if (previous.has_value()) {
        answer.ParseFromString(*previous);
        return absl::OkStatus();
      }
    }
    GT_RETURN_IF_ERROR(refuse_new);  // rolls the claim back
    if (row.parent_kind == ItemKind::kPlan) {
      GT_RETURN_IF_ERROR(LoadPlan(c, plan, false).status());
    } else {
      GT_RETURN_IF_ERROR(
          LoadItem(c, ItemKey{plan, row.parent_kind, row.parent_id}, false).status());
    }
    Stmt pos(c.Prepare(
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
    Stmt ins(c.Prepare(absl::StrCat("INSERT INTO plan_items (", kItemInsertColumns, ") VALUES ",
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
    if (row.kind == ItemKind::kMeasure && !row.targets.empty()) {
      WriteTargets(c, plan, row.id, row.targets, false);
    }
    answered(row);
    if (request != nullptr) {
      RecordResponse(c, *request, answer);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ItemRow> MysqlPlanRepository::GetItem(const ItemKey& key) {
  return QuerySql<ItemRow>(pool_, Deadline(), "GetItem",
                           [&](Session& c) { return LoadItem(c, key, false); });
}

absl::StatusOr<std::vector<ItemRow>> MysqlPlanRepository::ListItems(
    const PlanKey& plan, ItemKind kind, const std::optional<ItemKey>& parent,
    const ItemCursor& after, int limit) {
  std::vector<ItemRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListItems", [&](Session& c) {
    // The parent must exist: listing the children of a missing (or foreign)
    // parent is NOT_FOUND, not an empty page.
    if (!parent.has_value() || parent->kind == ItemKind::kPlan) {
      GT_RETURN_IF_ERROR(LoadPlan(c, plan, false).status());
    } else {
      GT_RETURN_IF_ERROR(LoadItem(c, *parent, false).status());
    }
    bool by_parent = parent.has_value() && parent->kind != ItemKind::kPlan;
    Stmt st(c.Prepare(absl::StrCat(
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
    rs.reset();
    if (kind == ItemKind::kMeasure && !out.empty()) {
      std::vector<int64_t> ids;
      ids.reserve(out.size());
      for (const ItemRow& row : out) {
        ids.push_back(row.id);
      }
      auto targets = LoadTargets(c, plan, ids);
      for (ItemRow& row : out) {
        row.targets = std::move(targets[row.id]);
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ItemRow> MysqlPlanRepository::UpdateItem(
    const ItemKey& key, const std::function<absl::Status(ItemRow&)>& mutate) {
  ItemRow row;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "UpdateItem", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(row, LoadItem(c, key, true));
    GT_RETURN_IF_ERROR(mutate(row));
    Stmt st(c.Prepare(
        "UPDATE plan_items SET code = ?, title = ?, position = ?, lead_member = ?, "
        "lead_officer = ?, directorate = ?, deadline = ?, reported_status = ?, "
        "reported_percent = ?, reported_comment = ?, unit = ?, direction = ?, baseline = ?, "
        "target = ?, target_text = ?, amber_within_percent = ?, amber_within_units = ?, "
        "version = version + 1 "
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
    BindNullableDouble(*st, i++, row.amber_within_percent);
    BindNullableDouble(*st, i++, row.amber_within_units);
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
    if (row.kind == ItemKind::kMeasure) {
      WriteTargets(c, key.plan, key.id, row.targets, true);
    }
    row.version++;
    return absl::OkStatus();
  }));
  return row;
}

absl::Status MysqlPlanRepository::DeleteItem(
    const ItemKey& key, const std::function<absl::Status(const ItemRow&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeleteItem", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(ItemRow row, LoadItem(c, key, true));
    GT_RETURN_IF_ERROR(check(row));
    Stmt children(c.Prepare(
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
    for (const char* table : {kItemDependentTables[0], kItemDependentTables[1], "plan_items"}) {
      Stmt del(c.Prepare(absl::StrCat("DELETE FROM ", table,
                                      " WHERE org_id = ? AND plan_id = ? AND item_id = ?")));
      del->setString(1, key.plan.organisation);
      del->setString(2, key.plan.plan);
      del->setInt64(3, key.id);
      del->executeUpdate();
    }
    return absl::OkStatus();
  });
}

}  // namespace gt::plan
