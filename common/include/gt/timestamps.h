#pragma once

// Time as the API and the database write it (gt_base: no SQL library).

#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "absl/time/time.h"

namespace gt {

// DATETIME(6) text "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) <-> time.
std::string FormatDbTime(absl::Time t);
absl::Time ParseDbTime(const std::string& text);
// google.protobuf.Timestamp <-> time, to the microsecond.
google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace gt
