#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gt {

// Matches an AIP-122 resource name against a pattern whose variable segments
// are written in braces, e.g. "organisations/{organisation}/plans/{plan}", and
// returns the variable segments in order. The error names the request field:
//   "plan.name: must look like organisations/{organisation}/plans/{plan},
//    got 'x'"
absl::StatusOr<std::vector<std::string>> MatchName(absl::string_view field, absl::string_view name,
                                                   absl::string_view pattern);

// A user-chosen id (organisation, plan): 1..63 of [a-z0-9-], starting with a
// letter or digit.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// A server-assigned numeric id segment.
absl::StatusOr<int64_t> ParseNumericId(absl::string_view field, absl::string_view segment);

}  // namespace gt
