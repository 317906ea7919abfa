#include "grpc_activity_directory.h"

#include <grpcpp/client_context.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
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
  if (!caller.directorates.empty()) {
    context.AddMetadata(kDirectoratesHeader, JoinDirectorates(caller.directorates));
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
  return Dates(caller, deadline, plan).status();
}

absl::StatusOr<PlanDates> GrpcActivityDirectory::Dates(const Caller& caller, absl::Time deadline,
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
  GT_RETURN_IF_ERROR(FromGrpcStatus(status));
  PlanDates dates;
  // plan-service validated both dates when it stored them.
  if (!absl::ParseCivilTime(found.period_start(), &dates.start) ||
      !absl::ParseCivilTime(found.period_end(), &dates.end)) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan ", name, " has no valid period_start and period_end"));
  }
  return dates;
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
