#include "gt/overdue.h"

#include "absl/strings/str_cat.h"
#include "gt/dates.h"

namespace gt {

namespace v1 = goldenthread::v1;

bool IsFinishedStatus(v1::MilestoneStatus status) {
  return status == v1::COMPLETED || status == v1::DEFERRED || status == v1::CANCELLED;
}

bool IsOverdue(absl::string_view deadline, v1::MilestoneStatus status, absl::CivilDay day) {
  if (deadline.empty() || IsFinishedStatus(status)) {
    return false;
  }
  auto parsed = ParseDate("deadline", deadline);
  return parsed.ok() && *parsed <= day;
}

absl::CivilDay OverdueDay(absl::CivilDay as_of, absl::Time now) {
  absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  return as_of == today ? today - 1 : as_of;
}

absl::CivilDay OverdueDayNow(absl::Time now) {
  return OverdueDay(absl::ToCivilDay(now, absl::UTCTimeZone()), now);
}

std::string FinishedStatusesSql() {
  std::string out = "(";
  const google::protobuf::EnumDescriptor* statuses = v1::MilestoneStatus_descriptor();
  bool first = true;
  for (int i = 0; i < statuses->value_count(); ++i) {
    int number = statuses->value(i)->number();
    if (IsFinishedStatus(static_cast<v1::MilestoneStatus>(number))) {
      absl::StrAppend(&out, first ? "" : ", ", number);
      first = false;
    }
  }
  return out + ")";
}

}  // namespace gt
