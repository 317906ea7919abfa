#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gt {

// Strict ISO-8601 calendar date "YYYY-MM-DD" (a real day: no 2017-02-30).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);

// Empty is allowed ("not set"); anything else must parse.
absl::Status ValidateOptionalDate(absl::string_view field, absl::string_view text);

std::string FormatDate(absl::CivilDay day);

// Today in UTC.
absl::CivilDay TodayUtc();

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

}  // namespace gt
