#pragma once

#include "goldenthread/v1/milestone.grpc.pb.h"
#include "gt/worker_pool.h"
#include "milestone_manager.h"
#include "update_bus.h"
#include "watch_stream.h"

namespace gt::milestone {

// The gRPC edge of milestone-service, all on the callback API. Handlers block
// on the database, so their bodies run on a worker pool (RunUnary), never on
// gRPC's threads; the watch stream holds no thread while a watcher waits.
//
// Why not the sync API for the unary methods: a server mixing sync methods
// with a callback one (the watch) stalled every ~1.1 s under steady load in
// gRPC 1.51 — the callback queue's two "nexting" threads, which here did the
// socket polling, time out after 1 s without a callback event and then
// sleep 100 ms together, and calls waited out the sleep (p99 80 ms at 32
// callers, a 100 ms maximum even at one caller). All-callback keeps those
// threads busy with events; see BENCHMARKS.md.
class MilestoneGrpcService final : public goldenthread::v1::MilestoneService::CallbackService {
 public:
  MilestoneGrpcService(MilestoneManager& manager, UpdateBus& bus, size_t watch_buffer = 1000,
                       int worker_threads = 16)
      : manager_(manager), bus_(bus), watch_buffer_(watch_buffer), workers_(worker_threads) {}

#define GT_RPC(Method, Request, Response)                                                        \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                         \
                                   const goldenthread::v1::Request* request, Response* response) \
      override;
  GT_RPC(CreateMilestone, CreateMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(BatchCreateMilestones, BatchCreateMilestonesRequest,
         goldenthread::v1::BatchCreateMilestonesResponse)
  GT_RPC(GetMilestone, GetMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(ListMilestones, ListMilestonesRequest, goldenthread::v1::ListMilestonesResponse)
  GT_RPC(UpdateMilestone, UpdateMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(DeleteMilestone, DeleteMilestoneRequest, google::protobuf::Empty)
  GT_RPC(UpdateMilestoneProgress, UpdateMilestoneProgressRequest, goldenthread::v1::Milestone)
  GT_RPC(ReviseDeadline, ReviseDeadlineRequest, goldenthread::v1::Milestone)
  GT_RPC(BatchCreateMilestoneUpdates, BatchCreateMilestoneUpdatesRequest,
         goldenthread::v1::BatchCreateMilestoneUpdatesResponse)
  GT_RPC(ReconcileMilestones, ReconcileMilestonesRequest,
         goldenthread::v1::ReconcileMilestonesResponse)
  GT_RPC(ListMilestoneUpdates, ListMilestoneUpdatesRequest,
         goldenthread::v1::ListMilestoneUpdatesResponse)
  GT_RPC(GetMilestonesAsOf, GetMilestonesAsOfRequest, goldenthread::v1::GetMilestonesAsOfResponse)
  GT_RPC(CountOverdue, CountOverdueRequest, goldenthread::v1::CountOverdueResponse)
#undef GT_RPC

  grpc::ServerWriteReactor<goldenthread::v1::MilestoneUpdate>* WatchMilestoneUpdates(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::WatchMilestoneUpdatesRequest* request) override;

 private:
  MilestoneManager& manager_;
  UpdateBus& bus_;
  size_t watch_buffer_;
  WorkerPool workers_;
};

}  // namespace gt::milestone
