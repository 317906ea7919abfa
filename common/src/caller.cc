#include "gt/caller.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gt/directorates.h"
#include "gt/status.h"

namespace gt {

absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name) {
  if (!caller.organisation.empty() && caller.organisation != organisation) {
    return NotFound(kind, name);
  }
  return absl::OkStatus();
}

bool InDirectorateScope(const Caller& caller, absl::string_view directorate) {
  if (caller.directorates.empty()) {
    return true;
  }
  for (absl::string_view part : absl::StrSplit(directorate, '/')) {
    const std::string key = DirectorateMatchKey(part);
    if (key.empty()) {
      continue;
    }
    for (const std::string& allowed : caller.directorates) {
      if (DirectorateMatchKey(allowed) == key) {
        return true;
      }
    }
  }
  return false;
}

absl::Status CheckDirectorateScope(const Caller& caller, absl::string_view directorate,
                                   absl::string_view what) {
  if (InDirectorateScope(caller, directorate)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(what, " belongs to directorate '", directorate,
                                                  "'; this token is limited to ",
                                                  absl::StrJoin(caller.directorates, ", ")));
}

std::string JoinDirectorates(const std::vector<std::string>& directorates) {
  return absl::StrJoin(directorates, ",");
}

std::vector<std::string> SplitDirectorates(absl::string_view header) {
  if (header.empty()) {
    return {};
  }
  return absl::StrSplit(header, ',');
}

}  // namespace gt
