#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace gt::gateway {

struct RateLimitOptions {
  // Sustained calls per second per token; <= 0 turns rate limiting off.
  double calls_per_second = 50;
  // How many calls a token may make at once after being idle.
  double burst = 100;
  // Open streaming calls per token; <= 0: no limit.
  int max_streams = 16;
};

// Per-token limits, keyed by "<organisation>/<token id>". Time is passed in,
// so the arithmetic is tested without sleeping.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options) : options_(options) {}

  // Takes one call from the token's bucket. Zero when admitted; otherwise how
  // long until a call would be (never zero).
  absl::Duration Admit(const std::string& key, absl::Time now);

  // A slot for one streaming call, released by ReleaseStream. false when the
  // token already has max_streams open.
  bool AcquireStream(const std::string& key);
  void ReleaseStream(const std::string& key);

  const RateLimitOptions& options() const { return options_; }

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const RateLimitOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, int> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gt::gateway
