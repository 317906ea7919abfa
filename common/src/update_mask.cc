#include "gt/update_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gt/status.h"

namespace gt {

namespace {

bool Populated(const google::protobuf::Message& message, absl::string_view name) {
  const google::protobuf::FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(std::string(name));
  if (field == nullptr) {
    return false;
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  // For a proto3 scalar without presence HasField is "not the default".
  return field->is_repeated() ? reflection->FieldSize(message, field) > 0
                              : reflection->HasField(message, field);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ResolveUpdateMask(const google::protobuf::FieldMask& mask,
                                                           const google::protobuf::Message& update,
                                                           const UpdateMaskRules& rules) {
  std::vector<std::string> paths;
  if (mask.paths_size() == 0) {
    for (const std::string& name : rules.updatable) {
      if (Populated(update, name)) {
        paths.push_back(name);
      }
    }
    if (paths.empty()) {
      return InvalidField(
          "update_mask",
          absl::StrCat("omitted, and no updatable field of ", rules.resource,
                       " is set, so there is nothing to change; set the fields to change (",
                       absl::StrJoin(rules.updatable, ", "),
                       ") or name them in update_mask (naming a field clears it when it is "
                       "left empty; \"*\" replaces them all)"));
    }
    return paths;
  }
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    return rules.updatable;
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path == "*") {
      return InvalidField(absl::StrCat("update_mask.paths[", i, "]"),
                          "\"*\" must be the only path when it is given");
    }
    if (std::find(rules.updatable.begin(), rules.updatable.end(), path) == rules.updatable.end()) {
      return InvalidField(absl::StrCat("update_mask.paths[", i, "]"),
                          absl::StrCat("'", path, "' is not an updatable field of ", rules.resource,
                                       "; use ", absl::StrJoin(rules.updatable, ", "),
                                       rules.hint != nullptr ? rules.hint(path) : std::string()));
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
      paths.push_back(path);
    }
  }
  return paths;
}

}  // namespace gt
