#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "goldenthread/v1/milestone.pb.h"
#include "gt/overdue.h"

namespace gt::milestone {

struct PlanRef {
  std::string organisation;
  std::string plan;
};

struct MilestoneKey {
  PlanRef plan;
  int64_t id = 0;
};

// "Never": the effective time of an aspect no history row has set yet;
// storable in a DATETIME column (MySQL's smallest).
absl::Time Never();

// The current state of a milestone (the `milestones` row).
struct MilestoneRow {
  int64_t id = 0;
  int64_t activity_id = 0;
  int64_t outcome_id = 0;
  int64_t priority_id = 0;
  int32_t priority_position = 0;
  int32_t outcome_position = 0;
  int32_t activity_position = 0;
  int32_t ordinal = 0;
  std::string title;
  std::string lead_officer;
  std::string directorate;
  bool deadline_assumed = false;  // inferred by an importer (descriptive)
  std::string baseline_deadline;  // YYYY-MM-DD or empty
  std::string current_deadline;
  int32_t status = goldenthread::v1::NOT_STARTED;
  int32_t percent_complete = 0;
  std::string latest_comment;
  std::string completed_date;
  int32_t revision_count = 0;
  absl::Time progress_effective_at = Never();
  absl::Time deadline_effective_at = Never();
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
};

// One history row (`milestone_updates`).
struct UpdateRow {
  int64_t update_id = 0;
  int64_t milestone_id = 0;
  goldenthread::v1::UpdateKind kind = goldenthread::v1::PROGRESS;
  int32_t status = 0;
  int32_t percent_complete = 0;
  std::string comment;
  std::string previous_deadline;
  std::string new_deadline;
  std::string reason;
  absl::Time effective_at;
  absl::Time recorded_at;
  std::string request_id;
  std::string recorded_by;
};

std::string PlanName(const PlanRef& plan);
std::string MilestoneName(const PlanRef& plan, int64_t id);
std::string ActivityName(const PlanRef& plan, int64_t id);
std::string OutcomeName(const PlanRef& plan, int64_t id);
std::string PriorityName(const PlanRef& plan, int64_t id);

absl::StatusOr<PlanRef> ParsePlan(absl::string_view field, absl::string_view name);
absl::StatusOr<MilestoneKey> ParseMilestone(absl::string_view field, absl::string_view name);
// An activity of plan-service, which must be in `plan`.
absl::StatusOr<int64_t> ParseActivity(absl::string_view field, absl::string_view name,
                                      const PlanRef& plan);

// Folds one history row into a state. Rows may arrive in any order: each
// aspect (progress, deadline) follows the row with the latest effective time
// (ties: the later row), which is what the current row keeps and what an
// as-of reconstruction of the same rows gives.
void Apply(const UpdateRow& update, MilestoneRow& state);

// The state before any history: not started, at the baseline deadline.
MilestoneRow Initial(const MilestoneRow& identity);

// gt::IsOverdue (gt/overdue.h) for a row's stored status number.
bool IsOverdue(const std::string& deadline, int32_t status, absl::CivilDay day);

goldenthread::v1::Milestone ToProto(const PlanRef& plan, const MilestoneRow& row,
                                    absl::CivilDay overdue_at);
goldenthread::v1::MilestoneUpdate ToProto(const PlanRef& plan, const UpdateRow& row);

}  // namespace gt::milestone
