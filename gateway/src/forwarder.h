#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "backends.h"
#include "executor.h"
#include "gate.h"

namespace gt::gateway {

class ForwardedService;

// Forwards every call of a forwarded service (PlanService, MilestoneService,
// ReportService) to its backend, raw bytes both ways. Each request message
// is parsed once, with the compiled-in descriptors, only to check the names
// in it; the bytes the client sent are what the backend receives, and
// responses are never parsed at all.
//
// The async API, on the completion queues of ServiceHost::ServeAsync: each
// call, both its sides, is driven by the one thread that drains its queue,
// and gRPC starts no polling threads of its own. With the callback API, its
// two polling threads took turns with each other at every poll (a futex
// wake and a context switch each time); bench/run.sh --proxy measured 72 µs
// of CPU a forwarded call for a bare async forwarder on one queue thread
// against 116 µs for a bare callback one, and nginx's grpc_pass 45 µs. The
// one blocking step, reading a token on a cache miss, goes to the Executor,
// which hands the call back to its queue with an alarm.
class Forwarder {
 public:
  Forwarder(Gate gate, const Backends& backends, Executor& executor);
  ~Forwarder();

  // One grpc::Service per forwarded service, built from its descriptor:
  // every method registered by path as an async raw (ByteBuffer) method of
  // its own kind — registered rather than caught by the generic service so
  // that reflection lists the services and the request of a unary or
  // server-streaming call arrives with the call. No code per method.
  // INVALID_ARGUMENT for a client-streaming method: the API has none, and
  // forwarding one would need a pump this forwarder does not have.
  absl::StatusOr<std::vector<grpc::Service*>> Services();

  // Catches every call to a method none of the services has: UNIMPLEMENTED,
  // logged like any other call. Register it with the server.
  grpc::AsyncGenericService* unknown_methods() { return &unknown_methods_; }

  // Posts the first requests of every method, and of unknown methods, on a
  // queue of the server's; once per queue, after the server has started.
  void Serve(grpc::ServerCompletionQueue* cq);

  // A method as the forwarder serves it.
  struct Method {
    ForwardedService* service;
    int index;
    const MethodRule* rule;
    const Backends::Backend* backend;
  };

 private:
  friend class ForwardCall;
  friend class UnknownCall;

  Gate gate_;
  const Backends& backends_;
  Executor& executor_;
  std::vector<std::unique_ptr<ForwardedService>> services_;
  std::vector<Method> methods_;
  grpc::AsyncGenericService unknown_methods_;
};

}  // namespace gt::gateway
