#include "token_manager.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gt/directorates.h"
#include "gt/idempotency.h"
#include "gt/names.h"
#include "gt/paging.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::gateway {
namespace {

namespace v1 = goldenthread::v1;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;
constexpr int kMaxDirectorates = 20;
constexpr size_t kMaxDirectorateChars = 32;

// `ascii`: the value travels to the backends in gRPC metadata
// (x-gt-subject), where only printable ASCII is allowed.
absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max,
                          bool required, bool ascii) {
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    return InvalidField(field, "must not be empty");
  }
  if (value.size() > max) {
    return InvalidField(field, absl::StrCat("must be at most ", max, " bytes, got ", value.size()));
  }
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return InvalidField(field, "must not contain control characters");
    }
    if (ascii && u > 0x7f) {
      return InvalidField(field,
                          "must be printable ASCII (it is passed to the services as "
                          "gRPC metadata)");
    }
  }
  return absl::OkStatus();
}

// ApiToken.directorates: the codes as they will be stored and forwarded
// (trimmed), or INVALID_ARGUMENT naming the first bad one. They travel to the
// backends joined with ',' in gRPC metadata (x-gt-directorates), hence
// printable ASCII and no ','; a joint lead "A/B" is matched part by part,
// hence no '/'.
absl::StatusOr<std::vector<std::string>> ValidateDirectorates(const v1::ApiToken& token) {
  std::vector<std::string> codes;
  if (token.directorates().empty()) {
    return codes;
  }
  if (token.role() == v1::ADMIN) {
    return InvalidField("token.directorates",
                        "must be empty for an ADMIN token: ADMIN manages tokens and the "
                        "organisation, which a token limited to directorates may not");
  }
  if (token.directorates_size() > kMaxDirectorates) {
    return InvalidField("token.directorates",
                        absl::StrCat("must list at most ", kMaxDirectorates, " directorates, got ",
                                     token.directorates_size()));
  }
  // Match key -> index of the first code with it.
  std::map<std::string, int> seen;
  for (int i = 0; i < token.directorates_size(); ++i) {
    const std::string field = absl::StrCat("token.directorates[", i, "]");
    const std::string& raw = token.directorates(i);
    GT_RETURN_IF_ERROR(ValidateText(field, raw, raw.size(), true, true));
    std::string code(absl::StripAsciiWhitespace(raw));
    if (code.size() > kMaxDirectorateChars) {
      return InvalidField(field, absl::StrCat("must be at most ", kMaxDirectorateChars,
                                              " characters, got ", code.size()));
    }
    if (code.find('/') != std::string::npos) {
      return InvalidField(field,
                          "must be one directorate, without '/' (a milestone led jointly, "
                          "\"A/B\", is in scope when any part is: list each part)");
    }
    if (code.find(',') != std::string::npos) {
      return InvalidField(field,
                          "must not contain ',' (it separates the codes passed to the "
                          "services)");
    }
    auto [first, inserted] = seen.emplace(DirectorateMatchKey(code), i);
    if (!inserted) {
      return InvalidField(
          field, absl::StrCat("repeats token.directorates[", first->second, "] ('",
                              codes[first->second], "'); codes compare ignoring case and spaces"));
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

}  // namespace

absl::StatusOr<std::string> TokenManager::ParseParent(const Identity& caller,
                                                      const std::string& parent) {
  GT_ASSIGN_OR_RETURN(auto parts, MatchName("parent", parent, "organisations/{organisation}"));
  if (parts[0] != caller.organisation) {
    return NotFound("organisation", parent);
  }
  return parts[0];
}

absl::StatusOr<std::string> TokenManager::ParseTokenName(const Identity& caller,
                                                         const std::string& field,
                                                         const std::string& name) {
  GT_ASSIGN_OR_RETURN(auto parts,
                      MatchName(field, name, "organisations/{organisation}/tokens/{token}"));
  if (parts[0] != caller.organisation) {
    return NotFound("token", name);
  }
  return parts[1];
}

absl::StatusOr<v1::CreateTokenResponse> TokenManager::CreateToken(
    const Identity& caller, const v1::CreateTokenRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string organisation, ParseParent(caller, request.parent()));
  const v1::ApiToken& token = request.token();
  if (token.role() < v1::VIEWER || token.role() > v1::ADMIN) {
    return InvalidField("token.role", "must be VIEWER, UPDATER, PLANNER or ADMIN");
  }
  GT_RETURN_IF_ERROR(ValidateText("token.subject", token.subject(), 200, true, true));
  GT_RETURN_IF_ERROR(ValidateText("token.display_name", token.display_name(), 300, false, false));
  GT_ASSIGN_OR_RETURN(std::vector<std::string> directorates, ValidateDirectorates(token));
  absl::Time now = absl::Now();
  TokenRecord record;
  if (token.has_expire_time()) {
    absl::Time expire = FromTimestamp(token.expire_time());
    if (expire <= now) {
      return InvalidField("token.expire_time", "must be in the future");
    }
    record.expire_time = expire;
  }
  std::unique_ptr<RequestKey> key;
  if (!request.request_id().empty()) {
    v1::CreateTokenRequest without_id = request;
    without_id.clear_request_id();
    GT_ASSIGN_OR_RETURN(RequestKey made, MakeRequestKey(organisation, request.request_id(),
                                                        "TokenService/CreateToken", without_id));
    key = std::make_unique<RequestKey>(std::move(made));
  }
  GT_ASSIGN_OR_RETURN(NewSecret secret, MakeSecret(organisation));
  GT_ASSIGN_OR_RETURN(record.token_id, MakeTokenId());
  record.organisation = organisation;
  record.secret_hash = secret.hash;
  record.secret_prefix = secret.prefix;
  record.role = token.role();
  record.subject = token.subject();
  record.display_name = token.display_name();
  record.directorates = std::move(directorates);
  record.created_by = caller.subject;
  // Microseconds, as stored, so the answer equals a later read.
  record.create_time = absl::FromUnixMicros(absl::ToUnixMicros(now));
  if (record.expire_time) {
    record.expire_time = absl::FromUnixMicros(absl::ToUnixMicros(*record.expire_time));
  }
  bool replayed = false;
  GT_ASSIGN_OR_RETURN(v1::ApiToken stored, repository_.Create(record, key.get(), &replayed));
  v1::CreateTokenResponse response;
  *response.mutable_token() = std::move(stored);
  if (!replayed) {
    response.set_secret(secret.text);
  }
  return response;
}

absl::StatusOr<v1::ApiToken> TokenManager::GetToken(const Identity& caller,
                                                    const v1::GetTokenRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string id, ParseTokenName(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(TokenRecord record, repository_.Get(caller.organisation, id));
  return ToProto(record);
}

absl::StatusOr<v1::ListTokensResponse> TokenManager::ListTokens(
    const Identity& caller, const v1::ListTokensRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string organisation, ParseParent(caller, request.parent()));
  GT_ASSIGN_OR_RETURN(int size,
                      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  uint64_t fp = Fingerprint({"tokens", organisation, request.show_revoked() ? "all" : "live"});
  GT_ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), fp));
  // One more than asked, to know whether there is a next page.
  GT_ASSIGN_OR_RETURN(auto records,
                      repository_.List(organisation, after, size + 1, request.show_revoked()));
  v1::ListTokensResponse response;
  for (int i = 0; i < static_cast<int>(records.size()) && i < size; ++i) {
    *response.add_tokens() = ToProto(records[i]);
  }
  if (static_cast<int>(records.size()) > size) {
    response.set_next_page_token(EncodePageToken(fp, records[size - 1].token_id));
  }
  return response;
}

absl::StatusOr<v1::ApiToken> TokenManager::RevokeToken(const Identity& caller,
                                                       const v1::RevokeTokenRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string id, ParseTokenName(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(TokenRecord record, repository_.Revoke(caller.organisation, id));
  on_revoked_(caller.organisation, id);
  return ToProto(record);
}

}  // namespace gt::gateway
