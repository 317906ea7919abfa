#pragma once

#include "goldenthread/v1/report.grpc.pb.h"
#include "report_manager.h"

namespace gt::report {

// The gRPC edge of report-service (sync API: each handler blocks on its
// backend calls, which the sync server's thread pool is made for). Every
// outgoing call carries the caller's identity, request id and deadline.
class ReportGrpcService final : public goldenthread::v1::ReportService::Service {
 public:
  explicit ReportGrpcService(ReportManager& manager) : manager_(manager) {}

#define GT_RPC(Method, Request, Response)                                                     \
  grpc::Status Method(grpc::ServerContext* context, const goldenthread::v1::Request* request, \
                      goldenthread::v1::Response* response) override;
  GT_RPC(GetEndOfYearReport, ReportRequest, EndOfYearReport)
  GT_RPC(GetProgressReport, ProgressReportRequest, ProgressReport)
  GT_RPC(GetDeadlineRevisionReport, ReportRequest, DeadlineRevisionReport)
  GT_RPC(GetActionPlanReport, ReportRequest, ActionPlanReport)
  GT_RPC(GetChangesReport, ChangesReportRequest, ChangesReport)
  GT_RPC(RenderReport, RenderReportRequest, RenderedReport)
#undef GT_RPC

 private:
  ReportManager& manager_;
};

// Identity, request id and the caller's deadline, capped so that a caller
// with none cannot hold backend calls open for ever.
CallDecorator DecoratorFor(const grpc::ServerContext& context);

}  // namespace gt::report
