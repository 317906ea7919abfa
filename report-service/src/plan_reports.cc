// The action plan (seed 002's shape), deadline revisions, and the changes
// between two reports.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gt/timestamps.h"
#include "report_builders.h"

namespace gt::report {
namespace {

std::map<std::string, std::string> ActivityCodes(const v1::PlanTree& tree) {
  std::map<std::string, std::string> codes;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        codes[a.name()] = a.code();
      }
    }
  }
  return codes;
}

// Every milestone of the tree in document order.
std::vector<const v1::Milestone*> InDocumentOrder(const PlanView& view) {
  std::vector<const v1::Milestone*> out;
  for (const auto& p : view.tree().priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        const auto& ms = view.MilestonesOf(a.name());
        out.insert(out.end(), ms.begin(), ms.end());
      }
    }
  }
  return out;
}

}  // namespace

v1::ActionPlanReport BuildActionPlan(const PlanView& view, v1::ReportHeader header) {
  v1::ActionPlanReport report;
  *report.mutable_header() = std::move(header);
  for (const v1::Priority& p : view.tree().priorities()) {
    v1::ReportPriority priority = ToReportPriority(p);
    for (const v1::Measure& m : p.measures()) {
      *priority.add_measures() = view.MeasureRow(m);
    }
    for (const v1::Outcome& o : p.outcomes()) {
      v1::ReportOutcome outcome = ToReportOutcome(o);
      for (const v1::Measure& m : o.measures()) {
        *outcome.add_measures() = view.MeasureRow(m);
      }
      for (const v1::Activity& a : o.activities()) {
        v1::ReportActivity activity = ToReportActivity(a, view.StateOf(a));
        for (const v1::Milestone* m : view.MilestonesOf(a.name())) {
          *activity.add_milestones() = ToReportMilestone(*m);
        }
        *outcome.add_activities() = std::move(activity);
      }
      *priority.add_outcomes() = std::move(outcome);
    }
    *report.add_priorities() = std::move(priority);
  }
  return report;
}

v1::DeadlineRevisionReport BuildDeadlineRevisions(const PlanView& view, v1::ReportHeader header,
                                                  const std::vector<v1::MilestoneUpdate>& history) {
  v1::DeadlineRevisionReport report;
  *report.mutable_header() = std::move(header);
  // The same cut as GetMilestonesAsOf: effective by the close of as_of and,
  // for a published report, recorded before publication.
  const absl::Time effective_before = absl::FromCivil(view.scope().as_of + 1, absl::UTCTimeZone());
  std::map<std::string, std::vector<const v1::MilestoneUpdate*>> revisions;
  for (const v1::MilestoneUpdate& u : history) {
    if (u.kind() != v1::DEADLINE_REVISION || FromTimestamp(u.effective_at()) >= effective_before) {
      continue;
    }
    if (view.scope().published_at.has_value() &&
        FromTimestamp(u.recorded_at()) >= *view.scope().published_at) {
      continue;
    }
    revisions[u.milestone()].push_back(&u);
  }
  const auto codes = ActivityCodes(view.tree());
  std::map<std::string, v1::DirectorateRevisions> by_directorate;
  for (const v1::Milestone* m : InDocumentOrder(view)) {
    auto it = revisions.find(m->name());
    if (it == revisions.end()) {
      continue;
    }
    auto& rows = it->second;
    std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
      return FromTimestamp(a->effective_at()) < FromTimestamp(b->effective_at());
    });
    v1::RevisedMilestone revised;
    revised.set_name(m->name());
    auto code = codes.find(m->activity());
    revised.set_activity_code(code == codes.end() ? "" : code->second);
    revised.set_title(m->title());
    revised.set_baseline_deadline(m->baseline_deadline());
    revised.set_current_deadline(m->current_deadline());
    revised.set_revision_count(static_cast<int32_t>(rows.size()));
    // Net slip: a deadline moved out and back in again has not slipped.
    revised.set_days_slipped(DaysBetween(m->baseline_deadline(), m->current_deadline()));
    revised.set_status(m->status());
    revised.set_lead_officer(m->lead_officer());
    revised.set_overdue(m->overdue());
    for (const v1::MilestoneUpdate* u : rows) {
      v1::DeadlineRevision* r = revised.add_revisions();
      r->set_previous_deadline(u->previous_deadline());
      r->set_new_deadline(u->new_deadline());
      r->set_reason(u->reason());
      *r->mutable_effective_at() = u->effective_at();
      *r->mutable_recorded_at() = u->recorded_at();
    }
    // Grouped by the organisation's directorate table ("CS&F" with "CSF").
    const std::string directorate =
        NormaliseDirectorate(m->directorate(), view.data().directorates);
    v1::DirectorateRevisions& group = by_directorate[directorate];
    group.set_directorate(directorate);
    group.set_milestone_count(group.milestone_count() + 1);
    group.set_revision_count(group.revision_count() + revised.revision_count());
    group.set_total_days_slipped(group.total_days_slipped() + revised.days_slipped());
    report.set_milestone_count(report.milestone_count() + 1);
    report.set_revision_count(report.revision_count() + revised.revision_count());
    report.set_total_days_slipped(report.total_days_slipped() + revised.days_slipped());
    *group.add_milestones() = std::move(revised);
  }
  // Alphabetical; milestones with no directorate last.
  for (auto& [key, group] : by_directorate) {
    if (!key.empty()) {
      *report.add_directorates() = std::move(group);
    }
  }
  auto unassigned = by_directorate.find("");
  if (unassigned != by_directorate.end()) {
    *report.add_directorates() = std::move(unassigned->second);
  }
  return report;
}

v1::ChangesReport BuildChanges(const PlanView& from, const PlanView& to, v1::ReportHeader header,
                               const v1::ReportRequest& from_request,
                               const v1::ReportRequest& to_request) {
  v1::ChangesReport report;
  *report.mutable_header() = std::move(header);
  *report.mutable_from() = from_request;
  *report.mutable_to() = to_request;
  std::map<std::string, std::string> codes = ActivityCodes(from.tree());
  for (const auto& [name, code] : ActivityCodes(to.tree())) {
    codes[name] = code;
  }
  std::map<std::string, const v1::Milestone*> before;
  for (const v1::Milestone* m : InDocumentOrder(from)) {
    before[m->name()] = m;
  }
  auto change = [&](const v1::Milestone& m, const std::string& field, const std::string& was,
                    const std::string& is) {
    v1::Change* c = report.add_changes();
    c->set_milestone(m.name());
    auto code = codes.find(m.activity());
    c->set_activity_code(code == codes.end() ? "" : code->second);
    c->set_title(m.title());
    c->set_field(field);
    c->set_before(was);
    c->set_after(is);
  };
  std::set<std::string> seen;
  for (const v1::Milestone* m : InDocumentOrder(to)) {
    seen.insert(m->name());
    auto it = before.find(m->name());
    if (it == before.end()) {
      change(*m, "milestone", "", m->title());
      continue;
    }
    const v1::Milestone& b = *it->second;
    if (b.status() != m->status()) {
      change(*m, "status", v1::MilestoneStatus_Name(b.status()),
             v1::MilestoneStatus_Name(m->status()));
    }
    if (b.percent_complete() != m->percent_complete()) {
      change(*m, "percent_complete", absl::StrCat(b.percent_complete()),
             absl::StrCat(m->percent_complete()));
    }
    if (b.current_deadline() != m->current_deadline()) {
      change(*m, "current_deadline", b.current_deadline(), m->current_deadline());
    }
    if (b.latest_comment() != m->latest_comment()) {
      change(*m, "latest_comment", b.latest_comment(), m->latest_comment());
    }
  }
  for (const v1::Milestone* m : InDocumentOrder(from)) {
    if (seen.count(m->name()) == 0) {
      change(*m, "milestone", m->title(), "");
    }
  }
  return report;
}

}  // namespace gt::report
