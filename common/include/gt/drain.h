#pragma once

#include <grpcpp/support/status.h>

#include "absl/time/time.h"
#include "gt/call_deadline.h"

namespace gt {

// A service process that has begun to stop (SIGTERM) drains: calls it has
// accepted run to their end, calls that arrive from then on are refused
// UNAVAILABLE before anything is done for them (retryable, nothing written),
// and the process exits once none is left. gRPC 1.51's own Server::Shutdown
// cannot do this: the calls it holds unmatched, and those that arrive before
// the client has seen its GOAWAY, are answered CANCELLED, which no retry
// policy retries (grpc/grpc#41785). See ServiceHost::DrainForExit.
//
// Process-wide, set once by DrainForExit and never cleared.
bool ProcessDraining();
void StartProcessDrain();

// The answer to a call that arrives while the process drains.
grpc::Status DrainingRefusal();

}  // namespace gt

// The first line of a synchronous unary handler: refuses the call when the
// process drains, else puts the call's deadline in scope for what it runs.
#define GT_BEGIN_SYNC_CALL(context) \
  if (::gt::ProcessDraining()) {    \
    return ::gt::DrainingRefusal(); \
  }                                 \
  const ::gt::ScopedCallDeadline gt_call_deadline_(absl::FromChrono((context)->deadline()))
