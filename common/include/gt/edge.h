#pragma once

// What every gRPC handler of the services does before anything else.

#include "absl/time/time.h"
#include "gt/call_deadline.h"
#include "gt/drain.h"
#include "gt/grpc_status.h"
#include "gt/identity.h"
#include "gt/request_check.h"

namespace gt {

// UNAVAILABLE while the process drains; UNAUTHENTICATED for an identity
// without a valid seal where this process checks seals (CheckSeal);
// INVALID_ARGUMENT for values no field may hold (CheckRequestValues); OK to
// go on.
inline grpc::Status AdmitCall(const grpc::ServerContextBase& context,
                              const google::protobuf::Message& request) {
  if (ProcessDraining()) {
    return DrainingRefusal();
  }
  if (const std::string* key = SealKey()) {
    if (absl::Status sealed = CheckSeal(*key, context, absl::Now()); !sealed.ok()) {
      return ToGrpcStatus(sealed);
    }
  }
  return ToGrpcStatus(CheckRequestValues(request));
}

}  // namespace gt

// The first line of a synchronous unary handler: AdmitCall, then the call's
// deadline in scope for what it runs.
#define GT_BEGIN_SYNC_CALL(context, request)                                                     \
  if (grpc::Status gt_admitted_ = ::gt::AdmitCall(*(context), *(request)); !gt_admitted_.ok()) { \
    return gt_admitted_;                                                                         \
  }                                                                                              \
  const ::gt::ScopedCallDeadline gt_call_deadline_(absl::FromChrono((context)->deadline()))
