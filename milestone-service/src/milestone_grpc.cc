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

#define GT_SIMPLE(Method, Request, Response)                                                  \
  grpc::ServerUnaryReactor* MilestoneGrpcService::Method(                                     \
      grpc::CallbackServerContext* context, const v1::Request* request, Response* response) { \
    return RunUnary(workers_, context, *request, [this, context, request, response] {         \
      return Respond(manager_.Method(CallerFrom(*context), *request), response);              \
    });                                                                                       \
  }
#define GT_WITH_DEADLINE(Method, Request, Response)                                           \
  grpc::ServerUnaryReactor* MilestoneGrpcService::Method(                                     \
      grpc::CallbackServerContext* context, const v1::Request* request, Response* response) { \
    return RunUnary(workers_, context, *request, [this, context, request, response] {         \
      return Respond(manager_.Method(CallerFrom(*context), DeadlineOf(*context), *request),   \
                     response);                                                               \
    });                                                                                       \
  }

GT_WITH_DEADLINE(CreateMilestone, CreateMilestoneRequest, v1::Milestone)
GT_WITH_DEADLINE(BatchCreateMilestones, BatchCreateMilestonesRequest,
                 v1::BatchCreateMilestonesResponse)
GT_SIMPLE(GetMilestone, GetMilestoneRequest, v1::Milestone)
GT_SIMPLE(ListMilestones, ListMilestonesRequest, v1::ListMilestonesResponse)
GT_SIMPLE(UpdateMilestone, UpdateMilestoneRequest, v1::Milestone)
GT_SIMPLE(UpdateMilestoneProgress, UpdateMilestoneProgressRequest, v1::Milestone)
GT_SIMPLE(ReviseDeadline, ReviseDeadlineRequest, v1::Milestone)
GT_SIMPLE(BatchCreateMilestoneUpdates, BatchCreateMilestoneUpdatesRequest,
          v1::BatchCreateMilestoneUpdatesResponse)
GT_WITH_DEADLINE(ReconcileMilestones, ReconcileMilestonesRequest, v1::ReconcileMilestonesResponse)
GT_SIMPLE(ListMilestoneUpdates, ListMilestoneUpdatesRequest, v1::ListMilestoneUpdatesResponse)
GT_SIMPLE(GetMilestonesAsOf, GetMilestonesAsOfRequest, v1::GetMilestonesAsOfResponse)
GT_SIMPLE(CountOverdue, CountOverdueRequest, v1::CountOverdueResponse)
#undef GT_SIMPLE
#undef GT_WITH_DEADLINE

grpc::ServerUnaryReactor* MilestoneGrpcService::DeleteMilestone(
    grpc::CallbackServerContext* context, const v1::DeleteMilestoneRequest* request,
    google::protobuf::Empty*) {
  return RunUnary(workers_, context, *request, [this, context, request] {
    return ToGrpcStatus(manager_.DeleteMilestone(CallerFrom(*context), *request));
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
