#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway_metrics.h"
#include "token_model.h"
#include "token_repository.h"

namespace gt::gateway {

struct AuthOptions {
  // How long a token read from the database is trusted without reading it
  // again. Bounds how long a revocation made through ANOTHER gateway replica
  // takes to reach this one; one made here takes effect at once.
  absl::Duration cache_ttl = absl::Seconds(10);
  size_t max_cached = 10000;
};

// Verifies bearer tokens: parse, then a short in-memory cache, then the
// database. Counts every failure by reason.
class Authenticator {
 public:
  Authenticator(TokenRepository& repository, GatewayMetrics& metrics, AuthOptions options)
      : repository_(repository), metrics_(metrics), options_(options) {}

  // The non-blocking part, safe on a completion-queue thread: parses the
  // `authorization` value and answers from the cache. nullopt: the token must
  // be looked up with Verify(), which blocks; `presented` is then filled.
  std::optional<absl::StatusOr<Identity>> TryCached(absl::string_view authorization,
                                                    PresentedToken* presented);
  // Blocking: reads the database. UNAUTHENTICATED for a bad token,
  // UNAVAILABLE when the token store cannot be read.
  absl::StatusOr<Identity> Verify(const PresentedToken& presented);
  // Both, for callers on threads that may block (the sync TokenService).
  absl::StatusOr<Identity> Authenticate(absl::string_view authorization);

  // A well-formed token that no organisation issued: what guessing looks
  // like (AuthThrottle counts these).
  static bool IsUnknownToken(const absl::Status& status);

  // Called after a revocation commits: the token stops working at once.
  void Forget(const std::string& organisation, const std::string& token_id);

 private:
  struct Entry {
    TokenRecord record;
    absl::Time fetched;
  };
  absl::StatusOr<Identity> Judge(const TokenRecord& record, absl::Time now);
  absl::Status Fail(AuthFailure failure, absl::string_view message);

  TokenRepository& repository_;
  GatewayMetrics& metrics_;
  const AuthOptions options_;
  std::mutex mu_;
  // By secret hash.
  std::unordered_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
  // Bumped by every Forget(): a lookup that started before a revocation must
  // not put the token it read back into the cache.
  uint64_t revocations_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gt::gateway
