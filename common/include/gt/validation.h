#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace gt {

// Field rules shared by the services; each answers INVALID_ARGUMENT
// "<prefix>.<field>: <rule>" (or "<field>: <rule>" with an empty prefix).

size_t Utf8Length(absl::string_view text);
std::string FieldPath(absl::string_view prefix, absl::string_view field);

// Not empty or blank, at most `max` characters.
absl::Status RequiredText(absl::string_view prefix, absl::string_view field,
                          absl::string_view value, size_t max);
absl::Status MaxText(absl::string_view prefix, absl::string_view field, absl::string_view value,
                     size_t max);
// Text that is a key (a code): no space, tab or line break at either end and
// no control character inside, so that "1" and "1 " cannot both exist.
absl::Status KeyText(absl::string_view prefix, absl::string_view field, absl::string_view value);
// A known value of the enum (open proto3 enums accept any number on the wire);
// the message lists the names to use.
absl::Status KnownEnum(absl::string_view prefix, absl::string_view field, int value,
                       const google::protobuf::EnumDescriptor* type);

}  // namespace gt
