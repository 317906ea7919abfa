#include "gt/names.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gt/status.h"

namespace gt {

namespace {

// What a name may echo back: printable ASCII only, cut short.
std::string Shown(absl::string_view text) { return absl::CHexEscape(text.substr(0, 200)); }

bool IdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

absl::StatusOr<std::vector<std::string>> MatchName(absl::string_view field, absl::string_view name,
                                                   absl::string_view pattern) {
  auto mismatch = [&] {
    return InvalidField(field,
                        absl::StrCat("must look like ", pattern, ", got '", Shown(name), "'"));
  };
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  if (want.size() != got.size()) {
    return mismatch();
  }
  std::vector<std::string> vars;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!want[i].empty() && want[i].front() == '{') {
      // One canonical form for every id in a name: the characters ids are
      // made of, nothing around them, so no other spelling reaches a lookup
      // (MariaDB's collations ignore trailing spaces).
      absl::string_view segment = got[i];
      if (segment.empty() || segment.size() > 63 || segment.front() == '-' ||
          !std::all_of(segment.begin(), segment.end(), IdChar)) {
        return InvalidField(field, absl::StrCat("its ", want[i],
                                                " must be 1 to 63 of a-z, 0-9 and '-' (not "
                                                "first), got '",
                                                Shown(segment), "' in '", Shown(name), "'"));
      }
      vars.emplace_back(segment);
    } else if (want[i] != got[i]) {
      return mismatch();
    }
  }
  return vars;
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return InvalidField(field, "must not be empty");
  }
  if (id.size() > 63) {
    return InvalidField(field, absl::StrCat("must be at most 63 characters, got ", id.size()));
  }
  if (!std::all_of(id.begin(), id.end(), IdChar)) {
    return InvalidField(field,
                        absl::StrCat("must contain only a-z, 0-9 and '-', got '", Shown(id), "'"));
  }
  if (id.front() == '-') {
    return InvalidField(field, "must not start with '-'");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseNumericId(absl::string_view field, absl::string_view segment) {
  // Canonical decimal only: no sign, no leading zero, no spaces ("+7", "07"
  // and " 7" name no milestone).
  int64_t id = 0;
  bool canonical =
      !segment.empty() && segment.size() <= 18 && segment.front() != '0' &&
      std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!canonical || !absl::SimpleAtoi(segment, &id) || id <= 0) {
    return InvalidField(field, absl::StrCat("must end in a numeric id (1 to 18 digits, no "
                                            "leading zero), got '",
                                            Shown(segment), "'"));
  }
  return id;
}

}  // namespace gt
