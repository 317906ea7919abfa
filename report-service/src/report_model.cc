#include "report_model.h"

#include <cmath>

#include "gt/dates.h"
#include "gt/overdue.h"
#include "gt/timestamps.h"
#include "measure_status.h"

namespace gt::report {

PlanView::PlanView(const PlanData& data, const ReportScope& scope) : data_(data), scope_(scope) {
  for (const v1::Milestone& m : data_.milestones) {
    by_activity_[m.activity()].push_back(&m);
  }
  for (const v1::MeasureValue& v : data_.measure_values) {
    // ".../measures/{m}/values/{date}"
    const std::string& name = v.name();
    values_by_measure_[name.substr(0, name.rfind("/values/"))].push_back(&v);
  }
  activity_reports_apply_ = true;
  auto start = ParseDate("period_start", data_.tree.plan().period_start());
  if (start.ok() && scope_.as_of < *start) {
    activity_reports_apply_ = false;
  }
  const auto& created = data_.tree.plan().create_time();
  if (scope_.published_at.has_value() && (created.seconds() != 0 || created.nanos() != 0) &&
      *scope_.published_at < FromTimestamp(created)) {
    activity_reports_apply_ = false;
  }
}

v1::ReportMeasure PlanView::MeasureRow(const v1::Measure& measure) const {
  auto it = values_by_measure_.find(measure.name());
  static const std::vector<const v1::MeasureValue*> kNone;
  return JudgeMeasure(measure, it == values_by_measure_.end() ? kNone : it->second, scope_.as_of);
}

const std::vector<const v1::Milestone*>& PlanView::MilestonesOf(const std::string& activity) const {
  auto it = by_activity_.find(activity);
  return it == by_activity_.end() ? none_ : it->second;
}

ActivityState PlanView::StateOf(const v1::Activity& activity) const {
  ActivityState state;
  if (activity_reports_apply_) {
    state.reported_status = activity.reported_status();
    state.comment = activity.reported_comment();
  }
  const auto& milestones = MilestonesOf(activity.name());
  if (milestones.empty()) {
    state.source = v1::REPORTED;
    if (activity_reports_apply_ && activity.reported_status() != v1::MILESTONE_STATUS_UNSPECIFIED) {
      state.status = activity.reported_status();
      state.percent_complete = activity.has_reported_percent_complete()
                                   ? activity.reported_percent_complete()
                               : state.status == v1::COMPLETED ? 100
                                                               : 0;
    }
    state.overdue = IsOverdue(activity.deadline(), state.status, scope_.overdue_day);
    return state;
  }
  state.source = v1::ROLLED_UP;
  state.status = RollUp(milestones);
  state.percent_complete = MeanPercent(milestones);
  bool any_overdue = false;
  for (const v1::Milestone* m : milestones) {
    any_overdue = any_overdue || m->overdue();
  }
  state.overdue = any_overdue || IsOverdue(activity.deadline(), state.status, scope_.overdue_day);
  return state;
}

bool PlanView::Listed(const v1::Milestone& m) const {
  if (IsFinishedStatus(m.status())) {
    return false;
  }
  return m.overdue() || m.overdue_against_baseline() || m.status() == v1::DELAYED;
}

v1::MilestoneStatus RollUp(const std::vector<const v1::Milestone*>& milestones) {
  int counted = 0;
  int completed = 0;
  int finished = 0;
  int not_started = 0;
  bool delayed = false;
  for (const v1::Milestone* m : milestones) {
    if (m->status() == v1::CANCELLED) {
      continue;
    }
    ++counted;
    completed += m->status() == v1::COMPLETED ? 1 : 0;
    finished += IsFinishedStatus(m->status()) ? 1 : 0;
    not_started += m->status() == v1::NOT_STARTED ? 1 : 0;
    delayed = delayed || m->status() == v1::DELAYED;
  }
  if (counted == 0) {
    return v1::CANCELLED;
  }
  if (completed == counted) {
    return v1::COMPLETED;
  }
  if (delayed) {
    return v1::DELAYED;
  }
  if (finished == counted) {
    return v1::DEFERRED;
  }
  if (not_started == counted) {
    return v1::NOT_STARTED;
  }
  return v1::ON_TARGET;
}

int32_t MeanPercent(const std::vector<const v1::Milestone*>& milestones) {
  int counted = 0;
  int sum = 0;
  for (const v1::Milestone* m : milestones) {
    if (m->status() != v1::CANCELLED) {
      ++counted;
      sum += m->percent_complete();
    }
  }
  return counted == 0 ? 0 : static_cast<int32_t>(std::lround(static_cast<double>(sum) / counted));
}

std::string StatusLabel(v1::MilestoneStatus status) {
  switch (status) {
    case v1::NOT_STARTED:
      return "Not started";
    case v1::ON_TARGET:
      return "On target";
    case v1::DELAYED:
      return "Delayed";
    case v1::COMPLETED:
      return "Completed";
    case v1::DEFERRED:
      return "Deferred";
    case v1::CANCELLED:
      return "Cancelled";
    default:
      return "Not reported";
  }
}

int32_t DaysBetween(const std::string& from, const std::string& to) {
  auto a = ParseDate("from", from);
  auto b = ParseDate("to", to);
  if (!a.ok() || !b.ok()) {
    return 0;
  }
  return static_cast<int32_t>(*b - *a);
}

v1::ReportHeader MakeHeader(const PlanData& data, const ReportScope& scope, absl::string_view title,
                            absl::Time now) {
  v1::ReportHeader header;
  header.set_title(std::string(title));
  header.set_organisation("organisations/" + scope.organisation);
  header.set_organisation_display_name(
      data.organisation_display_name.empty() ? scope.organisation : data.organisation_display_name);
  header.set_plan(scope.plan);
  header.set_plan_title(data.tree.plan().title());
  header.set_period_start(data.tree.plan().period_start());
  header.set_period_end(data.tree.plan().period_end());
  header.set_as_of(FormatDate(scope.as_of));
  if (scope.published_at.has_value()) {
    *header.mutable_published_at() = ToTimestamp(*scope.published_at);
  }
  *header.mutable_generated_at() = ToTimestamp(now);
  return header;
}

v1::ReportMilestone ToReportMilestone(const v1::Milestone& m) {
  v1::ReportMilestone out;
  out.set_name(m.name());
  out.set_ordinal(m.ordinal());
  out.set_title(m.title());
  out.set_lead_officer(m.lead_officer());
  out.set_directorate(m.directorate());
  out.set_baseline_deadline(m.baseline_deadline());
  out.set_current_deadline(m.current_deadline());
  out.set_status(m.status());
  out.set_percent_complete(m.percent_complete());
  out.set_latest_comment(m.latest_comment());
  out.set_completed_date(m.completed_date());
  out.set_overdue(m.overdue());
  out.set_overdue_against_baseline(m.overdue_against_baseline());
  out.set_revision_count(m.revision_count());
  out.set_deadline_assumed(m.deadline_assumed());
  return out;
}

v1::ReportActivity ToReportActivity(const v1::Activity& a, const ActivityState& state) {
  v1::ReportActivity out;
  out.set_name(a.name());
  out.set_code(a.code());
  out.set_title(a.title());
  out.set_lead_member(a.lead_member());
  out.set_lead_officer(a.lead_officer());
  out.set_directorate(a.directorate());
  out.set_deadline(a.deadline());
  out.set_status(state.status);
  out.set_percent_complete(state.percent_complete);
  out.set_comment(state.comment);
  out.set_status_source(state.source);
  out.set_overdue(state.overdue);
  return out;
}

v1::ReportPriority ToReportPriority(const v1::Priority& p) {
  v1::ReportPriority out;
  out.set_name(p.name());
  out.set_code(p.code());
  out.set_title(p.title());
  return out;
}

v1::ReportOutcome ToReportOutcome(const v1::Outcome& o) {
  v1::ReportOutcome out;
  out.set_name(o.name());
  out.set_code(o.code());
  out.set_title(o.title());
  return out;
}

v1::ReportMeasure ToReportMeasure(const v1::Measure& m) {
  v1::ReportMeasure out;
  out.set_code(m.code());
  out.set_title(m.title());
  out.set_unit(m.unit());
  out.set_target_text(m.target_text());
  if (m.has_baseline()) {
    out.set_baseline(m.baseline());
  }
  if (m.has_target()) {
    out.set_target(m.target());
  }
  return out;
}

std::vector<v1::StatusCount> CountStatuses(const std::map<int, int>& counts) {
  std::vector<v1::StatusCount> out;
  for (const auto& [status, count] : counts) {
    if (count > 0) {
      v1::StatusCount c;
      c.set_status(static_cast<v1::MilestoneStatus>(status));
      c.set_count(count);
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace gt::report
