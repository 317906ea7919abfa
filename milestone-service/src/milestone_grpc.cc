#include "milestone_grpc.h"

#include "absl/strings/str_cat.h"
#include "gt/call_deadline.h"
#include "gt/grpc_status.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

// The caller's deadline for calls we make on its behalf (plan-service);
// without one, a bounded default.
absl::Time DeadlineOf(const grpc::CallbackServerContext& context) {
  absl::Time deadline = absl::FromChrono(context.deadline());
  absl::Time cap = absl::Now() + absl::Seconds(30);
  return deadline < cap ? deadline : cap;
}

}  // namespace

grpc::ServerUnaryReactor* MilestoneGrpcService::CreateMilestone(
    grpc::CallbackServerContext* context, const v1::CreateMilestoneRequest* request,
    v1::Milestone* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.CreateMilestone(CallerFrom(*context), DeadlineOf(*context), *request),
                   response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::BatchCreateMilestones(
    grpc::CallbackServerContext* context, const v1::BatchCreateMilestonesRequest* request,
    v1::BatchCreateMilestonesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(
        manager_.BatchCreateMilestones(CallerFrom(*context), DeadlineOf(*context), *request),
        response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::GetMilestone(grpc::CallbackServerContext* context,
                                                             const v1::GetMilestoneRequest* request,
                                                             v1::Milestone* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.GetMilestone(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ListMilestones(
    grpc::CallbackServerContext* context, const v1::ListMilestonesRequest* request,
    v1::ListMilestonesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.ListMilestones(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::UpdateMilestone(
    grpc::CallbackServerContext* context, const v1::UpdateMilestoneRequest* request,
    v1::Milestone* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.UpdateMilestone(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::UpdateMilestoneProgress(
    grpc::CallbackServerContext* context, const v1::UpdateMilestoneProgressRequest* request,
    v1::Milestone* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.UpdateMilestoneProgress(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ReviseDeadline(
    grpc::CallbackServerContext* context, const v1::ReviseDeadlineRequest* request,
    v1::Milestone* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.ReviseDeadline(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::BatchCreateMilestoneUpdates(
    grpc::CallbackServerContext* context, const v1::BatchCreateMilestoneUpdatesRequest* request,
    v1::BatchCreateMilestoneUpdatesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.BatchCreateMilestoneUpdates(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ReconcileMilestones(
    grpc::CallbackServerContext* context, const v1::ReconcileMilestonesRequest* request,
    v1::ReconcileMilestonesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(
        manager_.ReconcileMilestones(CallerFrom(*context), DeadlineOf(*context), *request),
        response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ListMilestoneUpdates(
    grpc::CallbackServerContext* context, const v1::ListMilestoneUpdatesRequest* request,
    v1::ListMilestoneUpdatesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.ListMilestoneUpdates(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::GetMilestonesAsOf(
    grpc::CallbackServerContext* context, const v1::GetMilestonesAsOfRequest* request,
    v1::GetMilestonesAsOfResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.GetMilestonesAsOf(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::CountOverdue(grpc::CallbackServerContext* context,
                                                             const v1::CountOverdueRequest* request,
                                                             v1::CountOverdueResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(manager_.CountOverdue(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::DeleteMilestone(
    grpc::CallbackServerContext* context, const v1::DeleteMilestoneRequest* request,
    google::protobuf::Empty*) {
  return RunUnary(workers_, context, *request, [this, context, request] {
    return ToGrpcStatus(manager_.DeleteMilestone(CallerFrom(*context), *request));
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::CreatePeriod(grpc::CallbackServerContext* context,
                                                             const v1::CreatePeriodRequest* request,
                                                             v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.CreatePeriod(CallerFrom(*context), DeadlineOf(*context), *request),
                   response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::CreateQuarterlyPeriods(
    grpc::CallbackServerContext* context, const v1::CreateQuarterlyPeriodsRequest* request,
    v1::CreateQuarterlyPeriodsResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(
        periods_.CreateQuarterlyPeriods(CallerFrom(*context), DeadlineOf(*context), *request),
        response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::GetPeriod(grpc::CallbackServerContext* context,
                                                          const v1::GetPeriodRequest* request,
                                                          v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.GetPeriod(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ListPeriods(grpc::CallbackServerContext* context,
                                                            const v1::ListPeriodsRequest* request,
                                                            v1::ListPeriodsResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.ListPeriods(CallerFrom(*context), DeadlineOf(*context), *request),
                   response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::OpenPeriod(
    grpc::CallbackServerContext* context, const v1::PeriodTransitionRequest* request,
    v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.OpenPeriod(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::StartPeriodReview(
    grpc::CallbackServerContext* context, const v1::PeriodTransitionRequest* request,
    v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.StartPeriodReview(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::CancelPeriod(
    grpc::CallbackServerContext* context, const v1::PeriodTransitionRequest* request,
    v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.CancelPeriod(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ListDueUpdates(
    grpc::CallbackServerContext* context, const v1::ListDueUpdatesRequest* request,
    v1::ListDueUpdatesResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.ListDueUpdates(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ReviewUpdate(grpc::CallbackServerContext* context,
                                                             const v1::ReviewUpdateRequest* request,
                                                             v1::UpdateReview* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.ReviewUpdate(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::ListUpdateReviews(
    grpc::CallbackServerContext* context, const v1::ListUpdateReviewsRequest* request,
    v1::ListUpdateReviewsResponse* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.ListUpdateReviews(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::RecordPublication(
    grpc::CallbackServerContext* context, const v1::RecordPublicationRequest* request,
    v1::Period* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.RecordPublication(CallerFrom(*context), *request), response);
  });
}

grpc::ServerUnaryReactor* MilestoneGrpcService::GetPeriodPack(
    grpc::CallbackServerContext* context, const v1::GetPeriodPackRequest* request,
    v1::PeriodPack* response) {
  return RunUnary(workers_, context, *request, [this, context, request, response] {
    return Respond(periods_.GetPeriodPack(CallerFrom(*context), *request), response);
  });
}

grpc::ServerWriteReactor<v1::MilestoneUpdate>* MilestoneGrpcService::WatchMilestoneUpdates(
    grpc::CallbackServerContext* context, const v1::WatchMilestoneUpdatesRequest* request) {
  if (grpc::Status admitted = AdmitCall(*context, *request); !admitted.ok()) {
    return new RefusedStream(admitted);
  }
  auto plan = manager_.WatchTarget(CallerFrom(*context), *request);
  if (!plan.ok()) {
    return new RefusedStream(ToGrpcStatus(plan.status()));
  }
  return new WatchStream(bus_, manager_, *plan, request->start_after_sequence(), watch_buffer_);
}

}  // namespace gt::milestone
