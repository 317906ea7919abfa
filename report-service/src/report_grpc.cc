#include "report_grpc.h"

#include <grpcpp/client_context.h>

#include "gt/edge.h"
#include "gt/grpc_status.h"
#include "gt/identity.h"

namespace gt::report {

namespace v1 = goldenthread::v1;

namespace {

constexpr absl::Duration kLongestBackendCall = absl::Seconds(60);

// A handler's body: AdmitCall (its refusal is the answer), then `fn()`, the
// grpc::Status the call finishes with. No ScopedCallDeadline, unlike
// RunSyncUnary: report-service has no database, and its backend calls carry
// the caller's deadline themselves (DecoratorFor).
template <typename Fn>
grpc::Status RunAdmitted(const grpc::ServerContext& context,
                         const google::protobuf::Message& request, Fn fn) {
  if (grpc::Status admitted = AdmitCall(context, request); !admitted.ok()) {
    return admitted;
  }
  return fn();
}

}  // namespace

CallDecorator DecoratorFor(const grpc::ServerContext& context) {
  return [&context](grpc::ClientContext& out) {
    PropagateCall(context, out);
    absl::Time cap = absl::Now() + kLongestBackendCall;
    if (absl::FromChrono(context.deadline()) > cap) {
      out.set_deadline(absl::ToChronoTime(cap));
    }
  };
}

grpc::Status ReportGrpcService::GetEndOfYearReport(grpc::ServerContext* context,
                                                   const v1::ReportRequest* request,
                                                   v1::EndOfYearReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(
        manager_.GetEndOfYearReport(CallerFrom(*context), DecoratorFor(*context), *request),
        response);
  });
}

grpc::Status ReportGrpcService::GetProgressReport(grpc::ServerContext* context,
                                                  const v1::ProgressReportRequest* request,
                                                  v1::ProgressReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(
        manager_.GetProgressReport(CallerFrom(*context), DecoratorFor(*context), *request),
        response);
  });
}

grpc::Status ReportGrpcService::GetDeadlineRevisionReport(grpc::ServerContext* context,
                                                          const v1::ReportRequest* request,
                                                          v1::DeadlineRevisionReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(
        manager_.GetDeadlineRevisionReport(CallerFrom(*context), DecoratorFor(*context), *request),
        response);
  });
}

grpc::Status ReportGrpcService::GetActionPlanReport(grpc::ServerContext* context,
                                                    const v1::ReportRequest* request,
                                                    v1::ActionPlanReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(
        manager_.GetActionPlanReport(CallerFrom(*context), DecoratorFor(*context), *request),
        response);
  });
}

grpc::Status ReportGrpcService::GetChangesReport(grpc::ServerContext* context,
                                                 const v1::ChangesReportRequest* request,
                                                 v1::ChangesReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(
        manager_.GetChangesReport(CallerFrom(*context), DecoratorFor(*context), *request),
        response);
  });
}

grpc::Status ReportGrpcService::RenderReport(grpc::ServerContext* context,
                                             const v1::RenderReportRequest* request,
                                             v1::RenderedReport* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(manager_.RenderReport(CallerFrom(*context), DecoratorFor(*context), *request),
                   response);
  });
}

grpc::Status ReportGrpcService::PublishPeriod(grpc::ServerContext* context,
                                              const v1::PublishPeriodRequest* request,
                                              v1::Period* response) {
  return RunAdmitted(*context, *request, [&] {
    return Respond(manager_.PublishPeriod(CallerFrom(*context), DecoratorFor(*context), *request),
                   response);
  });
}

}  // namespace gt::report
