#include "mysql_period_repository.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/idempotency.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "mysql_milestone_rows.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;
using namespace mysql_rows;  // NOLINT: milestone-service's own row helpers

namespace {

constexpr char kPeriodColumns[] =
    "period_id, title, start_date, as_of, due_date, state, approval_required, create_time, "
    "open_time, review_time, publish_time, cancel_time, cancel_reason, pack_sha256, version";

constexpr char kReviewColumns[] =
    "review_id, period_id, milestone_id, update_id, action, reason, reviewed_by, review_time, "
    "request_id";

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay day;
  absl::ParseCivilTime(text.substr(0, 10), &day);
  return day;
}

std::optional<absl::Time> OptionalTime(sql::ResultSet& rs, int column) {
  std::string text = GetNullableString(rs, column);
  if (text.empty()) {
    return std::nullopt;
  }
  return ParseDbTime(text);
}

void BindOptionalTime(sql::PreparedStatement& st, int i, const std::optional<absl::Time>& t) {
  BindNullableString(st, i, t.has_value() ? FormatDbTime(*t) : "");
}

PeriodRow ReadPeriod(sql::ResultSet& rs) {
  PeriodRow p;
  int i = 1;
  p.id = rs.getString(i++);
  p.title = rs.getString(i++);
  p.start_date = Day(rs.getString(i++));
  p.as_of = Day(rs.getString(i++));
  p.due_date = Day(rs.getString(i++));
  p.state = rs.getInt(i++);
  p.approval_required = rs.getInt(i++) != 0;
  p.create_time = ParseDbTime(rs.getString(i++));
  p.open_time = OptionalTime(rs, i++);
  p.review_time = OptionalTime(rs, i++);
  p.publish_time = OptionalTime(rs, i++);
  p.cancel_time = OptionalTime(rs, i++);
  p.cancel_reason = rs.getString(i++);
  p.pack_sha256 = rs.getString(i++);
  p.version = rs.getInt64(i++);
  return p;
}

ReviewRow ReadReview(sql::ResultSet& rs) {
  ReviewRow r;
  int i = 1;
  r.review_id = rs.getInt64(i++);
  r.period_id = rs.getString(i++);
  r.milestone_id = rs.getInt64(i++);
  r.update_id = rs.getInt64(i++);
  r.action = rs.getInt(i++);
  r.reason = rs.getString(i++);
  r.reviewed_by = rs.getString(i++);
  r.review_time = ParseDbTime(rs.getString(i++));
  r.request_id = rs.getString(i++);
  return r;
}

// Serialises every write that must see the plan's periods unchanged.
void LockPlanPeriods(Session& c, const PlanRef& plan) {
  Stmt ins(c.Prepare("INSERT IGNORE INTO period_plans (org_id, plan_id) VALUES (?, ?)"));
  ins->setString(1, plan.organisation);
  ins->setString(2, plan.plan);
  ins->executeUpdate();
  Stmt lock(
      c.Prepare("SELECT org_id FROM period_plans WHERE org_id = ? AND plan_id = ? FOR UPDATE"));
  lock->setString(1, plan.organisation);
  lock->setString(2, plan.plan);
  Rows(lock->executeQuery());
}

std::vector<PeriodRow> PlanPeriods(Session& c, const PlanRef& plan) {
  Stmt st(c.Prepare(absl::StrCat("SELECT ", kPeriodColumns,
                                 " FROM periods WHERE org_id = ? AND plan_id = ? "
                                 "ORDER BY start_date, period_id")));
  st->setString(1, plan.organisation);
  st->setString(2, plan.plan);
  Rows rs(st->executeQuery());
  std::vector<PeriodRow> out;
  while (rs->next()) {
    out.push_back(ReadPeriod(*rs));
  }
  return out;
}

absl::StatusOr<PeriodRow> LoadPeriod(Session& c, const PeriodKey& key, bool for_update) {
  Stmt st(c.Prepare(absl::StrCat("SELECT ", kPeriodColumns,
                                 " FROM periods WHERE org_id = ? AND plan_id = ? AND period_id = ?",
                                 for_update ? " FOR UPDATE" : "")));
  st->setString(1, key.plan.organisation);
  st->setString(2, key.plan.plan);
  st->setString(3, key.id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("period", PeriodName(key));
  }
  return ReadPeriod(*rs);
}

void StorePeriod(Session& c, const PlanRef& plan, const PeriodRow& p) {
  Stmt st(c.Prepare(
      "UPDATE periods SET title = ?, state = ?, open_time = ?, review_time = ?, "
      "publish_time = ?, cancel_time = ?, cancel_reason = ?, pack_sha256 = ?, version = ? "
      "WHERE org_id = ? AND plan_id = ? AND period_id = ?"));
  int i = 1;
  st->setString(i++, p.title);
  st->setInt(i++, p.state);
  BindOptionalTime(*st, i++, p.open_time);
  BindOptionalTime(*st, i++, p.review_time);
  BindOptionalTime(*st, i++, p.publish_time);
  BindOptionalTime(*st, i++, p.cancel_time);
  st->setString(i++, p.cancel_reason);
  st->setString(i++, p.pack_sha256);
  st->setInt64(i++, p.version);
  st->setString(i++, plan.organisation);
  st->setString(i++, plan.plan);
  st->setString(i++, p.id);
  st->executeUpdate();
}

// DueFacts on one connection (inside the caller's transaction when it has
// one).
DueFacts ReadDueFacts(Session& c, const PlanRef& plan, const PeriodRow& period) {
  DueFacts facts;
  {
    Stmt st(c.Prepare(absl::StrCat(
        "SELECT ", kMilestoneColumns,
        " FROM milestones WHERE org_id = ? AND plan_id = ? AND delete_time IS NULL "
        "ORDER BY priority_position, outcome_position, activity_position, activity_id, ordinal, "
        "milestone_id")));
    st->setString(1, plan.organisation);
    st->setString(2, plan.plan);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      facts.live.push_back(ReadMilestone(*rs));
    }
  }
  std::map<int64_t, MilestoneRow> before;
  for (const MilestoneRow& m : facts.live) {
    before.emplace(m.id, Initial(m));
  }
  const std::string begin = FormatDbTime(period.Begin());
  const std::string end = FormatDbTime(period.End());
  {
    // Each milestone's state as the period began: its history folded.
    Stmt st(c.Prepare(absl::StrCat("SELECT ", kUpdateColumns,
                                   " FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND "
                                   "effective_at < ? ORDER BY milestone_id, effective_at, "
                                   "update_id")));
    st->setString(1, plan.organisation);
    st->setString(2, plan.plan);
    st->setString(3, begin);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      UpdateRow u = ReadUpdate(*rs);
      if (auto it = before.find(u.milestone_id); it != before.end()) {
        Apply(u, it->second);
      }
    }
    for (const auto& [id, state] : before) {
      facts.status_before.emplace(id, state.status);
    }
  }
  {
    Stmt st(c.Prepare(
        absl::StrCat("SELECT ", kUpdateColumns,
                     " FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND kind = ? AND "
                     "effective_at >= ? AND effective_at < ?")));
    st->setString(1, plan.organisation);
    st->setString(2, plan.plan);
    st->setInt(3, v1::PROGRESS);
    st->setString(4, begin);
    st->setString(5, end);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      UpdateRow u = ReadUpdate(*rs);
      auto [it, fresh] = facts.latest_in_period.emplace(u.milestone_id, u);
      if (!fresh && u.update_id > it->second.update_id) {
        it->second = std::move(u);
      }
    }
  }
  {
    Stmt st(c.Prepare(
        "SELECT milestone_id, MAX(recorded_at) FROM milestone_updates WHERE org_id = ? AND "
        "plan_id = ? AND kind = ? GROUP BY milestone_id"));
    st->setString(1, plan.organisation);
    st->setString(2, plan.plan);
    st->setInt(3, v1::PROGRESS);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      facts.last_progress.emplace(rs->getInt64(1), ParseDbTime(rs->getString(2)));
    }
  }
  {
    Stmt st(c.Prepare(absl::StrCat("SELECT ", kReviewColumns,
                                   " FROM update_reviews WHERE org_id = ? AND plan_id = ? AND "
                                   "period_id = ? ORDER BY review_id")));
    st->setString(1, plan.organisation);
    st->setString(2, plan.plan);
    st->setString(3, period.id);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      ReviewRow r = ReadReview(*rs);
      facts.latest_review[r.update_id] = std::move(r);
    }
  }
  return facts;
}

}  // namespace

absl::StatusOr<WriteResult<std::vector<PeriodRow>>> MysqlPeriodRepository::CreatePeriods(
    const PlanRef& plan, std::vector<PeriodRow> periods, const RequestKey* request,
    const std::function<absl::Status(const std::vector<PeriodRow>&)>& check,
    const std::function<std::string(const std::vector<PeriodRow>&)>& encode) {
  WriteResult<std::vector<PeriodRow>> result;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "CreatePeriods", [&](Session& c) -> absl::Status {
        result.value.clear();
        if (request != nullptr) {
          GT_ASSIGN_OR_RETURN(result.replayed, FindAnswer(c, *request));
          if (result.replayed.has_value()) {
            return absl::OkStatus();
          }
        }
        LockPlanPeriods(c, plan);
        GT_RETURN_IF_ERROR(check(PlanPeriods(c, plan)));
        absl::Time now = Micros(absl::Now());
        for (PeriodRow p : periods) {
          p.create_time = now;
          p.version = 1;
          Stmt st(c.Prepare(
              "INSERT INTO periods (org_id, plan_id, period_id, title, start_date, as_of, "
              "due_date, state, approval_required, create_time, cancel_reason, pack_sha256, "
              "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?)"));
          int i = 1;
          st->setString(i++, plan.organisation);
          st->setString(i++, plan.plan);
          st->setString(i++, p.id);
          st->setString(i++, p.title);
          st->setString(i++, FormatDate(p.start_date));
          st->setString(i++, FormatDate(p.as_of));
          st->setString(i++, FormatDate(p.due_date));
          st->setInt(i++, p.state);
          st->setInt(i++, p.approval_required ? 1 : 0);
          st->setString(i++, FormatDbTime(p.create_time));
          st->setInt64(i++, p.version);
          st->executeUpdate();
          result.value.push_back(std::move(p));
        }
        if (request != nullptr) {
          GT_RETURN_IF_ERROR(StoreAnswer(c, *request, encode(result.value)));
        }
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<PeriodRow> MysqlPeriodRepository::GetPeriod(const PeriodKey& key) {
  return QuerySql<PeriodRow>(pool_, Deadline(), "GetPeriod",
                             [&](Session& c) { return LoadPeriod(c, key, false); });
}

absl::StatusOr<std::vector<PeriodRow>> MysqlPeriodRepository::ListPeriods(
    const PlanRef& plan, const std::string& after_id, int limit) {
  std::vector<PeriodRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListPeriods", [&](Session& c) {
    // Periods never overlap, so start dates are distinct: the cursor is the
    // last period's start date, read back from its id.
    std::vector<PeriodRow> all = PlanPeriods(c, plan);
    bool past = after_id.empty();
    for (PeriodRow& p : all) {
      if (past && static_cast<int>(out.size()) < limit) {
        out.push_back(std::move(p));
      } else if (p.id == after_id) {
        past = true;
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<PeriodRow> MysqlPeriodRepository::ChangePeriod(
    const PeriodKey& key, const std::function<absl::Status(PeriodRow&)>& change) {
  PeriodRow row;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "ChangePeriod", [&](Session& c) -> absl::Status {
        GT_ASSIGN_OR_RETURN(row, LoadPeriod(c, key, true));
        GT_RETURN_IF_ERROR(change(row));
        ++row.version;
        StorePeriod(c, key.plan, row);
        return absl::OkStatus();
      }));
  return row;
}

absl::StatusOr<DueFacts> MysqlPeriodRepository::Due(const PlanRef& plan, const PeriodRow& period) {
  return QuerySql<DueFacts>(
      pool_, Deadline(), "DueUpdates",
      [&](Session& c) -> absl::StatusOr<DueFacts> { return ReadDueFacts(c, plan, period); });
}

absl::StatusOr<WriteResult<ReviewRow>> MysqlPeriodRepository::Review(
    const UpdateKey& key, const RequestKey* request,
    const std::function<absl::StatusOr<ReviewRow>(const ReviewContext&)>& decide,
    const std::function<std::string(const ReviewRow&)>& encode) {
  WriteResult<ReviewRow> result;
  const PlanRef& plan = key.milestone.plan;
  GT_RETURN_IF_ERROR(
      RunTransaction(pool_, Deadline(), "ReviewUpdate", [&](Session& c) -> absl::Status {
        if (request != nullptr) {
          GT_ASSIGN_OR_RETURN(result.replayed, FindAnswer(c, *request));
          if (result.replayed.has_value()) {
            return absl::OkStatus();
          }
        }
        ReviewContext context;
        // The update first (no lock: history never changes), to find its
        // period; then the period's lock, then the milestone's.
        {
          Stmt st(c.Prepare(absl::StrCat(
              "SELECT ", kUpdateColumns,
              " FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND update_id = ? AND "
              "milestone_id = ?")));
          st->setString(1, plan.organisation);
          st->setString(2, plan.plan);
          st->setInt64(3, key.update_id);
          st->setInt64(4, key.milestone.id);
          Rows rs(st->executeQuery());
          if (!rs->next()) {
            return NotFound("update", UpdateName(plan, key.milestone.id, key.update_id));
          }
          context.update = ReadUpdate(*rs);
        }
        {
          absl::CivilDay day = absl::ToCivilDay(context.update.effective_at, absl::UTCTimeZone());
          Stmt st(c.Prepare(absl::StrCat(
              "SELECT ", kPeriodColumns,
              " FROM periods WHERE org_id = ? AND plan_id = ? AND start_date <= ? AND as_of >= ? "
              "AND state <> ? ORDER BY start_date LIMIT 1 FOR UPDATE")));
          st->setString(1, plan.organisation);
          st->setString(2, plan.plan);
          st->setString(3, FormatDate(day));
          st->setString(4, FormatDate(day));
          st->setInt(5, v1::Period::CANCELLED);
          Rows rs(st->executeQuery());
          if (rs->next()) {
            context.period = ReadPeriod(*rs);
          }
        }
        GT_ASSIGN_OR_RETURN(context.milestone, LoadMilestone(c, key.milestone, true));
        if (context.period.has_value()) {
          Stmt st(c.Prepare(
              "SELECT MAX(update_id) FROM milestone_updates WHERE org_id = ? AND plan_id = ? AND "
              "milestone_id = ? AND kind = ? AND effective_at >= ? AND effective_at < ?"));
          st->setString(1, plan.organisation);
          st->setString(2, plan.plan);
          st->setInt64(3, key.milestone.id);
          st->setInt(4, v1::PROGRESS);
          st->setString(5, FormatDbTime(context.period->Begin()));
          st->setString(6, FormatDbTime(context.period->End()));
          Rows rs(st->executeQuery());
          if (rs->next() && !rs->isNull(1)) {
            context.latest_in_period = rs->getInt64(1);
          }
          Stmt rv(c.Prepare(absl::StrCat(
              "SELECT ", kReviewColumns,
              " FROM update_reviews WHERE org_id = ? AND plan_id = ? AND period_id = ? AND "
              "update_id = ? ORDER BY review_id DESC LIMIT 1")));
          rv->setString(1, plan.organisation);
          rv->setString(2, plan.plan);
          rv->setString(3, context.period->id);
          rv->setInt64(4, key.update_id);
          Rows rrs(rv->executeQuery());
          if (rrs->next()) {
            context.latest_review = ReadReview(*rrs);
          }
        }
        GT_ASSIGN_OR_RETURN(ReviewRow review, decide(context));
        review.review_time = Micros(absl::Now());
        Stmt st(c.Prepare(
            "INSERT INTO update_reviews (org_id, plan_id, period_id, milestone_id, update_id, "
            "action, reason, reviewed_by, review_time, request_id) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        int i = 1;
        st->setString(i++, plan.organisation);
        st->setString(i++, plan.plan);
        st->setString(i++, review.period_id);
        st->setInt64(i++, review.milestone_id);
        st->setInt64(i++, review.update_id);
        st->setInt(i++, review.action);
        st->setString(i++, review.reason);
        st->setString(i++, review.reviewed_by);
        st->setString(i++, FormatDbTime(review.review_time));
        st->setString(i++, review.request_id);
        st->executeUpdate();
        review.review_id = LastInsertId(c);
        result.value = review;
        if (request != nullptr) {
          GT_RETURN_IF_ERROR(StoreAnswer(c, *request, encode(review)));
        }
        return absl::OkStatus();
      }));
  return result;
}

absl::StatusOr<std::vector<ReviewRow>> MysqlPeriodRepository::ListReviews(const PeriodKey& key,
                                                                          int64_t after_review_id,
                                                                          int limit) {
  std::vector<ReviewRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListUpdateReviews", [&](Session& c) {
    Stmt st(c.Prepare(absl::StrCat("SELECT ", kReviewColumns,
                                   " FROM update_reviews WHERE org_id = ? AND plan_id = ? AND "
                                   "period_id = ? AND review_id > ? ORDER BY review_id LIMIT ?")));
    st->setString(1, key.plan.organisation);
    st->setString(2, key.plan.plan);
    st->setString(3, key.id);
    st->setInt64(4, after_review_id);
    st->setInt(5, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadReview(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<WriteResult<PeriodRow>> MysqlPeriodRepository::Publish(
    const PeriodKey& key, const RequestKey* request,
    const std::function<absl::Status(PeriodRow&, const DueFacts&)>& decide,
    const std::vector<PackFileRow>& files, bool dry_run,
    const std::function<std::string(const PeriodRow&)>& encode) {
  WriteResult<PeriodRow> result;
  auto body = [&](Session& c) -> absl::Status {
    if (request != nullptr) {
      GT_ASSIGN_OR_RETURN(result.replayed, FindAnswer(c, *request));
      if (result.replayed.has_value()) {
        return absl::OkStatus();
      }
    }
    GT_ASSIGN_OR_RETURN(PeriodRow row, LoadPeriod(c, key, true));
    DueFacts facts = ReadDueFacts(c, key.plan, row);
    if (dry_run) {
      // Checked only: the answer is the period as it stands.
      PeriodRow decided = row;
      GT_RETURN_IF_ERROR(decide(decided, facts));
      result.value = row;
      return absl::OkStatus();
    }
    GT_RETURN_IF_ERROR(decide(row, facts));
    ++row.version;
    result.value = row;
    for (size_t n = 0; n < files.size(); ++n) {
      const PackFileRow& f = files[n];
      Stmt st(c.Prepare(
          "INSERT INTO period_pack_files (org_id, plan_id, period_id, position, filename, "
          "content_type, sha256, size_bytes, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      int i = 1;
      st->setString(i++, key.plan.organisation);
      st->setString(i++, key.plan.plan);
      st->setString(i++, key.id);
      st->setInt(i++, static_cast<int>(n));
      st->setString(i++, f.filename);
      st->setString(i++, f.content_type);
      st->setString(i++, f.sha256);
      st->setInt64(i++, f.size_bytes);
      st->setString(i++, f.content);
      st->executeUpdate();
    }
    StorePeriod(c, key.plan, row);
    if (request != nullptr) {
      GT_RETURN_IF_ERROR(StoreAnswer(c, *request, encode(row)));
    }
    return absl::OkStatus();
  };
  if (dry_run) {
    GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "CheckPublication", body));
  } else {
    GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "RecordPublication", body));
  }
  return result;
}

absl::StatusOr<std::vector<PackFileRow>> MysqlPeriodRepository::PackFiles(
    const PeriodKey& key, const std::string& filename) {
  std::vector<PackFileRow> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetPeriodPack", [&](Session& c) -> absl::Status {
    Stmt st(c.Prepare(absl::StrCat(
        "SELECT filename, content_type, sha256, size_bytes, ", filename.empty() ? "''" : "content",
        " FROM period_pack_files WHERE org_id = ? AND plan_id = ? AND period_id = ?",
        filename.empty() ? "" : " AND filename = ?", " ORDER BY position")));
    st->setString(1, key.plan.organisation);
    st->setString(2, key.plan.plan);
    st->setString(3, key.id);
    if (!filename.empty()) {
      st->setString(4, filename);
    }
    Rows rs(st->executeQuery());
    while (rs->next()) {
      PackFileRow f;
      f.filename = rs->getString(1);
      f.content_type = rs->getString(2);
      f.sha256 = rs->getString(3);
      f.size_bytes = rs->getInt64(4);
      f.content = rs->getString(5);
      out.push_back(std::move(f));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<std::pair<PlanRef, PeriodRow>>> MysqlPeriodRepository::PeriodsInRound() {
  std::vector<std::pair<PlanRef, PeriodRow>> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "PeriodsInRound", [&](Session& c) {
    Stmt st(c.Prepare(absl::StrCat("SELECT ", kPeriodColumns,
                                   ", org_id, plan_id FROM periods WHERE state IN (?, ?) "
                                   "ORDER BY org_id, plan_id, start_date")));
    st->setInt(1, v1::Period::OPEN);
    st->setInt(2, v1::Period::IN_REVIEW);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      PeriodRow p = ReadPeriod(*rs);
      out.emplace_back(PlanRef{rs->getString(16), rs->getString(17)}, std::move(p));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gt::milestone
