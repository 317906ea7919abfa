#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace gt::gateway {

// A fixed pool of threads for the blocking work that completion-queue threads must
// not do themselves (reading a token from the database on a cache miss).
class Executor {
 public:
  Executor(int threads, size_t max_queued);
  ~Executor();  // runs what is queued, then joins

  // false when the queue is full: the caller answers UNAVAILABLE rather than
  // queueing without bound behind a slow database.
  bool Submit(std::function<void()> task);

  // Waits until nothing is queued or running: at shutdown, before the
  // completion queues that tasks hand their results to are shut.
  void Drain();

 private:
  void Work();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  std::condition_variable idle_;
  std::vector<std::thread> threads_;
};

}  // namespace gt::gateway
