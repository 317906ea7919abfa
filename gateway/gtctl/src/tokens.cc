// gtctl tokens create|list|get|revoke.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "cli.h"
#include "gt/dates.h"
#include "gt/sql_util.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

void PrintTokens(const std::vector<v1::ApiToken>& tokens) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tokens) {
    rows.push_back(
        {LastSegment(t.name()), v1::Role_Name(t.role()), t.subject(), t.secret_prefix(),
         absl::FormatTime("%Y-%m-%d", FromTimestamp(t.create_time()), absl::UTCTimeZone()),
         t.has_expire_time()
             ? absl::FormatTime("%Y-%m-%d", FromTimestamp(t.expire_time()), absl::UTCTimeZone())
             : "-",
         t.has_revoke_time() ? "revoked" : "active",
         // "-": the whole organisation.
         t.directorates().empty() ? "-" : absl::StrJoin(t.directorates(), ",")});
  }
  PrintTable({"ID", "ROLE", "SUBJECT", "PREFIX", "CREATED", "EXPIRES", "STATE", "DIRECTORATES"},
             rows);
}

// A token's id or its full name.
std::string TokenName(const Client& client, const std::string& ref) {
  return absl::StartsWith(ref, "organisations/") ? ref
                                                 : absl::StrCat(client.OrgName(), "/tokens/", ref);
}

}  // namespace

// ---------------------------------------------------------------- tokens

int TokensCreate(const Args& args) {
  if (!args.Has("role") || !args.Has("subject")) {
    throw UsageError{"--role and --subject are required"};
  }
  v1::Role role;
  if (!v1::Role_Parse(absl::AsciiStrToUpper(args.Get("role")), &role) ||
      role == v1::ROLE_UNSPECIFIED) {
    throw UsageError{absl::StrCat("--role must be VIEWER, UPDATER, PLANNER or ADMIN, got \"",
                                  args.Get("role"), "\"")};
  }
  Client client(args);
  v1::CreateTokenRequest request;
  request.set_parent(client.OrgName());
  request.mutable_token()->set_role(role);
  request.mutable_token()->set_subject(args.Get("subject"));
  request.mutable_token()->set_display_name(args.Get("display-name"));
  // Checked by the gateway (INVALID_ARGUMENT naming token.directorates[i]).
  for (const std::string& directorate : args.GetAll("directorate")) {
    request.mutable_token()->add_directorates(directorate);
  }
  if (args.Has("expires")) {
    auto day = ParseDate("--expires", args.Get("expires"));
    if (!day.ok()) {
      throw UsageError{std::string(day.status().message())};
    }
    *request.mutable_token()->mutable_expire_time() =
        ToTimestamp(absl::FromCivil(*day, absl::UTCTimeZone()));
  }
  request.set_request_id(RandomId());
  v1::CreateTokenResponse response;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.tokens->CreateToken(c, request, &response); }));
  if (JsonOutput(args)) {
    std::cout << ToJson(response);
  } else {
    // The secret alone on stdout, so that scripts can capture it.
    std::cerr << "created " << response.token().name() << " (" << v1::Role_Name(role);
    if (!response.token().directorates().empty()) {
      std::cerr << ", limited to directorates "
                << absl::StrJoin(response.token().directorates(), ", ");
    }
    std::cerr << "); the secret below is shown once\n";
    std::cout << response.secret() << "\n";
  }
  return kOk;
}

int TokensList(const Args& args) {
  Client client(args);
  v1::ListTokensRequest request;
  request.set_parent(client.OrgName());
  request.set_page_size(1000);
  request.set_show_revoked(args.Has("show-revoked"));
  v1::ListTokensResponse all;
  EachPage<v1::ListTokensResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.tokens->ListTokens(c, r, page);
      },
      [&](v1::ListTokensResponse& page) {
        for (auto& t : *page.mutable_tokens()) {
          *all.add_tokens() = std::move(t);
        }
      });
  if (JsonOutput(args)) {
    std::cout << ToJson(all);
  } else {
    PrintTokens({all.tokens().begin(), all.tokens().end()});
  }
  return kOk;
}

int TokensGet(const Args& args) {
  Client client(args);
  v1::GetTokenRequest request;
  request.set_name(TokenName(client, args.positional[0]));
  v1::ApiToken token;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.tokens->GetToken(c, request, &token); }));
  if (JsonOutput(args)) {
    std::cout << ToJson(token);
  } else {
    PrintTokens({token});
  }
  return kOk;
}

int TokensRevoke(const Args& args) {
  Client client(args);
  v1::RevokeTokenRequest request;
  request.set_name(TokenName(client, args.positional[0]));
  v1::ApiToken token;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.tokens->RevokeToken(c, request, &token); }));
  if (JsonOutput(args)) {
    std::cout << ToJson(token);
  } else {
    PrintTokens({token});
  }
  return kOk;
}

}  // namespace gt::gtctl
