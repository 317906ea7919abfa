#include "milestone_model.h"

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/overdue.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "gt/timestamps.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

absl::Time Never() {
  return absl::FromCivil(absl::CivilSecond(1000, 1, 1, 0, 0, 0), absl::UTCTimeZone());
}

std::string PlanName(const PlanRef& plan) {
  return absl::StrCat("organisations/", plan.organisation, "/plans/", plan.plan);
}
std::string MilestoneName(const PlanRef& plan, int64_t id) {
  return absl::StrCat(PlanName(plan), "/milestones/", id);
}
std::string ActivityName(const PlanRef& plan, int64_t id) {
  return absl::StrCat(PlanName(plan), "/activities/", id);
}
std::string OutcomeName(const PlanRef& plan, int64_t id) {
  return absl::StrCat(PlanName(plan), "/outcomes/", id);
}
std::string PriorityName(const PlanRef& plan, int64_t id) {
  return absl::StrCat(PlanName(plan), "/priorities/", id);
}

absl::StatusOr<PlanRef> ParsePlan(absl::string_view field, absl::string_view name) {
  GT_ASSIGN_OR_RETURN(auto vars,
                      MatchName(field, name, "organisations/{organisation}/plans/{plan}"));
  return PlanRef{vars[0], vars[1]};
}

absl::StatusOr<MilestoneKey> ParseMilestone(absl::string_view field, absl::string_view name) {
  GT_ASSIGN_OR_RETURN(
      auto vars,
      MatchName(field, name, "organisations/{organisation}/plans/{plan}/milestones/{milestone}"));
  GT_ASSIGN_OR_RETURN(int64_t id, ParseNumericId(field, vars[2]));
  return MilestoneKey{PlanRef{vars[0], vars[1]}, id};
}

absl::StatusOr<int64_t> ParseActivity(absl::string_view field, absl::string_view name,
                                      const PlanRef& plan) {
  GT_ASSIGN_OR_RETURN(
      auto vars,
      MatchName(field, name, "organisations/{organisation}/plans/{plan}/activities/{activity}"));
  if (vars[0] != plan.organisation || vars[1] != plan.plan) {
    return InvalidField(field, absl::StrCat("must be an activity of ", PlanName(plan), ", got '",
                                            name.substr(0, 200), "'"));
  }
  return ParseNumericId(field, vars[2]);
}

MilestoneRow Initial(const MilestoneRow& identity) {
  MilestoneRow state = identity;
  state.status = v1::NOT_STARTED;
  state.percent_complete = 0;
  state.latest_comment.clear();
  state.completed_date.clear();
  state.current_deadline = identity.baseline_deadline;
  state.revision_count = 0;
  state.progress_effective_at = Never();
  state.deadline_effective_at = Never();
  return state;
}

void Apply(const UpdateRow& update, MilestoneRow& state) {
  if (update.kind == v1::DEADLINE_REVISION) {
    state.revision_count++;
    if (update.effective_at >= state.deadline_effective_at) {
      state.current_deadline = update.new_deadline;
      state.deadline_effective_at = update.effective_at;
    }
    return;
  }
  // PROGRESS and CREATED carry a progress state.
  if (update.effective_at < state.progress_effective_at) {
    return;
  }
  bool was_completed = state.status == v1::COMPLETED;
  state.status = update.status;
  state.percent_complete = update.percent_complete;
  state.latest_comment = update.comment;
  if (update.status != v1::COMPLETED) {
    state.completed_date.clear();
  } else if (!was_completed || state.completed_date.empty()) {
    state.completed_date = FormatDate(absl::ToCivilDay(update.effective_at, absl::UTCTimeZone()));
  }
  state.progress_effective_at = update.effective_at;
}

bool IsOverdue(const std::string& deadline, int32_t status, absl::CivilDay day) {
  return gt::IsOverdue(deadline, static_cast<v1::MilestoneStatus>(status), day);
}

v1::Milestone ToProto(const PlanRef& plan, const MilestoneRow& row, absl::CivilDay overdue_at) {
  v1::Milestone m;
  m.set_name(MilestoneName(plan, row.id));
  m.set_activity(ActivityName(plan, row.activity_id));
  m.set_ordinal(row.ordinal);
  m.set_title(row.title);
  m.set_lead_officer(row.lead_officer);
  m.set_directorate(row.directorate);
  m.set_deadline_assumed(row.deadline_assumed);
  m.set_baseline_deadline(row.baseline_deadline);
  m.set_current_deadline(row.current_deadline);
  m.set_status(static_cast<v1::MilestoneStatus>(row.status));
  m.set_percent_complete(row.percent_complete);
  m.set_latest_comment(row.latest_comment);
  m.set_completed_date(row.completed_date);
  m.set_overdue(IsOverdue(row.current_deadline, row.status, overdue_at));
  m.set_overdue_against_baseline(IsOverdue(row.baseline_deadline, row.status, overdue_at));
  m.set_revision_count(row.revision_count);
  m.set_outcome(OutcomeName(plan, row.outcome_id));
  m.set_priority(PriorityName(plan, row.priority_id));
  *m.mutable_create_time() = ToTimestamp(row.create_time);
  *m.mutable_update_time() = ToTimestamp(row.update_time);
  m.set_etag(MakeEtag(m.name(), row.version));
  return m;
}

v1::MilestoneUpdate ToProto(const PlanRef& plan, const UpdateRow& row) {
  v1::MilestoneUpdate u;
  u.set_milestone(MilestoneName(plan, row.milestone_id));
  u.set_name(absl::StrCat(u.milestone(), "/updates/", row.update_id));
  u.set_kind(row.kind);
  u.set_status(static_cast<v1::MilestoneStatus>(row.status));
  u.set_percent_complete(row.percent_complete);
  u.set_comment(row.comment);
  u.set_previous_deadline(row.previous_deadline);
  u.set_new_deadline(row.new_deadline);
  u.set_reason(row.reason);
  *u.mutable_effective_at() = ToTimestamp(row.effective_at);
  *u.mutable_recorded_at() = ToTimestamp(row.recorded_at);
  u.set_request_id(row.request_id);
  u.set_recorded_by(row.recorded_by);
  u.set_sequence(row.update_id);
  return u;
}

}  // namespace gt::milestone
