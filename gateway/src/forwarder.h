#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "backends.h"
#include "executor.h"
#include "gate.h"

namespace gt::gateway {

// Forwards every call of a forwarded service (PlanService, MilestoneService,
// ReportService) to its backend, whatever the method and however it streams:
// one callback reactor per call, raw bytes both ways. Each request message is
// parsed once, with the compiled-in descriptors, only to check the names in
// it; the bytes the client sent are what the backend receives, and responses
// are never parsed at all.
//
// The callback API rather than the async one: equal throughput in
// bench/forward_bench.cc on this machine, and much less code for streams (no
// hand-written state machines, no completion-queue threads to size). Its one
// rule, "never block in a reaction", is kept by sending the token look-ups
// that miss the cache to an Executor.
class Forwarder {
 public:
  Forwarder(Gate gate, const Backends& backends, Executor& executor)
      : gate_(gate), backends_(backends), executor_(executor) {}

  // One grpc::Service per forwarded service, built from its descriptor: every
  // method registered by path as a raw (ByteBuffer) callback bidi stream —
  // on the wire a unary call is a stream of one message each way — all
  // handled by the same reactor. Registered rather than caught by a generic
  // service so that reflection lists the services, and metrics and gRPC
  // itself know the methods. No code per method.
  std::vector<std::unique_ptr<grpc::Service>> Services();

  // Catches every call to a method none of the services has: UNIMPLEMENTED,
  // logged like any other call.
  grpc::CallbackGenericService* unknown_methods() { return &unknown_methods_; }

 private:
  friend class ForwardCall;
  friend class ForwardedService;

  class UnknownMethods final : public grpc::CallbackGenericService {
   public:
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override;
  };

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Forward(
      grpc::CallbackServerContext* context, const MethodRule& rule,
      const Backends::Backend& backend);

  Gate gate_;
  const Backends& backends_;
  Executor& executor_;
  UnknownMethods unknown_methods_;
};

}  // namespace gt::gateway
