// The year-end report, as the 2007/08 appendices publish it: what was
// completed (000) and what is overdue, each with its explanation (001).
#include <map>

#include "report_builders.h"

namespace gt::report {

v1::EndOfYearReport BuildEndOfYear(const PlanView& view, v1::ReportHeader header) {
  v1::EndOfYearReport report;
  *report.mutable_header() = std::move(header);
  std::map<int, int> statuses;
  std::map<int, int> activity_statuses;
  for (const v1::Priority& priority : view.tree().priorities()) {
    v1::ReportPriority done = ToReportPriority(priority);
    v1::ReportPriority late = ToReportPriority(priority);
    for (const v1::Outcome& outcome : priority.outcomes()) {
      v1::ReportOutcome done_outcome = ToReportOutcome(outcome);
      v1::ReportOutcome late_outcome = ToReportOutcome(outcome);
      for (const v1::Activity& activity : outcome.activities()) {
        const auto& milestones = view.MilestonesOf(activity.name());
        ActivityState state = view.StateOf(activity);
        activity_statuses[state.status]++;
        for (const v1::Milestone* m : milestones) {
          statuses[m->status()]++;
        }
        // RollUp leaves cancelled milestones aside, so an activity whose
        // other milestones are all COMPLETED counts as completed.
        if (state.status == v1::COMPLETED) {
          *done_outcome.add_activities() = ToReportActivity(activity, state);
          report.set_completed_activity_count(report.completed_activity_count() + 1);
          continue;
        }
        v1::ReportActivity listed = ToReportActivity(activity, state);
        for (const v1::Milestone* m : milestones) {
          if (!view.Listed(*m)) {
            continue;
          }
          *listed.add_milestones() = ToReportMilestone(*m);
          if (m->overdue()) {
            report.set_overdue_milestone_count(report.overdue_milestone_count() + 1);
          } else if (m->overdue_against_baseline()) {
            report.set_overdue_against_baseline_only_count(
                report.overdue_against_baseline_only_count() + 1);
          } else {
            report.set_delayed_not_due_count(report.delayed_not_due_count() + 1);
          }
        }
        // Without milestones the activity answers for itself.
        bool itself = milestones.empty() && (state.overdue || state.status == v1::DELAYED);
        if (listed.milestones_size() > 0 || itself) {
          *late_outcome.add_activities() = std::move(listed);
          report.set_overdue_activity_count(report.overdue_activity_count() + 1);
        }
      }
      if (done_outcome.activities_size() > 0) {
        *done.add_outcomes() = std::move(done_outcome);
      }
      if (late_outcome.activities_size() > 0) {
        *late.add_outcomes() = std::move(late_outcome);
      }
    }
    if (done.outcomes_size() > 0) {
      *report.add_completed() = std::move(done);
    }
    if (late.outcomes_size() > 0) {
      *report.add_overdue() = std::move(late);
    }
  }
  for (const v1::StatusCount& c : CountStatuses(statuses)) {
    *report.add_milestone_status_counts() = c;
  }
  for (const v1::StatusCount& c : CountStatuses(activity_statuses)) {
    *report.add_activity_status_counts() = c;
  }
  return report;
}

}  // namespace gt::report
