// PlanManager's measure values (issue 19): append-only history — a value
// recorded again for its date is a correction, a delete a withdrawal — read
// as it stands now or as it stood at a time, for a measure or a whole plan.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/validation.h"
#include "plan_manager.h"
#include "plan_paging.h"

namespace gt::plan {

namespace v1 = goldenthread::v1;

namespace {

constexpr size_t kMaxValueNote = 1000;

// published_at as the bound of recorded_at (DATETIME(6): whole
// microseconds): rows recorded before T are those before T rounded up to
// the microsecond. Times before any row could be recorded read as year 1000
// (the first DATETIME the two databases agree on): nothing.
absl::StatusOr<absl::Time> RecordedBefore(const google::protobuf::Timestamp& published_at) {
  // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, as google.protobuf.Timestamp allows.
  if (published_at.seconds() < -62135596800 || published_at.seconds() > 253402300799 ||
      published_at.nanos() < 0 || published_at.nanos() > 999999999) {
    return InvalidField("published_at",
                        "must be a time between years 1 and 9999 with nanos 0..999999999");
  }
  absl::Time t = FromTimestamp(published_at);
  absl::Time bound = absl::FromUnixMicros(absl::ToUnixMicros(t));
  if (bound < t) {
    bound += absl::Microseconds(1);
  }
  return std::max(bound, absl::FromCivil(absl::CivilSecond(1000, 1, 1), absl::UTCTimeZone()));
}

std::string EncodeValueCursor(const ValueCursor& c) {
  return absl::StrCat(c.priority_position, ",", c.priority_id, ",", c.outcome_position, ",",
                      c.outcome_id, ",", c.measure_position, ",", c.measure_id, ",", c.date, ",",
                      c.revision);
}

absl::StatusOr<std::optional<ValueCursor>> DecodeValueCursor(const std::string& text) {
  if (text.empty()) {
    return std::optional<ValueCursor>();
  }
  std::vector<std::string> parts = absl::StrSplit(text, ',');
  ValueCursor c;
  if (parts.size() != 8 || !absl::SimpleAtoi(parts[0], &c.priority_position) ||
      !absl::SimpleAtoi(parts[1], &c.priority_id) ||
      !absl::SimpleAtoi(parts[2], &c.outcome_position) ||
      !absl::SimpleAtoi(parts[3], &c.outcome_id) ||
      !absl::SimpleAtoi(parts[4], &c.measure_position) ||
      !absl::SimpleAtoi(parts[5], &c.measure_id) || !ParseDate("page_token", parts[6]).ok() ||
      !absl::SimpleAtoi(parts[7], &c.revision)) {
    return InvalidField("page_token", "is not a token this list returned");
  }
  c.date = parts[6];
  return std::optional<ValueCursor>(std::move(c));
}

}  // namespace

absl::StatusOr<v1::MeasureValue> PlanManager::CreateMeasureValue(
    const Caller& caller, const v1::CreateMeasureValueRequest& request) {
  GT_ASSIGN_OR_RETURN(ItemKey key, ParseItemName("parent", request.parent(), ItemKind::kMeasure));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, "measure", request.parent()));
  const v1::MeasureValue& value = request.value();
  if (value.date().empty()) {
    return InvalidField("value.date", "must not be empty");
  }
  GT_ASSIGN_OR_RETURN(absl::CivilDay date, ParseDate("value.date", value.date()));
  if (!std::isfinite(value.value())) {
    return InvalidField("value.value", "must be a finite number");
  }
  GT_RETURN_IF_ERROR(MaxText("value", "note", value.note(), kMaxValueNote));
  std::optional<RequestKey> rk;
  if (!request.request_id().empty()) {
    v1::CreateMeasureValueRequest body = request;
    body.clear_request_id();
    GT_ASSIGN_OR_RETURN(rk, MakeRequestKey(key.plan.organisation, request.request_id(),
                                           "CreateMeasureValue", body));
  }
  // What the caller says; the name, revision and times are the server's.
  v1::MeasureValue row;
  row.set_date(value.date());
  row.set_value(value.value());
  row.set_note(value.note());
  row.set_provisional(value.provisional());
  row.set_recorded_by(caller.subject);
  return repository_.CreateMeasureValue(
      key, row, rk.has_value() ? &*rk : nullptr, [&](const v1::Plan& plan) -> absl::Status {
        auto start = ParseDate("plan.period_start", plan.period_start());
        auto end = ParseDate("plan.period_end", plan.period_end());
        if (start.ok() && end.ok() && (date < *start || date > *end)) {
          return InvalidField(
              "value.date", absl::StrCat("must be within the period of plan ", plan.name(), " (",
                                         plan.period_start(), " .. ", plan.period_end(), "), got ",
                                         value.date()));
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ListMeasureValuesResponse> PlanManager::ListMeasureValues(
    const Caller& caller, const v1::ListMeasureValuesRequest& request) {
  GT_ASSIGN_OR_RETURN(ItemKey parent, ParseParentName("parent", request.parent(),
                                                      {ItemKind::kMeasure, ItemKind::kPlan}));
  GT_RETURN_IF_ERROR(
      CheckOrganisation(caller, parent.plan.organisation, KindNoun(parent.kind), request.parent()));
  GT_ASSIGN_OR_RETURN(int size,
                      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  ValueQuery query;
  query.plan = parent.plan;
  if (parent.kind == ItemKind::kMeasure) {
    query.measure = parent.id;
  }
  query.all_revisions = request.all_revisions();
  if (request.has_published_at()) {
    GT_ASSIGN_OR_RETURN(query.recorded_before, RecordedBefore(request.published_at()));
  }
  // A token is good only for the request that returned it.
  uint64_t fp = Fingerprint(
      {"values", request.parent(),
       request.has_published_at() ? request.published_at().SerializeAsString() : std::string("now"),
       request.all_revisions() ? "all" : "current"});
  GT_ASSIGN_OR_RETURN(std::string cursor_text, DecodePageToken(request.page_token(), fp));
  GT_ASSIGN_OR_RETURN(std::optional<ValueCursor> after, DecodeValueCursor(cursor_text));
  GT_ASSIGN_OR_RETURN(
      auto page,
      (Page<ValueRow>(
          size, fp, [&](int limit) { return repository_.ListMeasureValues(query, after, limit); },
          [](const ValueRow& row) { return EncodeValueCursor(row.cursor); })));
  v1::ListMeasureValuesResponse response;
  for (auto& row : page.first) {
    *response.add_values() = std::move(row.value);
  }
  response.set_next_page_token(page.second);
  return response;
}

absl::Status PlanManager::DeleteMeasureValue(const Caller& caller,
                                             const v1::DeleteMeasureValueRequest& request) {
  GT_ASSIGN_OR_RETURN(
      auto vars,
      MatchName("name", request.name(),
                "organisations/{organisation}/plans/{plan}/measures/{measure}/values/{date}"));
  GT_ASSIGN_OR_RETURN(int64_t id, ParseNumericId("name", vars[2]));
  ItemKey key{PlanKey{vars[0], vars[1]}, ItemKind::kMeasure, id};
  GT_RETURN_IF_ERROR(
      CheckOrganisation(caller, key.plan.organisation, "measure value", request.name()));
  GT_RETURN_IF_ERROR(ParseDate("name", vars[3]).status());
  return repository_.DeleteMeasureValue(key, vars[3], caller.subject);
}

}  // namespace gt::plan
