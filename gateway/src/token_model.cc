#include "token_model.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gt/sha256.h"
#include "gt/timestamps.h"

namespace gt::gateway {
namespace {

constexpr char kTokenPrefix[] = "gt_";
constexpr int kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // base64url of 32 bytes, unpadded
constexpr size_t kShownSecretChars = 6;

absl::StatusOr<std::string> RandomBytes(int n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) != 1) {
    return absl::InternalError("the random number generator failed; try again");
  }
  return bytes;
}

bool IsOrganisationId(absl::string_view id) {
  if (id.empty() || id.size() > 63) {
    return false;
  }
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsBase64Url(absl::string_view text) {
  for (char c : text) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string TokenName(absl::string_view organisation, absl::string_view token_id) {
  return absl::StrCat("organisations/", organisation, "/tokens/", token_id);
}

goldenthread::v1::ApiToken ToProto(const TokenRecord& record) {
  goldenthread::v1::ApiToken token;
  token.set_name(TokenName(record.organisation, record.token_id));
  token.set_role(record.role);
  token.set_subject(record.subject);
  token.set_display_name(record.display_name);
  *token.mutable_create_time() = ToTimestamp(record.create_time);
  if (record.expire_time) {
    *token.mutable_expire_time() = ToTimestamp(*record.expire_time);
  }
  if (record.revoke_time) {
    *token.mutable_revoke_time() = ToTimestamp(*record.revoke_time);
  }
  token.set_secret_prefix(record.secret_prefix);
  for (const std::string& directorate : record.directorates) {
    token.add_directorates(directorate);
  }
  return token;
}

absl::StatusOr<NewSecret> MakeSecret(absl::string_view organisation) {
  auto bytes = RandomBytes(kSecretBytes);
  if (!bytes.ok()) {
    return bytes.status();
  }
  std::string secret = absl::WebSafeBase64Escape(*bytes);
  NewSecret out;
  out.text = absl::StrCat(kTokenPrefix, organisation, "_", secret);
  out.hash = Sha256Hex(out.text);
  out.prefix = absl::StrCat(kTokenPrefix, organisation, "_", secret.substr(0, kShownSecretChars));
  return out;
}

absl::StatusOr<std::string> MakeTokenId() {
  auto bytes = RandomBytes(8);
  if (!bytes.ok()) {
    return bytes.status();
  }
  return absl::BytesToHexString(*bytes);
}

const char* AuthFailureName(AuthFailure failure) {
  switch (failure) {
    case AuthFailure::kMissing:
      return "missing";
    case AuthFailure::kMalformed:
      return "malformed";
    case AuthFailure::kUnknown:
      return "unknown";
    case AuthFailure::kRevoked:
      return "revoked";
    case AuthFailure::kExpired:
      return "expired";
    case AuthFailure::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

std::optional<AuthFailure> ParseAuthorization(absl::string_view header, PresentedToken* out) {
  header = absl::StripAsciiWhitespace(header);
  if (header.empty()) {
    return AuthFailure::kMissing;
  }
  // The scheme is case-insensitive (RFC 7235).
  constexpr absl::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme)) {
    return AuthFailure::kMalformed;
  }
  absl::string_view token = absl::StripLeadingAsciiWhitespace(header.substr(kScheme.size()));
  if (!absl::ConsumePrefix(&token, kTokenPrefix)) {
    return AuthFailure::kMalformed;
  }
  // Organisation ids have no '_', so the first one ends it; the secret may
  // contain '_' (base64url).
  size_t underscore = token.find('_');
  if (underscore == absl::string_view::npos) {
    return AuthFailure::kMalformed;
  }
  absl::string_view organisation = token.substr(0, underscore);
  absl::string_view secret = token.substr(underscore + 1);
  if (!IsOrganisationId(organisation) || secret.size() != kSecretChars || !IsBase64Url(secret)) {
    return AuthFailure::kMalformed;
  }
  out->organisation = std::string(organisation);
  out->hash = Sha256Hex(absl::StrCat(kTokenPrefix, organisation, "_", secret));
  return std::nullopt;
}

}  // namespace gt::gateway
