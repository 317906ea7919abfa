#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace gt {

// One JSON object per line on stderr, e.g.
// {"ts":"2026-11-23T15:00:00.123Z","level":"info","msg":"call","method":...}
// Values are escaped; numbers are passed as text already formatted.
struct LogField {
  absl::string_view key;
  absl::string_view value;
  bool raw = false;  // true: value is a JSON number/bool, written unquoted
};

void Log(absl::string_view level, absl::string_view message,
         std::initializer_list<LogField> fields = {});

inline void LogInfo(absl::string_view message, std::initializer_list<LogField> fields = {}) {
  Log("info", message, fields);
}
inline void LogError(absl::string_view message, std::initializer_list<LogField> fields = {}) {
  Log("error", message, fields);
}

}  // namespace gt
