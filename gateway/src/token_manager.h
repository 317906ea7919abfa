#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "goldenthread/v1/token.pb.h"
#include "token_model.h"
#include "token_repository.h"

namespace gt::gateway {

// The rules of TokenService: validation, secrets, paging, idempotency. No
// gRPC, no SQL. The caller is already authenticated and authorised (ADMIN);
// the organisation check is repeated here so the rule holds whoever calls.
class TokenManager {
 public:
  // `on_revoked` runs after a revocation commits (the gateway drops the token
  // from its cache there).
  TokenManager(
      TokenRepository& repository,
      std::function<void(const std::string& organisation, const std::string& token_id)> on_revoked)
      : repository_(repository), on_revoked_(std::move(on_revoked)) {}

  // The secret is in the response once; a repeat of the same request_id
  // returns the token without it (it is not stored anywhere).
  absl::StatusOr<goldenthread::v1::CreateTokenResponse> CreateToken(
      const Identity& caller, const goldenthread::v1::CreateTokenRequest& request);
  absl::StatusOr<goldenthread::v1::ApiToken> GetToken(
      const Identity& caller, const goldenthread::v1::GetTokenRequest& request);
  absl::StatusOr<goldenthread::v1::ListTokensResponse> ListTokens(
      const Identity& caller, const goldenthread::v1::ListTokensRequest& request);
  absl::StatusOr<goldenthread::v1::ApiToken> RevokeToken(
      const Identity& caller, const goldenthread::v1::RevokeTokenRequest& request);

 private:
  absl::StatusOr<std::string> ParseTokenName(const Identity& caller, const std::string& field,
                                             const std::string& name);
  absl::StatusOr<std::string> ParseParent(const Identity& caller, const std::string& parent);

  TokenRepository& repository_;
  std::function<void(const std::string&, const std::string&)> on_revoked_;
};

}  // namespace gt::gateway
