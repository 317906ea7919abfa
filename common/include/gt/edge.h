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

// A synchronous unary handler's body: AdmitCall (its refusal is the answer),
// then `fn()` — which returns the grpc::Status the call finishes with — run
// with the call's deadline in scope (ScopedCallDeadline), so that work below
// the edge (a database wait) ends with the call. The sync-API counterpart of
// RunUnary (gt/worker_pool.h).
template <typename Fn>
grpc::Status RunSyncUnary(grpc::ServerContext* context, const google::protobuf::Message& request,
                          Fn fn) {
  if (grpc::Status admitted = AdmitCall(*context, request); !admitted.ok()) {
    return admitted;
  }
  const ScopedCallDeadline call_deadline(absl::FromChrono(context->deadline()));
  return fn();
}

}  // namespace gt
