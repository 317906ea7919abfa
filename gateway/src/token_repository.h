#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "goldenthread/v1/token.pb.h"
#include "gt/idempotency.h"
#include "token_model.h"

namespace gt::gateway {

// What the gateway needs from storage. Every call is scoped by organisation;
// errors are already in the caller's words (NOT_FOUND "token ... not found",
// UNAVAILABLE for a database outage).
class TokenRepository {
 public:
  virtual ~TokenRepository() = default;

  // Stores a new token. With `request`, idempotent (AIP-155): a repeat
  // returns the first answer's token and sets *replayed.
  virtual absl::StatusOr<goldenthread::v1::ApiToken> Create(const TokenRecord& record,
                                                            const RequestKey* request,
                                                            bool* replayed) = 0;
  // By the hash of a presented secret; NOT_FOUND when there is none.
  virtual absl::StatusOr<TokenRecord> FindBySecret(const std::string& organisation,
                                                   const std::string& secret_hash) = 0;
  virtual absl::StatusOr<TokenRecord> Get(const std::string& organisation,
                                          const std::string& token_id) = 0;
  // Ordered by token id, after `after`.
  virtual absl::StatusOr<std::vector<TokenRecord>> List(const std::string& organisation,
                                                        const std::string& after, int limit,
                                                        bool show_revoked) = 0;
  // Sets the revoke time unless already revoked; the token as it now is.
  virtual absl::StatusOr<TokenRecord> Revoke(const std::string& organisation,
                                             const std::string& token_id) = 0;
};

}  // namespace gt::gateway
