#pragma once

#include <grpcpp/support/status.h>

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
