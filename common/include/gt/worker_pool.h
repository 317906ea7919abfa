#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "gt/call_deadline.h"
#include "gt/edge.h"

namespace gt {

// Threads for blocking work (database calls) started by callback-API
// handlers, which run on gRPC's own few threads and must never block them.
// Work runs in submission order; the destructor runs what is queued, then
// joins.
class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> work);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// A unary callback handler's body, run on the pool: `fn()` returns the
// grpc::Status the call finishes with, and runs with the call's deadline in
// scope (ScopedCallDeadline), so database waits end with the call. A call
// cancelled or past its deadline while it queued finishes without running.
template <typename Fn>
grpc::ServerUnaryReactor* RunUnary(WorkerPool& pool, grpc::CallbackServerContext* context,
                                   const google::protobuf::Message& request, Fn fn) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Refused before anything is done: taken after the drain began (calls
  // taken before it, queued here included, run to their end), or holding a
  // value no field may hold.
  if (grpc::Status admitted = AdmitCall(*context, request); !admitted.ok()) {
    reactor->Finish(admitted);
    return reactor;
  }
  pool.Submit([reactor, context, fn = std::move(fn)]() mutable {
    absl::Time deadline = absl::FromChrono(context->deadline());
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the caller went away"));
      return;
    }
    if (deadline <= absl::Now()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                   "the deadline passed before the call was started"));
      return;
    }
    ScopedCallDeadline scoped(deadline);
    reactor->Finish(fn());
  });
  return reactor;
}

}  // namespace gt
