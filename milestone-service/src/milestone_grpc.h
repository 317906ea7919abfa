#pragma once

#include "goldenthread/v1/milestone.grpc.pb.h"
#include "milestone_manager.h"
#include "update_bus.h"
#include "watch_stream.h"

namespace gt::milestone {

// The gRPC edge of milestone-service (sync API: every handler blocks on the
// database, which the sync server's thread pool is made for).
// The watch stream uses the callback API instead: it holds no thread while a
// watcher waits.
class MilestoneGrpcService final
    : public goldenthread::v1::MilestoneService::WithCallbackMethod_WatchMilestoneUpdates<
          goldenthread::v1::MilestoneService::Service> {
 public:
  MilestoneGrpcService(MilestoneManager& manager, UpdateBus& bus, size_t watch_buffer = 1000)
      : manager_(manager), bus_(bus), watch_buffer_(watch_buffer) {}

#define GT_RPC(Method, Request, Response)                                                     \
  grpc::Status Method(grpc::ServerContext* context, const goldenthread::v1::Request* request, \
                      Response* response) override;
  GT_RPC(CreateMilestone, CreateMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(BatchCreateMilestones, BatchCreateMilestonesRequest,
         goldenthread::v1::BatchCreateMilestonesResponse)
  GT_RPC(GetMilestone, GetMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(ListMilestones, ListMilestonesRequest, goldenthread::v1::ListMilestonesResponse)
  GT_RPC(UpdateMilestone, UpdateMilestoneRequest, goldenthread::v1::Milestone)
  GT_RPC(DeleteMilestone, DeleteMilestoneRequest, google::protobuf::Empty)
  GT_RPC(UpdateMilestoneProgress, UpdateMilestoneProgressRequest, goldenthread::v1::Milestone)
  GT_RPC(ReviseDeadline, ReviseDeadlineRequest, goldenthread::v1::Milestone)
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
};

}  // namespace gt::milestone
