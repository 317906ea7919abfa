#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gt::gateway {

struct AuthThrottleOptions {
  // Unknown tokens (well-formed, never issued) one address may present in
  // `window` before its look-ups are refused for the rest of it.
  int max_failures = 30;
  absl::Duration window = absl::Seconds(60);
  // Addresses remembered at most; past it the oldest windows are dropped
  // (bounded memory whatever an attacker sends).
  size_t max_addresses = 10000;
};

// Slows guessing of tokens: counts unknown tokens per client address (the
// peer's IP, without its port) in fixed windows; an address past the limit
// has its token look-ups refused until its window ends, so it can neither
// guess on nor load the database. Tokens the gateway verified lately (in its
// cache) go on working from that address, so a shared proxy in front does
// not lock out the clients already working through it. Memory is bounded.
class AuthThrottle {
 public:
  explicit AuthThrottle(AuthThrottleOptions options) : options_(options) {}

  // "ipv4:10.0.0.7:53211" -> "ipv4:10.0.0.7"; "ipv6:[::1]:5" -> "ipv6:[::1]".
  static std::string AddressOf(absl::string_view peer);

  // How long the address is still refused; zero when it is not.
  absl::Duration Blocked(const std::string& address, absl::Time now);
  // Counts a failed authentication; true when it blocks the address.
  bool Failed(const std::string& address, absl::Time now);

 private:
  struct Window {
    absl::Time start;
    int failures = 0;
  };
  const AuthThrottleOptions options_;
  // Lets the common case (nobody failing) skip the lock.
  std::atomic<size_t> tracked_{0};
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gt::gateway
