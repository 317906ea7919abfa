#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace gt::gateway {

absl::Duration RateLimiter::Admit(const std::string& key, absl::Time now) {
  if (options_.calls_per_second <= 0) {
    return absl::ZeroDuration();
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{options_.burst, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.updated) {
    bucket.tokens =
        std::min(options_.burst, bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) *
                                                     options_.calls_per_second);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::ZeroDuration();
  }
  // Round up to whole milliseconds, so that retrying after the stated wait
  // always finds a call in the bucket.
  double wait_ms = std::ceil((1 - bucket.tokens) / options_.calls_per_second * 1000);
  return absl::Milliseconds(std::max(1.0, wait_ms));
}

bool RateLimiter::AcquireStream(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  int& open = streams_[key];
  if (options_.max_streams > 0 && open >= options_.max_streams) {
    return false;
  }
  ++open;
  return true;
}

void RateLimiter::ReleaseStream(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find(key);
  if (it != streams_.end() && --it->second <= 0) {
    streams_.erase(it);
  }
}

}  // namespace gt::gateway
