#include "gt/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gt/status.h"

namespace gt {

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  auto bad = [&] {
    return InvalidField(field,
                        absl::StrCat("must be a date YYYY-MM-DD, got '", text.substr(0, 40), "'"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return bad();
  }
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lengths[p]; ++i) {
      char c = text[starts[p] + i];
      if (c < '0' || c > '9') {
        return bad();
      }
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  absl::CivilDay day(parts[0], parts[1], parts[2]);
  // CivilDay normalises (2017-02-30 -> 2017-03-02): a changed day was invalid.
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2] ||
      parts[0] < 1900 || parts[0] > 9999) {
    return bad();
  }
  return day;
}

absl::Status ValidateOptionalDate(absl::string_view field, absl::string_view text) {
  if (text.empty()) {
    return absl::OkStatus();
  }
  return ParseDate(field, text).status();
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay TodayUtc() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

}  // namespace gt
