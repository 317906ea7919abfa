#pragma once

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gt {

// Which fields an Update method changes (AIP-134), the same for every
// resource:
//   - update_mask omitted: the updatable fields that are populated in
//     `update` (a string, number or enum that is not its default, a message
//     or `optional` field that is set, a non-empty repeated field). A field
//     left at its default is kept, never cleared: to clear one, name it.
//     Omitted with nothing populated is INVALID_ARGUMENT "update_mask", so a
//     request that would change nothing is not answered as if it had;
//   - "*" alone: every updatable field, set or not (a full replacement);
//   - otherwise the paths named, each one of `updatable`, else
//     INVALID_ARGUMENT "update_mask.paths[i]" listing them (`hint` may add
//     why a known field is not updatable here, e.g. which method changes it).
// Paths are the proto field names of `update`'s message, top level only.
struct UpdateMaskRules {
  // e.g. "Plan"
  absl::string_view resource;
  std::vector<std::string> updatable;
  // Optional: extra words for a path that is not updatable.
  std::string (*hint)(absl::string_view path) = nullptr;
};
absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(const google::protobuf::FieldMask& mask,
                                                           const google::protobuf::Message& update,
                                                           const UpdateMaskRules& rules);

}  // namespace gt
