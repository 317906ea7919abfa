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

}  // namespace gt
