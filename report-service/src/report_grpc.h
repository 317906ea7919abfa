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

  grpc::Status GetEndOfYearReport(grpc::ServerContext* context,
                                  const goldenthread::v1::ReportRequest* request,
                                  goldenthread::v1::EndOfYearReport* response) override;
  grpc::Status GetProgressReport(grpc::ServerContext* context,
                                 const goldenthread::v1::ProgressReportRequest* request,
                                 goldenthread::v1::ProgressReport* response) override;
  grpc::Status GetDeadlineRevisionReport(
      grpc::ServerContext* context, const goldenthread::v1::ReportRequest* request,
      goldenthread::v1::DeadlineRevisionReport* response) override;
  grpc::Status GetActionPlanReport(grpc::ServerContext* context,
                                   const goldenthread::v1::ReportRequest* request,
                                   goldenthread::v1::ActionPlanReport* response) override;
  grpc::Status GetChangesReport(grpc::ServerContext* context,
                                const goldenthread::v1::ChangesReportRequest* request,
                                goldenthread::v1::ChangesReport* response) override;
  grpc::Status RenderReport(grpc::ServerContext* context,
                            const goldenthread::v1::RenderReportRequest* request,
                            goldenthread::v1::RenderedReport* response) override;
  grpc::Status PublishPeriod(grpc::ServerContext* context,
                             const goldenthread::v1::PublishPeriodRequest* request,
                             goldenthread::v1::Period* response) override;

 private:
  ReportManager& manager_;
};

// Identity, request id and the caller's deadline, capped so that a caller
// with none cannot hold backend calls open for ever.
CallDecorator DecoratorFor(const grpc::ServerContext& context);

}  // namespace gt::report
