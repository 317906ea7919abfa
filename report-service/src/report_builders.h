#pragma once

#include <vector>

#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/report.pb.h"
#include "report_model.h"

// The five reports, built from what the backends answered. Pure functions of
// their inputs (no I/O), so each rule is unit-testable with hand-made data.
namespace gt::report {

// Completed activities and overdue activities (see EndOfYearReport), grouped
// priority -> outcome -> activity in document order.
v1::EndOfYearReport BuildEndOfYear(const PlanView& view, v1::ReportHeader header);

// Counts per status, overdue counts, mean % and items per group. Groups by
// priority or outcome follow document order; by directorate or lead, the
// alphabet, with "Not assigned" last.
v1::ProgressReport BuildProgress(const PlanView& view, v1::ReportHeader header,
                                 v1::Grouping group_by, v1::ReportSubject subject);

// The plan as set: per priority, activities with leads and milestones with
// deadlines.
v1::ActionPlanReport BuildActionPlan(const PlanView& view, v1::ReportHeader header);

// Milestones whose deadline moved, by directorate. `history` is the plan's
// history (any kinds, any order); only deadline revisions effective by as_of
// (and recorded before published_at) count.
v1::DeadlineRevisionReport BuildDeadlineRevisions(const PlanView& view, v1::ReportHeader header,
                                                  const std::vector<v1::MilestoneUpdate>& history);

// What differs between two reports of the same plan, milestone by milestone
// in the document order of `to`, then milestones only `from` had.
v1::ChangesReport BuildChanges(const PlanView& from, const PlanView& to, v1::ReportHeader header,
                               const v1::ReportRequest& from_request,
                               const v1::ReportRequest& to_request);

}  // namespace gt::report
