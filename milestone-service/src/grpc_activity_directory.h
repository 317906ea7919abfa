#pragma once

#include <map>

#include "activity_directory.h"
#include "goldenthread/v1/plan.grpc.pb.h"

namespace gt::milestone {

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
  absl::StatusOr<PlanDates> Dates(const Caller& caller, absl::Time deadline,
                                  const PlanRef& plan) override;

 private:
  goldenthread::v1::PlanService::StubInterface& plans_;
};

}  // namespace gt::milestone
