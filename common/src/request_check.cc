#include "gt/request_check.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"
#include "gt/status.h"
#include "gt/validation.h"

namespace gt {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

std::string Element(const std::string& path, const FieldDescriptor* field, int index) {
  std::string out = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
  if (index >= 0) {
    absl::StrAppend(&out, "[", index, "]");
  }
  return out;
}

absl::Status CheckTimestamp(const std::string& path, const Message& ts) {
  const auto* d = ts.GetDescriptor();
  const Reflection* r = ts.GetReflection();
  int64_t seconds = r->GetInt64(ts, d->FindFieldByName("seconds"));
  int32_t nanos = r->GetInt32(ts, d->FindFieldByName("nanos"));
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
      nanos > 999999999) {
    return InvalidField(path, absl::StrCat("is not a valid timestamp: seconds must be within "
                                           "years 1 to 9999 and nanos 0 to 999999999, got "
                                           "seconds ",
                                           seconds, ", nanos ", nanos));
  }
  return absl::OkStatus();
}

absl::Status CheckMessage(const std::string& path, const Message& message);

absl::Status CheckValue(const std::string& path, const Message& message,
                        const FieldDescriptor* field, int index) {
  const Reflection* r = message.GetReflection();
  const std::string where = Element(path, field, index);
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      int value = index < 0 ? r->GetEnumValue(message, field)
                            : r->GetRepeatedEnumValue(message, field, index);
      return KnownEnum("", where, value, field->enum_type());
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double value = field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE
                         ? (index < 0 ? r->GetDouble(message, field)
                                      : r->GetRepeatedDouble(message, field, index))
                         : (index < 0 ? r->GetFloat(message, field)
                                      : r->GetRepeatedFloat(message, field, index));
      if (!std::isfinite(value)) {
        return InvalidField(where, "must be a finite number (not NaN or infinity)");
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& child =
          index < 0 ? r->GetMessage(message, field) : r->GetRepeatedMessage(message, field, index);
      if (child.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
        return CheckTimestamp(where, child);
      }
      return CheckMessage(where, child);
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckMessage(const std::string& path, const Message& message) {
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_map()) {
      continue;  // no request carries a map of enums, numbers or times
    }
    if (field->is_repeated()) {
      int n = r->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        GT_RETURN_IF_ERROR(CheckValue(path, message, field, i));
      }
    } else {
      GT_RETURN_IF_ERROR(CheckValue(path, message, field, -1));
    }
  }
  return absl::OkStatus();
}

std::optional<std::string> FindIn(const google::protobuf::Descriptor* type, absl::string_view bytes,
                                  const std::string& path, int depth) {
  google::protobuf::UnknownFieldSet set;
  if (depth > 32 || !set.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return std::nullopt;
  }
  std::map<int, int> seen;  // field number -> occurrences so far (repeated index)
  for (int i = 0; i < set.field_count(); ++i) {
    const google::protobuf::UnknownField& f = set.field(i);
    const FieldDescriptor* field = type->FindFieldByNumber(f.number());
    if (field == nullptr || f.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    int index = field->is_repeated() ? seen[f.number()]++ : -1;
    std::string where = Element(path, field, index);
    if (field->type() == FieldDescriptor::TYPE_STRING && !IsValidUtf8(f.length_delimited())) {
      return where;
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (auto found = FindIn(field->message_type(), f.length_delimited(), where, depth + 1)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

absl::Status CheckRequestValues(const google::protobuf::Message& request) {
  return CheckMessage("", request);
}

std::optional<std::string> FindInvalidUtf8(const google::protobuf::Descriptor* type,
                                           absl::string_view bytes) {
  return FindIn(type, bytes, "", 0);
}

bool IsValidUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + k >= n || (s[i + k] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

}  // namespace gt
