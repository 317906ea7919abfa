#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace gt::faults {

// What callers saw during one load run.
struct LoadOutcome {
  // request ids answered OK (each written once, the suite checks)
  std::set<std::string> acknowledged;
  // request ids refused with a code that says nothing was written
  std::set<std::string> refused;
  // request ids still unsettled when the run gave up retrying them
  std::set<std::string> unsettled;
  // every answer's code, counted (retries included)
  std::map<grpc::StatusCode, int> codes;
  // the distinct messages of retryable answers (the first few), to read
  std::set<std::string> retryable_messages;
  // answers that are neither OK nor retryable: "request_id CODE: message"
  std::vector<std::string> unexpected;
  // when each OK arrived
  std::vector<absl::Time> ok_times;
};

// Callers updating milestones' progress through the gateway, as a careful
// client does: every update has its own request_id, and a call whose outcome
// is unknown (UNAVAILABLE, DEADLINE_EXCEEDED) or that was refused for a
// passing reason (ABORTED, RESOURCE_EXHAUSTED) is sent again with the same
// request_id until it is answered for good.
class ProgressLoad {
 public:
  ProgressLoad(std::shared_ptr<grpc::Channel> channel, std::string token,
               std::vector<std::string> milestones, std::string id_prefix, int callers);
  ~ProgressLoad();

  void Start();
  // Stops taking new updates, lets every caller settle the one it has
  // (retrying up to `settle`), and returns what they saw.
  LoadOutcome Stop(absl::Duration settle = absl::Seconds(60));
  // The first OK answered at or after `t` (InfiniteFuture when none yet).
  absl::Time FirstOkAfter(absl::Time t);
  int ok_count() const { return ok_count_.load(); }

  static bool Retryable(grpc::StatusCode code);

 private:
  void Caller(int index);

  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
  std::vector<std::string> milestones_;
  std::string id_prefix_;
  int callers_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> ok_count_{0};
  absl::Time give_up_ = absl::InfiniteFuture();
  std::mutex mu_;
  LoadOutcome outcome_;
  std::vector<std::thread> threads_;
};

}  // namespace gt::faults
