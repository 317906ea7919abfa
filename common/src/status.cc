#include "gt/status.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace gt {
namespace {

bool PathSegmentStart(char c) { return absl::ascii_islower(c) || c == '_'; }
bool PathSegmentChar(char c) { return PathSegmentStart(c) || absl::ascii_isdigit(c); }

// The length of the field path that starts `message` and is followed by ": ",
// e.g. "requests[3].progress.comment"; 0 when the message does not start so.
// A path is segments [a-z_][a-z0-9_]*, each with an optional [N], joined by '.'.
size_t LeadingFieldPath(absl::string_view message) {
  size_t i = 0;
  const size_t n = message.size();
  while (true) {
    if (i >= n || !PathSegmentStart(message[i])) {
      return 0;
    }
    ++i;
    while (i < n && PathSegmentChar(message[i])) {
      ++i;
    }
    if (i < n && message[i] == '[') {
      size_t j = i + 1;
      while (j < n && absl::ascii_isdigit(message[j])) {
        ++j;
      }
      if (j == i + 1 || j >= n || message[j] != ']') {
        return 0;
      }
      i = j + 1;
    }
    if (i < n && message[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  return absl::StartsWith(message.substr(i), ": ") ? i : 0;
}

std::string BadRequestOf(absl::string_view field, absl::string_view description) {
  google::rpc::BadRequest bad_request;
  google::rpc::BadRequest::FieldViolation* violation = bad_request.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  return bad_request.SerializeAsString();
}

}  // namespace

std::optional<std::string> BadRequestFor(const absl::Status& status) {
  if (auto payload = status.GetPayload(kBadRequestTypeUrl)) {
    return std::string(*payload);
  }
  absl::string_view message = status.message();
  if (size_t length = LeadingFieldPath(message); length > 0) {
    return BadRequestOf(message.substr(0, length), message.substr(length + 2));
  }
  return std::nullopt;
}

absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(BadRequestOf(field, rule)));
  return status;
}

absl::Status NotFound(absl::string_view kind, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
}

}  // namespace gt
