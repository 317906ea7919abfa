#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace gt {

// GET http://127.0.0.1:<port><path>; returns the body ("" on failure). Enough
// HTTP/1.0 for reading /metrics in tests.
std::string HttpGet(int port, const std::string& path);

}  // namespace gt
