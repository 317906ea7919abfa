#pragma once

// The overdue rule, once for the whole suite (README "Overdue"): at the close
// of day D a milestone (or an activity with a deadline) is overdue when its
// deadline is on or before D and its status is not one that ends it
// (COMPLETED, DEFERRED, CANCELLED). milestone-service's model, its SQL filter
// and report-service all ask this file; common/test/overdue_test.cc holds
// the SQL list to the rule.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "goldenthread/v1/common.pb.h"

namespace gt {

// COMPLETED, DEFERRED or CANCELLED: no longer owed, so never overdue.
bool IsFinishedStatus(goldenthread::v1::MilestoneStatus status);

// `deadline` is YYYY-MM-DD or empty (never overdue); an unreadable one is
// not overdue either.
bool IsOverdue(absl::string_view deadline, goldenthread::v1::MilestoneStatus status,
               absl::CivilDay day);

// The day a view "as of" `as_of`, asked at `now`, judges overdue at: a
// milestone is overdue when its deadline is on or before that day and it is
// not completed, deferred or cancelled. A day that has closed is judged at
// its close, so as of a past day a deadline of that very day has passed.
// Today has not closed: a view of today (every current view, and every
// as-of request for today or without a date) judges at the close of
// yesterday — a deadline of today is not missed yet. A later day is a
// projection, judged at its close. One rule for the gauge, ListMilestones,
// CountOverdue, GetMilestonesAsOf and every report.
absl::CivilDay OverdueDay(absl::CivilDay as_of, absl::Time now);
// OverdueDay of today (UTC).
absl::CivilDay OverdueDayNow(absl::Time now);

// IsFinishedStatus as SQL for a `status` column holding the enum's numbers:
// "(4, 5, 6)", for "status NOT IN <this>".
std::string FinishedStatusesSql();

}  // namespace gt
