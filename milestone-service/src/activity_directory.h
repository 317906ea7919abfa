#pragma once

// What milestone-service needs to know of plan-service's tree (domain side:
// no gRPC). The gRPC implementation is grpc_activity_directory.h.

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gt/caller.h"
#include "milestone_model.h"

namespace gt::milestone {

// Where an activity sits in its plan, as plan-service says.
struct ActivityPlace {
  int64_t activity_id = 0;
  int64_t outcome_id = 0;
  int64_t priority_id = 0;
  int32_t priority_position = 0;
  int32_t outcome_position = 0;
  int32_t activity_position = 0;
};

// A plan's own dates (plan-service's period_start .. period_end).
struct PlanDates {
  absl::CivilDay start;
  absl::CivilDay end;
};

// The activities of a plan, asked of plan-service (milestone-service never
// reads plan-service's tables).
class ActivityDirectory {
 public:
  virtual ~ActivityDirectory() = default;
  // NOT_FOUND when the plan does not exist (or is not the caller's).
  virtual absl::StatusOr<std::map<int64_t, ActivityPlace>> Activities(const Caller& caller,
                                                                      absl::Time deadline,
                                                                      const PlanRef& plan) = 0;
  // OK when the plan exists; NOT_FOUND "plan <name> not found" when it does
  // not, the very answer another organisation's plan gets.
  virtual absl::Status PlanExists(const Caller& caller, absl::Time deadline,
                                  const PlanRef& plan) = 0;
  // The plan's dates; NOT_FOUND as PlanExists.
  virtual absl::StatusOr<PlanDates> Dates(const Caller& caller, absl::Time deadline,
                                          const PlanRef& plan) = 0;
};

}  // namespace gt::milestone
