#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "gt/identity.h"
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
};

// One GetPlanTree call per create (single or batch), with the caller's
// identity and deadline passed on.
class GrpcActivityDirectory : public ActivityDirectory {
 public:
  explicit GrpcActivityDirectory(goldenthread::v1::PlanService::StubInterface& plans)
      : plans_(plans) {}
  absl::StatusOr<std::map<int64_t, ActivityPlace>> Activities(const Caller& caller,
                                                              absl::Time deadline,
                                                              const PlanRef& plan) override;
  // GetPlan, every time: a plan deleted a moment ago is NOT_FOUND at once
  // (a cache of plans seen to exist let a deleted plan's milestones be
  // listed for its lifetime; the request fuzzer caught it).
  absl::Status PlanExists(const Caller& caller, absl::Time deadline, const PlanRef& plan) override;

 private:
  goldenthread::v1::PlanService::StubInterface& plans_;
};

}  // namespace gt::milestone
