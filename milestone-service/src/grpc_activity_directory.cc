#include "grpc_activity_directory.h"

#include <grpcpp/client_context.h>

#include "absl/strings/numbers.h"
#include "goldenthread/v1/common.pb.h"
#include "gt/grpc_status.h"

namespace gt::milestone {

namespace {

int64_t IdOf(const std::string& name) {
  int64_t id = 0;
  absl::SimpleAtoi(name.substr(name.rfind('/') + 1), &id);
  return id;
}

// A call to plan-service on the caller's behalf: its identity and deadline.
void OnBehalfOf(const Caller& caller, absl::Time deadline, grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(deadline));
  if (!caller.organisation.empty()) {
    context.AddMetadata(kOrganisationHeader, caller.organisation);
    context.AddMetadata(kRoleHeader, goldenthread::v1::Role_Name(caller.role));
    context.AddMetadata(kSubjectHeader, caller.subject);
  }
  if (!caller.request_id.empty()) {
    context.AddMetadata(kRequestIdHeader, caller.request_id);
  }
  if (!caller.seal.empty()) {
    context.AddMetadata(kSealHeader, caller.seal);
  }
}

}  // namespace

absl::Status GrpcActivityDirectory::PlanExists(const Caller& caller, absl::Time deadline,
                                               const PlanRef& plan) {
  const std::string name = PlanName(plan);
  grpc::ClientContext context;
  OnBehalfOf(caller, deadline, context);
  goldenthread::v1::GetPlanRequest request;
  request.set_name(name);
  goldenthread::v1::Plan found;
  grpc::Status status = plans_.GetPlan(&context, request, &found);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return NotFound("plan", name);
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError("plan-service is unavailable; retry shortly");
  }
  return FromGrpcStatus(status);
}

absl::StatusOr<std::map<int64_t, ActivityPlace>> GrpcActivityDirectory::Activities(
    const Caller& caller, absl::Time deadline, const PlanRef& plan) {
  grpc::ClientContext context;
  OnBehalfOf(caller, deadline, context);
  goldenthread::v1::GetPlanTreeRequest request;
  request.set_name(PlanName(plan));
  goldenthread::v1::PlanTree tree;
  grpc::Status status = plans_.GetPlanTree(&context, request, &tree);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      return absl::UnavailableError("plan-service is unavailable; retry shortly");
    }
    return FromGrpcStatus(status);
  }
  std::map<int64_t, ActivityPlace> out;
  for (const auto& priority : tree.priorities()) {
    for (const auto& outcome : priority.outcomes()) {
      for (const auto& activity : outcome.activities()) {
        ActivityPlace place;
        place.activity_id = IdOf(activity.name());
        place.outcome_id = IdOf(outcome.name());
        place.priority_id = IdOf(priority.name());
        place.priority_position = priority.position();
        place.outcome_position = outcome.position();
        place.activity_position = activity.position();
        out[place.activity_id] = place;
      }
    }
  }
  return out;
}

}  // namespace gt::milestone
