#include "gt/log.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gt {
namespace {

void AppendEscaped(std::string& out, absl::string_view text) {
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace

void Log(absl::string_view level, absl::string_view message,
         std::initializer_list<LogField> fields) {
  std::string line = "{\"ts\":\"";
  line += absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line += "\",\"level\":\"";
  AppendEscaped(line, level);
  line += "\",\"msg\":\"";
  AppendEscaped(line, message);
  line += "\"";
  for (const LogField& field : fields) {
    line += ",\"";
    AppendEscaped(line, field.key);
    line += "\":";
    if (field.raw) {
      line.append(field.value.data(), field.value.size());
    } else {
      line += "\"";
      AppendEscaped(line, field.value);
      line += "\"";
    }
  }
  line += "}\n";
  // One fwrite per line: stdio locks the stream, so lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace gt
