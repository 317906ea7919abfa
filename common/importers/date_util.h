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

// The one rule for an impossible day, applied by every function here and so
// by every reader: a day past the end of its month ("31/04/17", "31/09/17",
// "29/02/18") is read as that month's last day (30 April, 30 September,
// 28 February), never rolled into the next month. Readers warn when it
// applies ("date-clamped").
//
// "31/03/18", "31/03/2018" or "31/7/17" as a whole string; *clamped tells
// whether the rule above applied. Any other impossible date is nullopt.
std::optional<absl::CivilDay> ParseDayMonthYear(std::string_view s, bool* clamped);
struct FoundDate {
  absl::CivilDay day;
  bool clamped = false;
};
// Every d/m/y date inside free text, in order.
std::vector<FoundDate> FindDayMonthYears(std::string_view s);

// A Deadline cell as every reader of d/m/y deadlines reads it: the cell as
// one date, else the last of the dates inside it ("1st 31/7/17 2nd
// 31/12/17" -> 31/12/17).
struct DateCell {
  std::optional<absl::CivilDay> day;  // nullopt: no date in the cell
  bool clamped = false;               // `day` was past its month's end
  bool whole = false;                 // the cell is exactly one date
  int dates = 0;                      // dates found in the cell
};
DateCell ReadDateCell(std::string_view cell);

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
