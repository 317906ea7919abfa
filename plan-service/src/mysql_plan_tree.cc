// GetPlanTree and ImportPlan: the whole tree of a plan in one range scan, and
// a whole tree written in one transaction.
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "mysql_plan_repository.h"

namespace gt::plan {

using goldenthread::v1::Plan;
using goldenthread::v1::PlanTree;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

namespace sqlrows {

absl::StatusOr<PlanTree> LoadTree(Session& conn, const PlanKey& key) {
  PlanTree tree;
  GT_ASSIGN_OR_RETURN(*tree.mutable_plan(), LoadPlan(conn, key, false));
  auto targets = LoadTargets(conn, key, {});
  Stmt st(conn.Prepare(absl::StrCat(
      "SELECT ", kItemColumns,
      " FROM plan_items WHERE org_id = ? AND plan_id = ? ORDER BY kind, parent_id, position, "
      "item_id")));
  st->setString(1, key.organisation);
  st->setString(2, key.plan);
  Rows rs(st->executeQuery());
  // Rows arrive kind by kind, so every parent is placed before its children.
  std::unordered_map<int64_t, goldenthread::v1::Priority*> priorities;
  std::unordered_map<int64_t, goldenthread::v1::Outcome*> outcomes;
  while (rs->next()) {
    ItemRow row = ReadItem(*rs);
    switch (row.kind) {
      case ItemKind::kPriority: {
        auto* p = tree.add_priorities();
        *p = ToPriority(key, row);
        priorities[row.id] = p;
        break;
      }
      case ItemKind::kOutcome: {
        auto parent = priorities.find(row.parent_id);
        if (parent != priorities.end()) {
          auto* o = parent->second->add_outcomes();
          *o = ToOutcome(key, row);
          outcomes[row.id] = o;
        }
        break;
      }
      case ItemKind::kActivity: {
        auto parent = outcomes.find(row.parent_id);
        if (parent != outcomes.end()) {
          *parent->second->add_activities() = ToActivity(key, row);
        }
        break;
      }
      case ItemKind::kMeasure: {
        row.targets = std::move(targets[row.id]);
        if (row.parent_kind == ItemKind::kPriority) {
          auto parent = priorities.find(row.parent_id);
          if (parent != priorities.end()) {
            *parent->second->add_measures() = ToMeasure(key, row);
          }
        } else {
          auto parent = outcomes.find(row.parent_id);
          if (parent != outcomes.end()) {
            *parent->second->add_measures() = ToMeasure(key, row);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return tree;
}

}  // namespace sqlrows

using namespace sqlrows;  // NOLINT(google-build-using-namespace)

namespace {

// A node's identity across imports: its kind and the codes from the priority
// down ("3|1|1.1|1.1.1"). Measures without a code are identified by position.
struct PlannedRow {
  std::string path;
  std::string parent_path;
  ItemRow row;
};

void AddMeasures(const std::string& parent_path, ItemKind parent_kind,
                 const google::protobuf::RepeatedPtrField<goldenthread::v1::Measure>& measures,
                 std::vector<PlannedRow>& out) {
  for (int m = 0; m < measures.size(); ++m) {
    ItemRow row = FromMeasure(measures[m]);
    row.parent_kind = parent_kind;
    row.position = m;
    std::string id = measures[m].code().empty() ? absl::StrCat("#", m) : measures[m].code();
    out.push_back({absl::StrCat(parent_path, "|4:", id), parent_path, std::move(row)});
  }
}

// The tree flattened parents-first, with document positions.
std::vector<PlannedRow> Flatten(const PlanTree& tree) {
  std::vector<PlannedRow> out;
  for (int p = 0; p < tree.priorities_size(); ++p) {
    const auto& priority = tree.priorities(p);
    std::string p_path = absl::StrCat("1:", priority.code());
    ItemRow p_row = FromPriority(priority);
    p_row.parent_kind = ItemKind::kPlan;
    p_row.position = p;
    out.push_back({p_path, "", std::move(p_row)});
    AddMeasures(p_path, ItemKind::kPriority, priority.measures(), out);
    for (int o = 0; o < priority.outcomes_size(); ++o) {
      const auto& outcome = priority.outcomes(o);
      std::string o_path = absl::StrCat(p_path, "|2:", outcome.code());
      ItemRow o_row = FromOutcome(outcome);
      o_row.parent_kind = ItemKind::kPriority;
      o_row.position = o;
      out.push_back({o_path, p_path, std::move(o_row)});
      AddMeasures(o_path, ItemKind::kOutcome, outcome.measures(), out);
      for (int a = 0; a < outcome.activities_size(); ++a) {
        ItemRow a_row = FromActivity(outcome.activities(a));
        a_row.parent_kind = ItemKind::kOutcome;
        a_row.position = a;
        out.push_back(
            {absl::StrCat(o_path, "|3:", outcome.activities(a).code()), o_path, std::move(a_row)});
      }
    }
  }
  return out;
}

// Paths of the rows already stored, computed from their parents' codes.
std::map<std::string, ItemRow> ExistingByPath(Session& conn, const PlanKey& key) {
  Stmt st(conn.Prepare(absl::StrCat(
      "SELECT ", kItemColumns,
      " FROM plan_items WHERE org_id = ? AND plan_id = ? ORDER BY kind, parent_id, position, "
      "item_id FOR UPDATE")));
  st->setString(1, key.organisation);
  st->setString(2, key.plan);
  Rows rs(st->executeQuery());
  std::unordered_map<int64_t, std::string> path_of;
  std::map<std::string, ItemRow> out;
  while (rs->next()) {
    ItemRow row = ReadItem(*rs);
    std::string parent = row.parent_kind == ItemKind::kPlan ? "" : path_of[row.parent_id];
    std::string id = row.code;
    if (row.kind == ItemKind::kMeasure && id.empty()) {
      id = absl::StrCat("#", row.position);
    }
    std::string path =
        absl::StrCat(parent, parent.empty() ? "" : "|", static_cast<int>(row.kind), ":", id);
    path_of[row.id] = path;
    out.emplace(path, std::move(row));
  }
  return out;
}

}  // namespace

absl::StatusOr<PlanTree> MysqlPlanRepository::GetPlanTree(const PlanKey& key) {
  return QuerySql<PlanTree>(pool_, Deadline(), "GetPlanTree",
                            [&](Session& c) { return LoadTree(c, key); });
}

absl::StatusOr<PlanTree> MysqlPlanRepository::ImportPlan(const PlanKey& key, const PlanTree& tree,
                                                         bool replace, bool keep_missing,
                                                         const RequestKey* request) {
  PlanTree out;
  GT_RETURN_IF_ERROR(RunTransaction(
      pool_, absl::Now() + absl::Minutes(2), "ImportPlan", [&](Session& c) -> absl::Status {
        if (request != nullptr) {
          GT_ASSIGN_OR_RETURN(auto previous, ClaimRequest(c, *request));
          if (previous.has_value()) {
            out.ParseFromString(*previous);
            return absl::OkStatus();
          }
        }
        std::vector<PlannedRow> planned = Flatten(tree);
        // Lock the organisation's id counter first, always in this order, so
        // concurrent imports queue instead of deadlocking.
        GT_ASSIGN_OR_RETURN(int64_t next_id, AllocateIds(c, key.organisation, 0));

        std::map<std::string, ItemRow> existing;
        auto current = LoadPlan(c, key, true);
        if (current.ok()) {
          if (!replace) {
            return absl::AlreadyExistsError(
                absl::StrCat("plan ", PlanName(key), " already exists (\"", current->title(),
                             "\"); import with replace=true to replace its tree"));
          }
          Stmt upd(c.Prepare(
              "UPDATE plans SET title = ?, description = ?, period_start = ?, period_end = ?, "
              "state = ?, source = ?, version = version + 1, update_time = UTC_TIMESTAMP(6) "
              "WHERE org_id = ? AND plan_id = ?"));
          const Plan& p = tree.plan();
          upd->setString(1, p.title());
          upd->setString(2, p.description());
          upd->setString(3, p.period_start());
          upd->setString(4, p.period_end());
          upd->setInt(5, p.state() == goldenthread::v1::PLAN_STATE_UNSPECIFIED ? current->state()
                                                                               : p.state());
          upd->setString(6, p.source());
          upd->setString(7, key.organisation);
          upd->setString(8, key.plan);
          upd->executeUpdate();
          existing = ExistingByPath(c, key);
        } else if (current.status().code() == absl::StatusCode::kNotFound) {
          InsertPlan(c, key, tree.plan());
        } else {
          return current.status();
        }

        // Assign ids: kept where the code path matches, fresh otherwise.
        std::unordered_map<std::string, int64_t> id_of;
        std::vector<ItemRow> inserts;
        std::vector<ItemRow> updates;
        int64_t fresh = next_id;
        for (PlannedRow& planned_row : planned) {
          ItemRow& row = planned_row.row;
          row.parent_id = planned_row.parent_path.empty() ? 0 : id_of[planned_row.parent_path];
          auto match = existing.find(planned_row.path);
          if (match != existing.end()) {
            row.id = match->second.id;
            row.version = match->second.version + 1;
            updates.push_back(row);
            existing.erase(match);
          } else {
            row.id = fresh++;
            row.version = 1;
            inserts.push_back(row);
          }
          id_of[planned_row.path] = row.id;
        }
        if (fresh > next_id) {
          GT_RETURN_IF_ERROR(
              AllocateIds(c, key.organisation, static_cast<int>(fresh - next_id)).status());
        }
        // What is left in `existing` is no longer in the document (kept
        // when asked: a re-import's first step, see ImportPlanRequest).
        if (keep_missing) {
          existing.clear();
        }
        for (const auto& [path, row] : existing) {
          for (const char* table :
               {kItemDependentTables[0], kItemDependentTables[1], "plan_items"}) {
            Stmt del(c.Prepare(absl::StrCat("DELETE FROM ", table,
                                            " WHERE org_id = ? AND plan_id = ? AND item_id = ?")));
            del->setString(1, key.organisation);
            del->setString(2, key.plan);
            del->setInt64(3, row.id);
            del->executeUpdate();
          }
        }
        for (const ItemRow& row : updates) {
          Stmt st(c.Prepare(absl::StrCat("REPLACE INTO plan_items (", kItemInsertColumns,
                                         ") VALUES ", PlaceholderRows(1, kItemInsertColumnCount))));
          BindItemInsert(*st, 1, key, row);
          st->executeUpdate();
          if (row.kind == ItemKind::kMeasure) {
            WriteTargets(c, key, row.id, row.targets, true);
          }
        }
        constexpr size_t kBatch = 200;
        for (size_t start = 0; start < inserts.size(); start += kBatch) {
          size_t n = std::min(kBatch, inserts.size() - start);
          Stmt st(c.Prepare(
              absl::StrCat("INSERT INTO plan_items (", kItemInsertColumns, ") VALUES ",
                           PlaceholderRows(static_cast<int>(n), kItemInsertColumnCount))));
          for (size_t i = 0; i < n; ++i) {
            BindItemInsert(*st, static_cast<int>(i) * kItemInsertColumnCount + 1, key,
                           inserts[start + i]);
          }
          st->executeUpdate();
        }
        for (const ItemRow& row : inserts) {
          if (row.kind == ItemKind::kMeasure && !row.targets.empty()) {
            WriteTargets(c, key, row.id, row.targets, false);
          }
        }
        GT_ASSIGN_OR_RETURN(out, LoadTree(c, key));
        if (request != nullptr) {
          RecordResponse(c, *request, out);
        }
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace gt::plan
