#include "gt/caller.h"

#include "gt/status.h"

namespace gt {

absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name) {
  if (!caller.organisation.empty() && caller.organisation != organisation) {
    return NotFound(kind, name);
  }
  return absl::OkStatus();
}

}  // namespace gt
