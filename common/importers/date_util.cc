#include "common/importers/date_util.h"

#include <cstdio>

#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// d/m/y at the start of `s`; sets *length to the characters used. The only
// place a day, month and year become a date (see date_util.h for the rule).
std::optional<absl::CivilDay> ParseDmyPrefix(std::string_view s, bool* clamped, size_t* length) {
  size_t pos = 0;
  int parts[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    size_t run = DigitRunLength(s.substr(pos));
    bool ok = p < 2 ? (run == 1 || run == 2) : (run == 2 || run == 4);
    if (!ok) {
      return std::nullopt;
    }
    parts[p] = *ParseSmallInt(s.substr(pos, run));
    pos += run;
    if (p < 2) {
      if (pos >= s.size() || s[pos] != '/') {
        return std::nullopt;
      }
      ++pos;
    }
  }
  int day = parts[0];
  int month = parts[1];
  int year = parts[2] < 100 ? 2000 + parts[2] : parts[2];
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2099) {
    return std::nullopt;
  }
  *clamped = day > DaysInMonth(year, month);
  if (*clamped) {
    day = DaysInMonth(year, month);
  }
  *length = pos;
  return absl::CivilDay(year, month, day);
}

}  // namespace

std::string IsoDate(absl::CivilDay day) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(day.year()), day.month(),
                day.day());
  return buf;
}

absl::CivilDay LastDayOfMonth(int year, int month) {
  return absl::CivilDay(year, month, DaysInMonth(year, month));
}

std::optional<absl::CivilDay> ParseDayMonthYear(std::string_view s, bool* clamped) {
  s = Trim(s);
  size_t length = 0;
  auto day = ParseDmyPrefix(s, clamped, &length);
  if (!day || length != s.size()) {
    return std::nullopt;
  }
  return day;
}

std::vector<FoundDate> FindDayMonthYears(std::string_view s) {
  std::vector<FoundDate> found;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsAsciiDigit(s[i]) || (i > 0 && IsAsciiDigit(s[i - 1]))) {
      ++i;
      continue;
    }
    bool clamped = false;
    size_t length = 0;
    auto day = ParseDmyPrefix(s.substr(i), &clamped, &length);
    bool ends_cleanly = day && (i + length == s.size() || !IsAsciiDigit(s[i + length]));
    if (ends_cleanly) {
      found.push_back({*day, clamped});
      i += length;
    } else {
      ++i;
    }
  }
  return found;
}

DateCell ReadDateCell(std::string_view cell) {
  DateCell read;
  bool clamped = false;
  if (std::optional<absl::CivilDay> day = ParseDayMonthYear(cell, &clamped)) {
    read.day = day;
    read.clamped = clamped;
    read.whole = true;
    read.dates = 1;
    return read;
  }
  std::vector<FoundDate> found = FindDayMonthYears(cell);
  read.dates = static_cast<int>(found.size());
  if (!found.empty()) {
    read.day = found.back().day;
    read.clamped = found.back().clamped;
  }
  return read;
}

int MonthFromName(std::string_view word) {
  static constexpr std::string_view kFull[] = {"January",   "February", "March",    "April",
                                               "May",       "June",     "July",     "August",
                                               "September", "October",  "November", "December"};
  if (word.size() < 3) {
    return 0;
  }
  for (int m = 0; m < 12; ++m) {
    if (EqualsIgnoreCase(word, kFull[m]) ||
        (word.size() == 3 && EqualsIgnoreCase(word, kFull[m].substr(0, 3)))) {
      return m + 1;
    }
  }
  return EqualsIgnoreCase(word, "Sept") ? 9 : 0;
}

std::vector<MonthYear> FindMonthYears(std::string_view s, bool two_digit_years) {
  std::vector<MonthYear> found;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsAsciiAlpha(s[i]) || (i > 0 && IsAsciiAlpha(s[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && IsAsciiAlpha(s[end])) {
      ++end;
    }
    int month = MonthFromName(s.substr(i, end - i));
    if (month != 0) {
      size_t pos = end;
      while (pos < s.size() && (s[pos] == ' ' || s[pos] == ',')) {
        ++pos;
      }
      size_t run = DigitRunLength(s.substr(pos));
      bool boundary = pos + run == s.size() || !IsAsciiAlpha(s[pos + run]);
      if (boundary && run == 4) {
        int year = *ParseSmallInt(s.substr(pos, 4));
        if (year >= 1900 && year <= 2099) {
          found.push_back({year, month, i, pos + run});
        }
      } else if (boundary && run == 2 && two_digit_years) {
        found.push_back({2000 + *ParseSmallInt(s.substr(pos, 2)), month, i, pos + run});
      }
    }
    i = end;
  }
  return found;
}

}  // namespace gt::importers
