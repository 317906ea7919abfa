#include "gt/validation.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gt/status.h"

namespace gt {

size_t Utf8Length(absl::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) {
    n += (c & 0xC0) != 0x80;
  }
  return n;
}

std::string FieldPath(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

absl::Status MaxText(absl::string_view prefix, absl::string_view field, absl::string_view value,
                     size_t max) {
  size_t length = Utf8Length(value);
  if (length > max) {
    return InvalidField(FieldPath(prefix, field),
                        absl::StrCat("must be at most ", max, " characters, got ", length));
  }
  return absl::OkStatus();
}

absl::Status RequiredText(absl::string_view prefix, absl::string_view field,
                          absl::string_view value, size_t max) {
  if (value.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return InvalidField(FieldPath(prefix, field), "must not be empty");
  }
  return MaxText(prefix, field, value, max);
}

absl::Status KeyText(absl::string_view prefix, absl::string_view field, absl::string_view value) {
  if (value.empty()) {
    return absl::OkStatus();
  }
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  if (blank(value.front()) || blank(value.back())) {
    return InvalidField(
        FieldPath(prefix, field),
        absl::StrCat("must not start or end with a space, got '", absl::CHexEscape(value), "'"));
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidField(
          FieldPath(prefix, field),
          absl::StrCat("must not contain control characters, got '", absl::CHexEscape(value), "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status KnownEnum(absl::string_view prefix, absl::string_view field, int value,
                       const google::protobuf::EnumDescriptor* type) {
  if (type->FindValueByNumber(value) != nullptr) {
    return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) {
      names.push_back(type->value(i)->name());
    }
  }
  return InvalidField(
      FieldPath(prefix, field),
      absl::StrCat("unknown value ", value, "; use one of ", absl::StrJoin(names, ", ")));
}

}  // namespace gt
