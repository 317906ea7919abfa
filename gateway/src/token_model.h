#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "goldenthread/v1/common.pb.h"
#include "goldenthread/v1/token.pb.h"

namespace gt::gateway {

// One API token as stored: never the secret, only its SHA-256.
struct TokenRecord {
  std::string organisation;
  std::string token_id;
  // Hex SHA-256 of the whole bearer text. A fast hash is right here: the
  // secret has 256 random bits, so unlike a password there is nothing to
  // brute-force.
  std::string secret_hash;
  std::string secret_prefix;
  goldenthread::v1::Role role = goldenthread::v1::ROLE_UNSPECIFIED;
  std::string subject;
  std::string display_name;
  // Directorate codes the token is limited to (ApiToken.directorates), in the
  // order given; empty: the whole organisation.
  std::vector<std::string> directorates;
  // The subject of the token that created it ("command line" for the first).
  std::string created_by;
  absl::Time create_time;
  std::optional<absl::Time> expire_time;
  std::optional<absl::Time> revoke_time;
};

// Who a verified token speaks for; what the gateway passes to backends.
struct Identity {
  std::string organisation;
  std::string token_id;
  goldenthread::v1::Role role = goldenthread::v1::ROLE_UNSPECIFIED;
  std::string subject;
  // Forwarded, sealed, as x-gt-directorates; empty: not limited.
  std::vector<std::string> directorates;
};

std::string TokenName(absl::string_view organisation, absl::string_view token_id);
goldenthread::v1::ApiToken ToProto(const TokenRecord& record);

// Bearer text: "gt_<organisation>_<43 characters of base64url>". The
// organisation travels in the token so that the lookup is by (org_id, hash),
// the table's key, and a sharded deployment can route it.
struct NewSecret {
  std::string text;    // shown once to the creator
  std::string hash;    // stored
  std::string prefix;  // stored and shown, to recognise a token in lists
};
// 256 bits from OpenSSL's RAND_bytes; INTERNAL only if the RNG fails.
absl::StatusOr<NewSecret> MakeSecret(absl::string_view organisation);
// 64 random bits as 16 hex digits: ids need no coordination between replicas.
absl::StatusOr<std::string> MakeTokenId();

// A bearer token as presented, parsed but not yet verified.
struct PresentedToken {
  std::string organisation;
  std::string hash;
};
// Why authentication failed; also the `reason` label of
// goldenthread_gateway_auth_failures_total.
enum class AuthFailure { kMissing, kMalformed, kUnknown, kRevoked, kExpired, kUnavailable };
const char* AuthFailureName(AuthFailure failure);

// The value of the `authorization` metadata ("Bearer gt_..."). An empty value
// is kMissing, anything not shaped like a Golden Thread token kMalformed.
std::optional<AuthFailure> ParseAuthorization(absl::string_view header, PresentedToken* out);

}  // namespace gt::gateway
