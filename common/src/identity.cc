#include "gt/identity.h"

#include <grpcpp/client_context.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gt/status.h"

namespace gt {
namespace {

std::string Header(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) {
    return {};
  }
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

Caller CallerFrom(const grpc::ServerContextBase& context) {
  Caller caller;
  caller.organisation = Header(context, kOrganisationHeader);
  goldenthread::v1::Role role;
  if (goldenthread::v1::Role_Parse(Header(context, kRoleHeader), &role)) {
    caller.role = role;
  }
  caller.subject = Header(context, kSubjectHeader);
  caller.directorates = SplitDirectorates(Header(context, kDirectoratesHeader));
  caller.request_id = Header(context, kRequestIdHeader);
  caller.seal = Header(context, kSealHeader);
  return caller;
}

void PropagateCall(const grpc::ServerContextBase& from, grpc::ClientContext& to) {
  to.set_deadline(from.deadline());
  for (const char* key : {kOrganisationHeader, kRoleHeader, kSubjectHeader, kDirectoratesHeader,
                          kRequestIdHeader, kSealHeader}) {
    std::string value = Header(from, key);
    if (!value.empty()) {
      to.AddMetadata(key, value);
    }
  }
}

namespace {

std::string* seal_key = nullptr;  // set once at start-up, before any call

// v2 covers the directorate scope: a seal made for an unlimited identity
// does not vouch for the same identity with another scope, nor the reverse.
std::string SealOver(absl::string_view key, absl::string_view organisation, absl::string_view role,
                     absl::string_view subject, absl::string_view directorates, int64_t expires) {
  std::string text = absl::StrCat("gt-identity-v2\n", organisation, "\n", role, "\n", subject, "\n",
                                  directorates, "\n", expires);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &length);
  return absl::StrCat(
      expires, ".",
      absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(mac), length)));
}

const char* RoleText(goldenthread::v1::Role role) {
  return role == goldenthread::v1::ROLE_UNSPECIFIED ? ""
                                                    : goldenthread::v1::Role_Name(role).c_str();
}

}  // namespace

std::string SealIdentity(absl::string_view key, const Caller& caller, absl::Time expires) {
  return SealOver(key, caller.organisation, RoleText(caller.role), caller.subject,
                  JoinDirectorates(caller.directorates), absl::ToUnixSeconds(expires));
}

absl::Status CheckSeal(absl::string_view key, const grpc::ServerContextBase& context,
                       absl::Time now) {
  const std::string seal = Header(context, kSealHeader);
  auto refuse = [](absl::string_view why) {
    return absl::UnauthenticatedError(
        absl::StrCat("this service answers only calls the gateway vouches for (", why,
                     "); call the gateway, or seal an operator's call with the identity key"));
  };
  if (seal.empty()) {
    return refuse("no identity seal");
  }
  size_t dot = seal.find('.');
  int64_t expires = 0;
  if (dot == std::string::npos || !absl::SimpleAtoi(seal.substr(0, dot), &expires)) {
    return refuse("a malformed identity seal");
  }
  if (absl::FromUnixSeconds(expires) < now) {
    return refuse("an expired identity seal");
  }
  const std::string want =
      SealOver(key, Header(context, kOrganisationHeader), Header(context, kRoleHeader),
               Header(context, kSubjectHeader), Header(context, kDirectoratesHeader), expires);
  if (want.size() != seal.size() || CRYPTO_memcmp(want.data(), seal.data(), want.size()) != 0) {
    return refuse("an identity seal that does not match the identity sent");
  }
  return absl::OkStatus();
}

void AddSealedIdentity(grpc::ClientContext& context, absl::string_view key, const Caller& caller,
                       absl::Time expires) {
  if (!caller.organisation.empty()) {
    context.AddMetadata(kOrganisationHeader, caller.organisation);
  }
  if (caller.role != goldenthread::v1::ROLE_UNSPECIFIED) {
    context.AddMetadata(kRoleHeader, goldenthread::v1::Role_Name(caller.role));
  }
  if (!caller.subject.empty()) {
    context.AddMetadata(kSubjectHeader, caller.subject);
  }
  if (!caller.directorates.empty()) {
    context.AddMetadata(kDirectoratesHeader, JoinDirectorates(caller.directorates));
  }
  context.AddMetadata(kSealHeader, SealIdentity(key, caller, expires));
}

void RequireSealedIdentity(std::string key) {
  delete seal_key;
  seal_key = new std::string(std::move(key));
}

const std::string* SealKey() { return seal_key; }

absl::StatusOr<std::string> LoadIdentityKey(const std::string& path) {
  std::string from = path;
  if (from.empty()) {
    const char* env = std::getenv("GT_IDENTITY_KEY_FILE");
    from = env != nullptr ? env : "";
  }
  if (from.empty()) {
    return absl::NotFoundError("no identity key file (--identity_key_file / GT_IDENTITY_KEY_FILE)");
  }
  std::ifstream in(from);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("identity key file '", from, "' cannot be read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string key(absl::StripAsciiWhitespace(text.str()));
  if (key.size() < 32) {
    return absl::FailedPreconditionError(absl::StrCat(
        "identity key file '", from, "' must hold at least 32 characters (e.g. 64 hex digits)"));
  }
  return key;
}

}  // namespace gt
