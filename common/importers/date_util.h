// Dates as the documents write them. Linear in their input, like
// text_util.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"

namespace gt::importers {

std::string IsoDate(absl::CivilDay day);
absl::CivilDay LastDayOfMonth(int year, int month);

// "31/03/18", "31/03/2018" or "31/7/17" as a whole string. A day past the end
// of its month ("31/09/17") is read as the month's last day and *clamped is
// set; any other impossible date is nullopt.
std::optional<absl::CivilDay> ParseDayMonthYear(std::string_view s, bool* clamped);
struct FoundDate {
  absl::CivilDay day;
  bool clamped = false;
};
// Every d/m/y date inside free text, in order.
std::vector<FoundDate> FindDayMonthYears(std::string_view s);

// 1..12 for "January".."December" and the usual abbreviations ("Sept",
// "Dec"), any case; 0 otherwise.
int MonthFromName(std::string_view word);
struct MonthYear {
  int year = 0;
  int month = 0;
  size_t begin = 0;  // span of the match in the searched text
  size_t end = 0;
};
// "March 2008", "end of June 2007", and with two_digit_years "June 12".
std::vector<MonthYear> FindMonthYears(std::string_view s, bool two_digit_years);

}  // namespace gt::importers
