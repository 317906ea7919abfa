// The read side of milestone-service: history, as-of state, overdue counts,
// and what watchers need.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/overdue.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/validation.h"
#include "milestone_manager.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

absl::StatusOr<v1::ListMilestoneUpdatesResponse> MilestoneManager::ListMilestoneUpdates(
    const Caller& caller, const v1::ListMilestoneUpdatesRequest& request) {
  PlanRef plan;
  std::optional<int64_t> milestone_id;
  auto as_milestone = ParseMilestone("parent", request.parent());
  if (as_milestone.ok()) {
    plan = as_milestone->plan;
    milestone_id = as_milestone->id;
  } else {
    auto as_plan = ParsePlan("parent", request.parent());
    if (!as_plan.ok()) {
      return InvalidField("parent", absl::StrCat("must be a milestone or a plan name, got '",
                                                 request.parent().substr(0, 200), "'"));
    }
    plan = *as_plan;
  }
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation,
                                       milestone_id ? "milestone" : "plan", request.parent()));
  std::optional<v1::UpdateKind> kind;
  if (request.kind() != v1::UPDATE_KIND_UNSPECIFIED) {
    if (!v1::UpdateKind_IsValid(request.kind())) {
      return InvalidField("kind", absl::StrCat("must be PROGRESS, DEADLINE_REVISION or CREATED "
                                               "(or unset for every kind), got ",
                                               request.kind()));
    }
    kind = request.kind();
  }
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 100, 1000));
  // The kind joins the fingerprint only when set, so that tokens handed out
  // before the filter existed (a report paging through history while
  // milestone-service is upgraded) stay good.
  uint64_t fp =
      kind.has_value()
          ? Fingerprint({"updates", request.parent(), request.oldest_first() ? "1" : "0",
                         v1::UpdateKind_Name(*kind)})
          : Fingerprint({"updates", request.parent(), request.oldest_first() ? "1" : "0"});
  GT_ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(request.page_token(), fp));
  int64_t after = request.oldest_first() ? 0 : INT64_MAX;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
    return InvalidField("page_token", "is not a token this list returned");
  }
  if (!milestone_id) {
    GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  }
  GT_ASSIGN_OR_RETURN(auto rows, repository_.ListUpdates(plan, milestone_id, kind, after,
                                                         request.oldest_first(), size + 1));
  v1::ListMilestoneUpdatesResponse response;
  if (static_cast<int>(rows.size()) > size) {
    rows.resize(size);
    response.set_next_page_token(EncodePageToken(fp, absl::StrCat(rows.back().update_id)));
  }
  for (const UpdateRow& row : rows) {
    *response.add_updates() = ToProto(plan, row);
  }
  return response;
}

absl::StatusOr<v1::GetMilestonesAsOfResponse> MilestoneManager::GetMilestonesAsOf(
    const Caller& caller, const v1::GetMilestonesAsOfRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  if (request.as_of().empty()) {
    return InvalidField("as_of", "must not be empty");
  }
  GT_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate("as_of", request.as_of()));
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 1000, 10000));
  std::optional<absl::Time> published;
  if (request.has_published_at()) {
    published = FromTimestamp(request.published_at());
  }
  uint64_t fp = Fingerprint(
      {"asof", request.parent(), request.as_of(), request.published_at().SerializeAsString()});
  GT_ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(request.page_token(), fp));
  size_t offset = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &offset)) {
    return InvalidField("page_token", "is not a token this list returned");
  }
  // Everything effective up to the end of the as_of day.
  absl::Time end_of_day = absl::FromCivil(day + 1, absl::UTCTimeZone());
  // One more than the page, to know whether another follows.
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  GT_ASSIGN_OR_RETURN(
      auto rows, repository_.StateAsOf(plan, end_of_day, published, static_cast<int64_t>(offset),
                                       int64_t{size} + 1));
  v1::GetMilestonesAsOfResponse response;
  const absl::CivilDay overdue_day = OverdueDay(day, now_());
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) {
    *response.add_milestones() = ToProto(plan, rows[i], overdue_day);
  }
  if (rows.size() > static_cast<size_t>(size)) {
    response.set_next_page_token(EncodePageToken(fp, absl::StrCat(offset + size)));
  }
  return response;
}

absl::StatusOr<v1::CountOverdueResponse> MilestoneManager::CountOverdue(
    const Caller& caller, const v1::CountOverdueRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  // Without as_of: today, i.e. the state now, judged at the close of
  // yesterday (OverdueDay) — what the gauge and ListMilestones say.
  const absl::Time now = now_();
  absl::CivilDay as_of = absl::ToCivilDay(now, absl::UTCTimeZone());
  if (!request.as_of().empty()) {
    GT_ASSIGN_OR_RETURN(as_of, ParseDate("as_of", request.as_of()));
  }
  const absl::CivilDay day = OverdueDay(as_of, now);
  GT_RETURN_IF_ERROR(KnownEnum("", "group_by", request.group_by(), v1::Grouping_descriptor()));
  if (request.group_by() == v1::BY_LEAD_MEMBER) {
    return InvalidField("group_by",
                        "BY_LEAD_MEMBER is a property of activities; use "
                        "BY_DIRECTORATE, BY_PRIORITY, BY_OUTCOME or BY_LEAD_OFFICER");
  }
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  GT_ASSIGN_OR_RETURN(
      auto rows,
      repository_.StateAsOf(plan, absl::FromCivil(as_of + 1, absl::UTCTimeZone()), std::nullopt));
  std::map<std::string, v1::OverdueCount> groups;
  v1::CountOverdueResponse response;
  for (const MilestoneRow& row : rows) {
    std::string key;
    switch (request.group_by()) {
      case v1::BY_PRIORITY:
        key = PriorityName(plan, row.priority_id);
        break;
      case v1::BY_OUTCOME:
        key = OutcomeName(plan, row.outcome_id);
        break;
      case v1::BY_LEAD_OFFICER:
        key = row.lead_officer;
        break;
      case v1::BY_DIRECTORATE:
        key = row.directorate;
        break;
      default:
        key = "";
    }
    v1::OverdueCount& group = groups[key];
    group.set_key(key);
    group.set_milestones(group.milestones() + 1);
    if (IsOverdue(row.current_deadline, row.status, day)) {
      group.set_overdue(group.overdue() + 1);
      response.set_total_overdue(response.total_overdue() + 1);
    }
    if (IsOverdue(row.baseline_deadline, row.status, day)) {
      group.set_overdue_against_baseline(group.overdue_against_baseline() + 1);
      response.set_total_overdue_against_baseline(response.total_overdue_against_baseline() + 1);
    }
  }
  for (auto& [key, group] : groups) {
    *response.add_counts() = std::move(group);
  }
  return response;
}

absl::StatusOr<PlanRef> MilestoneManager::WatchTarget(
    const Caller& caller, const v1::WatchMilestoneUpdatesRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  if (request.start_after_sequence() < 0) {
    return InvalidField("start_after_sequence", "must not be negative");
  }
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  return plan;
}

absl::StatusOr<std::vector<v1::MilestoneUpdate>> MilestoneManager::UpdatesAfter(const PlanRef& plan,
                                                                                int64_t sequence,
                                                                                int limit) {
  GT_ASSIGN_OR_RETURN(
      auto rows, repository_.ListUpdates(plan, std::nullopt, std::nullopt, sequence, true, limit));
  std::vector<v1::MilestoneUpdate> out;
  out.reserve(rows.size());
  for (const UpdateRow& row : rows) {
    out.push_back(ToProto(plan, row));
  }
  return out;
}

}  // namespace gt::milestone
