#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "goldenthread/v1/milestone.pb.h"
#include "milestone_manager.h"
#include "update_bus.h"

namespace gt::milestone {

// One WatchMilestoneUpdates stream on the callback API: no thread is held
// per watcher, cancellation is seen at once, and the bus only ever enqueues.
// A watcher whose queue passes `capacity` is ended with RESOURCE_EXHAUSTED
// and the position to resume from. Resuming (start_after_sequence) reads the
// backlog from the database on a thread of its own, never on a reactor.
class WatchStream : public grpc::ServerWriteReactor<goldenthread::v1::MilestoneUpdate> {
 public:
  WatchStream(UpdateBus& bus, MilestoneManager& manager, const PlanRef& plan, int64_t start_after,
              size_t capacity);

  ~WatchStream() override { live_--; }
  // Streams not yet deleted, for leak tests.
  static int Live() { return live_.load(); }

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Shared with the bus and the backlog reader, which may outlive the stream.
  struct State : UpdateBus::Listener {
    void OnUpdate(const goldenthread::v1::MilestoneUpdate& update) override;
    void OnClosed() override;
    // Pumps a stream this thread counted itself into (busy), then counts out.
    void PumpAndRelease(WatchStream* target);

    std::mutex mu;
    WatchStream* stream ABSL_GUARDED_BY(mu) = nullptr;
    std::deque<goldenthread::v1::MilestoneUpdate> queue ABSL_GUARDED_BY(mu);
    // Live updates that arrive while the backlog is read.
    std::deque<goldenthread::v1::MilestoneUpdate> held ABSL_GUARDED_BY(mu);
    bool backfilling ABSL_GUARDED_BY(mu) = false;
    bool writing ABSL_GUARDED_BY(mu) = false;
    bool finished ABSL_GUARDED_BY(mu) = false;
    std::optional<grpc::Status> pending_finish ABSL_GUARDED_BY(mu);
    // Sequence of the last update the watcher has been sent (resume point).
    int64_t last_sent ABSL_GUARDED_BY(mu) = 0;
    // Highest sequence queued, to drop duplicates.
    int64_t last_queued ABSL_GUARDED_BY(mu) = 0;
    // Threads about to call into the stream outside the lock.
    int busy ABSL_GUARDED_BY(mu) = 0;
    std::condition_variable drained;
    size_t capacity = 0;
    goldenthread::v1::MilestoneUpdate current;
  };

  // Decides under the lock what to do next, then does it outside the lock
  // (gRPC may run a reaction on the calling thread).
  void Pump();
  void RequestFinish(grpc::Status status);
  void ReadBacklog(int64_t start_after);

  static inline std::atomic<int> live_{0};
  UpdateBus& bus_;
  MilestoneManager& manager_;
  const PlanRef plan_;
  const std::string key_;
  std::shared_ptr<State> state_;
};

// A stream refused before it started (bad request, wrong organisation).
class RefusedStream : public grpc::ServerWriteReactor<goldenthread::v1::MilestoneUpdate> {
 public:
  explicit RefusedStream(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace gt::milestone
