#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace gt {

// The values of a request that parse but are not values: enum numbers the
// enum does not define (proto3 keeps any number), NaN and infinite numbers,
// and google.protobuf.Timestamps outside years 1..9999 or with nanos outside
// 0..999,999,999 (absl would silently carry them into the seconds). Walks
// every set field, nested messages and repeated elements included, and
// answers INVALID_ARGUMENT naming the first bad one by its path, e.g.
// "tree.priorities[1].outcomes[0].status: ..." — at the gateway and at
// every backend's edge alike, before anything is read or written.
absl::Status CheckRequestValues(const google::protobuf::Message& request);

// For bytes that do not parse as `type`: the path of the first string field
// whose bytes are not UTF-8 (proto3 refuses those), e.g. "updates[2].comment",
// or nullopt when the bytes are broken otherwise.
std::optional<std::string> FindInvalidUtf8(const google::protobuf::Descriptor* type,
                                           absl::string_view bytes);

// UTF-8 as the protobuf runtime requires it (no overlongs, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(absl::string_view text);

}  // namespace gt
