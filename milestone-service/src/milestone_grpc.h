#pragma once

#include "goldenthread/v1/milestone.grpc.pb.h"
#include "gt/worker_pool.h"
#include "milestone_manager.h"
#include "period_manager.h"
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
  MilestoneGrpcService(MilestoneManager& manager, PeriodManager& periods, UpdateBus& bus,
                       size_t watch_buffer = 1000, int worker_threads = 16)
      : manager_(manager),
        periods_(periods),
        bus_(bus),
        watch_buffer_(watch_buffer),
        workers_(worker_threads) {}

  grpc::ServerUnaryReactor* CreateMilestone(grpc::CallbackServerContext* context,
                                            const goldenthread::v1::CreateMilestoneRequest* request,
                                            goldenthread::v1::Milestone* response) override;
  grpc::ServerUnaryReactor* BatchCreateMilestones(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::BatchCreateMilestonesRequest* request,
      goldenthread::v1::BatchCreateMilestonesResponse* response) override;
  grpc::ServerUnaryReactor* GetMilestone(grpc::CallbackServerContext* context,
                                         const goldenthread::v1::GetMilestoneRequest* request,
                                         goldenthread::v1::Milestone* response) override;
  grpc::ServerUnaryReactor* ListMilestones(
      grpc::CallbackServerContext* context, const goldenthread::v1::ListMilestonesRequest* request,
      goldenthread::v1::ListMilestonesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateMilestone(grpc::CallbackServerContext* context,
                                            const goldenthread::v1::UpdateMilestoneRequest* request,
                                            goldenthread::v1::Milestone* response) override;
  grpc::ServerUnaryReactor* DeleteMilestone(grpc::CallbackServerContext* context,
                                            const goldenthread::v1::DeleteMilestoneRequest* request,
                                            google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* UpdateMilestoneProgress(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::UpdateMilestoneProgressRequest* request,
      goldenthread::v1::Milestone* response) override;
  grpc::ServerUnaryReactor* ReviseDeadline(grpc::CallbackServerContext* context,
                                           const goldenthread::v1::ReviseDeadlineRequest* request,
                                           goldenthread::v1::Milestone* response) override;
  grpc::ServerUnaryReactor* BatchCreateMilestoneUpdates(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::BatchCreateMilestoneUpdatesRequest* request,
      goldenthread::v1::BatchCreateMilestoneUpdatesResponse* response) override;
  grpc::ServerUnaryReactor* ReconcileMilestones(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::ReconcileMilestonesRequest* request,
      goldenthread::v1::ReconcileMilestonesResponse* response) override;
  grpc::ServerUnaryReactor* ListMilestoneUpdates(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::ListMilestoneUpdatesRequest* request,
      goldenthread::v1::ListMilestoneUpdatesResponse* response) override;
  grpc::ServerUnaryReactor* GetMilestonesAsOf(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::GetMilestonesAsOfRequest* request,
      goldenthread::v1::GetMilestonesAsOfResponse* response) override;
  grpc::ServerUnaryReactor* CountOverdue(grpc::CallbackServerContext* context,
                                         const goldenthread::v1::CountOverdueRequest* request,
                                         goldenthread::v1::CountOverdueResponse* response) override;

  // The monitoring round (PeriodManager).
  grpc::ServerUnaryReactor* CreatePeriod(grpc::CallbackServerContext* context,
                                         const goldenthread::v1::CreatePeriodRequest* request,
                                         goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* CreateQuarterlyPeriods(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::CreateQuarterlyPeriodsRequest* request,
      goldenthread::v1::CreateQuarterlyPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* GetPeriod(grpc::CallbackServerContext* context,
                                      const goldenthread::v1::GetPeriodRequest* request,
                                      goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* ListPeriods(grpc::CallbackServerContext* context,
                                        const goldenthread::v1::ListPeriodsRequest* request,
                                        goldenthread::v1::ListPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* OpenPeriod(grpc::CallbackServerContext* context,
                                       const goldenthread::v1::PeriodTransitionRequest* request,
                                       goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* StartPeriodReview(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::PeriodTransitionRequest* request,
      goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* CancelPeriod(grpc::CallbackServerContext* context,
                                         const goldenthread::v1::PeriodTransitionRequest* request,
                                         goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* ListDueUpdates(
      grpc::CallbackServerContext* context, const goldenthread::v1::ListDueUpdatesRequest* request,
      goldenthread::v1::ListDueUpdatesResponse* response) override;
  grpc::ServerUnaryReactor* ReviewUpdate(grpc::CallbackServerContext* context,
                                         const goldenthread::v1::ReviewUpdateRequest* request,
                                         goldenthread::v1::UpdateReview* response) override;
  grpc::ServerUnaryReactor* ListUpdateReviews(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::ListUpdateReviewsRequest* request,
      goldenthread::v1::ListUpdateReviewsResponse* response) override;
  grpc::ServerUnaryReactor* RecordPublication(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::RecordPublicationRequest* request,
      goldenthread::v1::Period* response) override;
  grpc::ServerUnaryReactor* GetPeriodPack(grpc::CallbackServerContext* context,
                                          const goldenthread::v1::GetPeriodPackRequest* request,
                                          goldenthread::v1::PeriodPack* response) override;

  grpc::ServerWriteReactor<goldenthread::v1::MilestoneUpdate>* WatchMilestoneUpdates(
      grpc::CallbackServerContext* context,
      const goldenthread::v1::WatchMilestoneUpdatesRequest* request) override;

 private:
  MilestoneManager& manager_;
  PeriodManager& periods_;
  UpdateBus& bus_;
  size_t watch_buffer_;
  WorkerPool workers_;
};

}  // namespace gt::milestone
