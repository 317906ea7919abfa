#include "mysql_milestone_repository.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/idempotency.h"
#include "gt/overdue.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "mysql_milestone_rows.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;
using namespace mysql_rows;  // NOLINT: this repository's own row helpers

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
        absl::Time now = Micros(absl::Now());
        for (NewMilestone& m : milestones) {
          MilestoneRow& row = m.row;
          InsertMilestone(c, plan, m, now);
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
      // The overdue rule (gt/overdue.h) as SQL.
      absl::StrAppend(&query, " AND current_deadline <= ? AND status NOT IN ",
                      FinishedStatusesSql());
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
    StoreDescription(c, key.plan, row);
    return absl::OkStatus();
  }));
  return row;
}

absl::Status MysqlMilestoneRepository::DeleteMilestone(
    const MilestoneKey& key, const std::function<absl::Status(const MilestoneRow&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeleteMilestone", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(MilestoneRow row, LoadMilestone(c, key, true));
    GT_RETURN_IF_ERROR(check(row));
    SoftDelete(c, key.plan, key.id, Micros(absl::Now()));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<UpdateRow>> MysqlMilestoneRepository::ListUpdates(
    const PlanRef& plan, std::optional<int64_t> milestone_id, std::optional<v1::UpdateKind> kind,
    int64_t after_update_id, bool oldest_first, int limit) {
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
    if (kind.has_value()) {
      absl::StrAppend(&query, " AND kind = ?");
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
    if (kind.has_value()) {
      st->setInt(i++, *kind);
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
    // before it (without a publication instant: not deleted before the date,
    // so a milestone a re-import removed still shows in reports of the
    // dates before). The same page of them is chosen twice, for the rows and
    // for their history.
    std::string published = recorded_before.has_value() ? FormatDbTime(*recorded_before) : "";
    const std::string effective = FormatDbTime(effective_before);
    const std::string page = absl::StrCat(
        "FROM milestones WHERE org_id = ? AND plan_id = ? AND ",
        recorded_before.has_value()
            ? "create_time < ? AND (delete_time IS NULL OR delete_time >= ?)"
            : "(delete_time IS NULL OR delete_time >= ?)",
        " ORDER BY priority_position, outcome_position, activity_position, activity_id, "
        "ordinal, milestone_id LIMIT ?, ?");
    auto bind_page = [&](sql::PreparedStatement& st, int i) {
      st.setString(i++, plan.organisation);
      st.setString(i++, plan.plan);
      if (recorded_before.has_value()) {
        st.setString(i++, published);
        st.setString(i++, published);
      } else {
        st.setString(i++, effective);
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
    hs->setString(i++, effective);
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
