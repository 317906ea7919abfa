#pragma once

// Paging of PlanManager's List methods, shared by its source files
// (plan_manager.cc, measure_value_manager.cc). AIP-158.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gt/paging.h"
#include "gt/status.h"

namespace gt::plan {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Runs a paged query asking for one row more than the page, so the last page
// carries no token.
template <typename Row, typename Fetch, typename CursorOf>
absl::StatusOr<std::pair<std::vector<Row>, std::string>> Page(int page_size, uint64_t fingerprint,
                                                              Fetch fetch, CursorOf cursor_of) {
  GT_ASSIGN_OR_RETURN(std::vector<Row> rows, fetch(page_size + 1));
  std::string next;
  if (static_cast<int>(rows.size()) > page_size) {
    rows.resize(page_size);
    next = EncodePageToken(fingerprint, cursor_of(rows.back()));
  }
  return std::make_pair(std::move(rows), next);
}

}  // namespace gt::plan
