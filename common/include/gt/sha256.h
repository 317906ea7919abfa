#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace gt {

// Lower-case hex SHA-256 of `data` (migration checksums, request hashes,
// token hashes).
std::string Sha256Hex(absl::string_view data);

}  // namespace gt
