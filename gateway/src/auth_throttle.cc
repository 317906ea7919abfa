#include "auth_throttle.h"

namespace gt::gateway {

std::string AuthThrottle::AddressOf(absl::string_view peer) {
  size_t colon = peer.rfind(':');
  size_t scheme = peer.find(':');
  if (colon == absl::string_view::npos || colon == scheme) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

absl::Duration AuthThrottle::Blocked(const std::string& address, absl::Time now) {
  if (tracked_.load(std::memory_order_relaxed) == 0) {
    return absl::ZeroDuration();
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = windows_.find(address);
  if (it == windows_.end() || it->second.failures < options_.max_failures) {
    return absl::ZeroDuration();
  }
  absl::Duration left = it->second.start + options_.window - now;
  return left > absl::ZeroDuration() ? left : absl::ZeroDuration();
}

bool AuthThrottle::Failed(const std::string& address, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (windows_.size() >= options_.max_addresses && windows_.count(address) == 0) {
    // Drop the windows that are over; if none is, the oldest half.
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = now - it->second.start >= options_.window ? windows_.erase(it) : std::next(it);
    }
    if (windows_.size() >= options_.max_addresses) {
      absl::Time cut = now - options_.window / 2;
      for (auto it = windows_.begin(); it != windows_.end();) {
        it = it->second.start < cut ? windows_.erase(it) : std::next(it);
      }
    }
    if (windows_.size() >= options_.max_addresses) {
      windows_.clear();
    }
  }
  Window& w = windows_[address];
  if (w.failures == 0 || now - w.start >= options_.window) {
    w.start = now;
    w.failures = 0;
  }
  ++w.failures;
  tracked_.store(windows_.size(), std::memory_order_relaxed);
  return w.failures == options_.max_failures;
}

}  // namespace gt::gateway
