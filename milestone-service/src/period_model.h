#pragma once

// The monitoring round as data: periods, reviews, pack files, and the rule
// that says what each milestone owes a period (DueOf). No gRPC, no SQL.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "goldenthread/v1/milestone.pb.h"
#include "gt/request_key.h"
#include "milestone_model.h"

namespace gt::milestone {

struct PeriodKey {
  PlanRef plan;
  std::string id;
};

// One `periods` row.
struct PeriodRow {
  std::string id;
  std::string title;
  absl::CivilDay start_date;
  absl::CivilDay as_of;
  absl::CivilDay due_date;
  int32_t state = goldenthread::v1::Period::PLANNED;
  bool approval_required = false;
  absl::Time create_time;
  std::optional<absl::Time> open_time, review_time, publish_time, cancel_time;
  std::string cancel_reason;
  std::string pack_sha256;
  int64_t version = 0;

  // An update belongs to the period when effective in [Begin(), End()).
  absl::Time Begin() const;
  absl::Time End() const;
  // Whether the round runs: OPEN or IN_REVIEW.
  bool InRound() const;
};

// One `update_reviews` row.
struct ReviewRow {
  int64_t review_id = 0;
  std::string period_id;
  int64_t milestone_id = 0;
  int64_t update_id = 0;
  int32_t action = goldenthread::v1::APPROVE;
  std::string reason;
  std::string reviewed_by;
  absl::Time review_time;
  std::string request_id;
};

struct PackFileRow {
  std::string filename;
  std::string content_type;
  std::string sha256;
  int64_t size_bytes = 0;
  std::string content;  // empty when only the manifest was read
};

// What the database knows that decides a period's due updates.
struct DueFacts {
  // The plan's live milestones, in document order.
  std::vector<MilestoneRow> live;
  // Status as of the period's start, for milestones with history before it.
  std::map<int64_t, int32_t> status_before;
  // Each milestone's latest PROGRESS row effective inside the period (the
  // latest recorded: the highest update id).
  std::map<int64_t, UpdateRow> latest_in_period;
  // When each milestone last had a PROGRESS row recorded (any period).
  std::map<int64_t, absl::Time> last_progress;
  // The latest review of each update id (of this period).
  std::map<int64_t, ReviewRow> latest_review;
};

// The rule: a milestone owes the period an update unless it was COMPLETED,
// DEFERRED or CANCELLED before the period started. Its state is MISSING
// without a progress update effective inside the period; otherwise that of
// the latest one's latest review (none: SUBMITTED). Document order.
std::vector<goldenthread::v1::DueUpdate> DueOf(const PlanRef& plan, const DueFacts& facts,
                                               absl::Time now);

std::string PeriodName(const PeriodKey& key);
std::string UpdateName(const PlanRef& plan, int64_t milestone_id, int64_t update_id);
absl::StatusOr<PeriodKey> ParsePeriod(absl::string_view field, absl::string_view name);
// ".../milestones/{m}/updates/{u}"
struct UpdateKey {
  MilestoneKey milestone;
  int64_t update_id = 0;
};
absl::StatusOr<UpdateKey> ParseUpdate(absl::string_view field, absl::string_view name);

goldenthread::v1::Period ToProto(const PlanRef& plan, const PeriodRow& row);

// For messages: "IN_REVIEW"; "2017-10-02T09:30:00.000000Z".
std::string StateName(int32_t state);
std::string Instant(absl::Time t);

// The idempotency key of a request with a `request_id` field: the request
// hashed with that field cleared.
absl::StatusOr<RequestKey> KeyOf(const std::string& organisation, const std::string& request_id,
                                 const std::string& method,
                                 const google::protobuf::Message& request);
goldenthread::v1::UpdateReview ToProto(const PlanRef& plan, const ReviewRow& row);

// The pack's manifest digest: SHA-256 of "<sha256>  <filename>\n" per file,
// in order (what sha256sum prints for the files).
std::string ManifestSha256(const std::vector<PackFileRow>& files);

// Quarters of [start, end]: consecutive three-month spans from start, the
// last cut at end.
std::vector<std::pair<absl::CivilDay, absl::CivilDay>> Quarters(absl::CivilDay start,
                                                                absl::CivilDay end);

}  // namespace gt::milestone
