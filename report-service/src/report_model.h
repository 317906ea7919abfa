#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"
#include "goldenthread/v1/report.pb.h"
#include "gt/directorates.h"

namespace gt::report {

namespace v1 = goldenthread::v1;

// A validated ReportRequest: which plan, which day, which publication.
struct ReportScope {
  std::string plan;          // "organisations/th/plans/2007-08"
  std::string organisation;  // "th"
  absl::CivilDay as_of;
  // The day overdue is judged at (gt::OverdueDay): as_of, except as of
  // today, which has not closed: then yesterday.
  absl::CivilDay overdue_day;
  std::optional<absl::Time> published_at;
};

// Everything a report is built from, as the backends answered for one scope.
struct PlanData {
  v1::PlanTree tree;
  std::string organisation_display_name;
  // Every milestone's state at the close of as_of, in document order.
  std::vector<v1::Milestone> milestones;
  // The organisation's directorate table, fetched only for reports that
  // group by directorate (empty otherwise: codes group as written).
  DirectorateTable directorates;
  // The current value of each date of each measure of the plan (as
  // published, when the report is), fetched only for reports that show
  // measures.
  std::vector<v1::MeasureValue> measure_values;
};

// How an activity stands at as_of.
struct ActivityState {
  v1::MilestoneStatus status = v1::NOT_STARTED;
  int32_t percent_complete = 0;
  std::string comment;
  v1::StatusSource source = v1::REPORTED;
  // The activity's own reported status, when it counts at as_of.
  v1::MilestoneStatus reported_status = v1::MILESTONE_STATUS_UNSPECIFIED;
  bool overdue = false;
};

// Read-only indexes over PlanData for the report builders. Milestones are
// attached to activities of the tree; one whose activity is no longer in the
// tree (deleted since) belongs to no section of any report.
class PlanView {
 public:
  PlanView(const PlanData& data, const ReportScope& scope);

  const v1::PlanTree& tree() const { return data_.tree; }
  const PlanData& data() const { return data_; }
  const ReportScope& scope() const { return scope_; }
  const std::vector<const v1::Milestone*>& MilestonesOf(const std::string& activity) const;

  // Own reported status when the activity has no milestones, else rolled up.
  ActivityState StateOf(const v1::Activity& activity) const;

  // Whether activities' own reported status, % and comment speak at as_of.
  // plan-service keeps only their latest value, with no effective time: it is
  // taken to hold from the start of the plan's period and, for a published
  // report, only once the plan existed. Before that nothing has started.
  bool ActivityReportsApply() const { return activity_reports_apply_; }

  // Listed in an end-of-year "overdue" section: not finished, and overdue
  // against the current or the baseline deadline, or reported DELAYED.
  bool Listed(const v1::Milestone& milestone) const;

  // The measure's row: target, actual, RAG and trend at as_of
  // (measure_status.h).
  v1::ReportMeasure MeasureRow(const v1::Measure& measure) const;

 private:
  const PlanData& data_;
  const ReportScope& scope_;
  bool activity_reports_apply_ = false;
  std::map<std::string, std::vector<const v1::Milestone*>> by_activity_;
  // Measure name -> its values, oldest first.
  std::map<std::string, std::vector<const v1::MeasureValue*>> values_by_measure_;
  std::vector<const v1::Milestone*> none_;
};

// An activity's status from its milestones' statuses (non-empty):
//   cancelled ones are left out unless all are cancelled (CANCELLED);
//   all of the rest COMPLETED -> COMPLETED; any DELAYED -> DELAYED;
//   all of the rest finished (COMPLETED or DEFERRED) -> DEFERRED;
//   all NOT_STARTED -> NOT_STARTED; otherwise ON_TARGET.
v1::MilestoneStatus RollUp(const std::vector<const v1::Milestone*>& milestones);
// Mean % of the milestones that are not cancelled, rounded.
int32_t MeanPercent(const std::vector<const v1::Milestone*>& milestones);

// "On target", "Delayed", ...
std::string StatusLabel(v1::MilestoneStatus status);
// Days from `from` to `to` (YYYY-MM-DD each); 0 when either is empty.
int32_t DaysBetween(const std::string& from, const std::string& to);

v1::ReportHeader MakeHeader(const PlanData& data, const ReportScope& scope, absl::string_view title,
                            absl::Time now);
v1::ReportMilestone ToReportMilestone(const v1::Milestone& milestone);
v1::ReportActivity ToReportActivity(const v1::Activity& activity, const ActivityState& state);
// Outline of a priority / outcome without children.
v1::ReportPriority ToReportPriority(const v1::Priority& priority);
v1::ReportOutcome ToReportOutcome(const v1::Outcome& outcome);
v1::ReportMeasure ToReportMeasure(const v1::Measure& measure);

// Counts in enum order, statuses with no items left out.
std::vector<v1::StatusCount> CountStatuses(const std::map<int, int>& counts);

}  // namespace gt::report
