#include "report_grpc.h"

#include <grpcpp/client_context.h>

#include "gt/edge.h"
#include "gt/grpc_status.h"
#include "gt/identity.h"

namespace gt::report {

namespace v1 = goldenthread::v1;

namespace {

constexpr absl::Duration kLongestBackendCall = absl::Seconds(60);

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

#define GT_RPC(Method, Request, Response)                                                          \
  grpc::Status ReportGrpcService::Method(grpc::ServerContext* context, const v1::Request* request, \
                                         Response* response) {                                     \
    if (grpc::Status admitted = AdmitCall(*context, *request); !admitted.ok()) {                   \
      return admitted;                                                                             \
    }                                                                                              \
    return Respond(manager_.Method(CallerFrom(*context), DecoratorFor(*context), *request),        \
                   response);                                                                      \
  }
GT_RPC(GetEndOfYearReport, ReportRequest, v1::EndOfYearReport)
GT_RPC(GetProgressReport, ProgressReportRequest, v1::ProgressReport)
GT_RPC(GetDeadlineRevisionReport, ReportRequest, v1::DeadlineRevisionReport)
GT_RPC(GetActionPlanReport, ReportRequest, v1::ActionPlanReport)
GT_RPC(GetChangesReport, ChangesReportRequest, v1::ChangesReport)
GT_RPC(RenderReport, RenderReportRequest, v1::RenderedReport)
#undef GT_RPC

}  // namespace gt::report
