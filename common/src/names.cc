#include "gt/names.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gt/status.h"

namespace gt {

absl::StatusOr<std::vector<std::string>> MatchName(absl::string_view field, absl::string_view name,
                                                   absl::string_view pattern) {
  auto mismatch = [&] {
    return InvalidField(
        field, absl::StrCat("must look like ", pattern, ", got '", name.substr(0, 200), "'"));
  };
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  if (want.size() != got.size()) {
    return mismatch();
  }
  std::vector<std::string> vars;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!want[i].empty() && want[i].front() == '{') {
      if (got[i].empty()) {
        return mismatch();
      }
      vars.emplace_back(got[i]);
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
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return InvalidField(field,
                          absl::StrCat("must contain only a-z, 0-9 and '-', got '", id, "'"));
    }
  }
  if (id.front() == '-') {
    return InvalidField(field, "must not start with '-'");
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseNumericId(absl::string_view field, absl::string_view segment) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(segment, &id) || id <= 0) {
    return InvalidField(
        field, absl::StrCat("must end in a numeric id, got '", segment.substr(0, 100), "'"));
  }
  return id;
}

}  // namespace gt
