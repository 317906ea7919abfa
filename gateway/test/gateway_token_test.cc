// Service tests of TokenService and token checks: the gateway in-process
// over a real MariaDB database (see gateway_fixture.h).
#include "gateway_fixture.h"
#include "gt/grpc_status.h"

namespace gt::gateway::testing {
namespace {

TEST_F(GatewayTest, SecretIsShownOnceAndOnlyItsHashIsStored) {
  std::string admin = Token("tok", v1::ADMIN, "ops");
  v1::CreateTokenRequest create;
  create.set_parent("organisations/tok");
  create.mutable_token()->set_role(v1::VIEWER);
  create.mutable_token()->set_subject("dashboard");
  create.mutable_token()->set_display_name("Performance dashboard");
  v1::CreateTokenResponse created;
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &created).ok());
  EXPECT_TRUE(absl::StartsWith(created.secret(), "gt_tok_"));
  EXPECT_TRUE(absl::StartsWith(created.secret(), created.token().secret_prefix()));
  EXPECT_EQ(created.token().role(), v1::VIEWER);
  EXPECT_EQ(created.token().subject(), "dashboard");
  EXPECT_TRUE(absl::StartsWith(created.token().name(), "organisations/tok/tokens/"));

  v1::GetTokenRequest get;
  get.set_name(created.token().name());
  v1::ApiToken got;
  ASSERT_TRUE(Tokens()->GetToken(As(admin).get(), get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.token().SerializeAsString());
  // The database holds the hash, never the secret.
  EXPECT_EQ(db_->QueryScalar(absl::StrCat("SELECT COUNT(*) FROM api_tokens WHERE secret_hash = '",
                                          Sha256Hex(created.secret()), "'")),
            "1");
  EXPECT_EQ(db_->QueryScalar(absl::StrCat(
                "SELECT COUNT(*) FROM api_tokens WHERE secret_hash LIKE '%",
                created.secret().substr(7, 20), "%' OR secret_prefix = '", created.secret(), "'")),
            "0");
  // The new token works at once.
  EXPECT_TRUE(EndOfYear(created.secret(), "organisations/tok/plans/p").status.ok());
}

TEST_F(GatewayTest, CreateTokenIsIdempotentWithoutRepeatingTheSecret) {
  std::string admin = Token("idem", v1::ADMIN);
  v1::CreateTokenRequest create;
  create.set_parent("organisations/idem");
  create.mutable_token()->set_role(v1::UPDATER);
  create.mutable_token()->set_subject("importer");
  create.set_request_id("create-importer-1");
  v1::CreateTokenResponse first, repeat;
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &first).ok());
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &repeat).ok());
  EXPECT_FALSE(first.secret().empty());
  EXPECT_TRUE(repeat.secret().empty());
  EXPECT_EQ(repeat.token().name(), first.token().name());
  create.mutable_token()->set_role(v1::ADMIN);
  v1::CreateTokenResponse other;
  grpc::Status reused = Tokens()->CreateToken(As(admin).get(), create, &other);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT) << reused.error_message();
  EXPECT_EQ(db_->QueryScalar("SELECT COUNT(*) FROM api_tokens WHERE org_id = 'idem'"), "2");
}

TEST_F(GatewayTest, ListTokensPagesAndHidesRevokedUnlessAsked) {
  std::string admin = Token("pages", v1::ADMIN);
  std::vector<std::string> names;
  for (int i = 0; i < 4; ++i) {
    v1::CreateTokenRequest create;
    create.set_parent("organisations/pages");
    create.mutable_token()->set_role(v1::VIEWER);
    create.mutable_token()->set_subject(absl::StrCat("viewer-", i));
    v1::CreateTokenResponse created;
    ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &created).ok());
    names.push_back(created.token().name());
  }
  v1::RevokeTokenRequest revoke;
  revoke.set_name(names[0]);
  v1::ApiToken revoked;
  ASSERT_TRUE(Tokens()->RevokeToken(As(admin).get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());

  auto list_all = [&](bool show_revoked) {
    std::set<std::string> seen;
    v1::ListTokensRequest list;
    list.set_parent("organisations/pages");
    list.set_page_size(2);
    list.set_show_revoked(show_revoked);
    for (int page = 0; page < 10; ++page) {
      v1::ListTokensResponse response;
      grpc::Status status = Tokens()->ListTokens(As(admin).get(), list, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) {
        break;
      }
      EXPECT_LE(response.tokens_size(), 2);
      for (const auto& t : response.tokens()) {
        EXPECT_TRUE(seen.insert(t.name()).second) << "listed twice: " << t.name();
      }
      if (response.next_page_token().empty()) {
        break;
      }
      list.set_page_token(response.next_page_token());
    }
    return seen;
  };
  // Listing is many calls: another admin, so this test stays within its
  // token's rate limit.
  admin = Token("pages", v1::ADMIN);
  EXPECT_EQ(list_all(true).size(), 6u);  // two admins and four viewers
  std::set<std::string> live = list_all(false);
  EXPECT_EQ(live.size(), 5u);
  EXPECT_EQ(live.count(names[0]), 0u);

  // A page token belongs to the listing it came from.
  v1::ListTokensRequest list;
  list.set_parent("organisations/pages");
  list.set_page_size(1);
  v1::ListTokensResponse first;
  ASSERT_TRUE(Tokens()->ListTokens(As(admin).get(), list, &first).ok());
  list.set_page_token(first.next_page_token());
  list.set_show_revoked(true);
  v1::ListTokensResponse mixed;
  EXPECT_EQ(Tokens()->ListTokens(As(admin).get(), list, &mixed).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(GatewayTest, TokenServiceIsForAdminsOfTheirOwnOrganisation) {
  std::string admin = Token("ts-a", v1::ADMIN);
  std::string planner = Token("ts-a", v1::PLANNER);
  std::string other_admin = Token("ts-b", v1::ADMIN);
  v1::ListTokensRequest list;
  list.set_parent("organisations/ts-a");
  v1::ListTokensResponse response;
  grpc::Status denied = Tokens()->ListTokens(As(planner).get(), list, &response);
  EXPECT_EQ(denied.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message(),
            "goldenthread.v1.TokenService/ListTokens needs role ADMIN or above; this token has "
            "PLANNER");
  grpc::Status foreign = Tokens()->ListTokens(As(other_admin).get(), list, &response);
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), "organisation organisations/ts-a not found");
  ASSERT_TRUE(Tokens()->ListTokens(As(admin).get(), list, &response).ok());
  ASSERT_EQ(response.tokens_size(), 2);
  v1::RevokeTokenRequest revoke;
  revoke.set_name(response.tokens(0).name());
  v1::ApiToken token;
  grpc::Status cross = Tokens()->RevokeToken(As(other_admin).get(), revoke, &token);
  EXPECT_EQ(cross.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(cross.error_message(), absl::StrCat("token ", revoke.name(), " not found"));

  v1::CreateTokenRequest create;
  create.set_parent("organisations/ts-a");
  create.mutable_token()->set_subject("x");
  v1::CreateTokenResponse created;
  grpc::Status no_role = Tokens()->CreateToken(As(admin).get(), create, &created);
  EXPECT_EQ(no_role.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_role.error_message(), "token.role: must be VIEWER, UPDATER, PLANNER or ADMIN");
  create.mutable_token()->set_role(v1::VIEWER);
  create.mutable_token()->set_subject("Jos\xc3\xa9");
  grpc::Status accented = Tokens()->CreateToken(As(admin).get(), create, &created);
  EXPECT_EQ(accented.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(accented.error_message(),
            "token.subject: must be printable ASCII (it is passed to the services as gRPC "
            "metadata)");
  create.mutable_token()->set_subject("jose");
  create.mutable_token()->set_display_name("Jos\xc3\xa9's caf\xc3\xa9 dashboard");
  EXPECT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &created).ok());
  *create.mutable_token()->mutable_expire_time() = ToTimestamp(absl::Now() - absl::Hours(1));
  grpc::Status past = Tokens()->CreateToken(As(admin).get(), create, &created);
  EXPECT_EQ(past.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(past.error_message(), "token.expire_time: must be in the future");
}

TEST_F(GatewayTest, RevocationTakesEffectAtOnceEvenWhenCached) {
  std::string admin = Token("rev", v1::ADMIN);
  v1::CreateTokenRequest create;
  create.set_parent("organisations/rev");
  create.mutable_token()->set_role(v1::VIEWER);
  create.mutable_token()->set_subject("soon-gone");
  v1::CreateTokenResponse created;
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &created).ok());
  // Used, so it is in the gateway's cache.
  ASSERT_TRUE(EndOfYear(created.secret(), "organisations/rev/plans/p").status.ok());
  v1::RevokeTokenRequest revoke;
  revoke.set_name(created.token().name());
  v1::ApiToken revoked;
  ASSERT_TRUE(Tokens()->RevokeToken(As(admin).get(), revoke, &revoked).ok());
  Reply after = EndOfYear(created.secret(), "organisations/rev/plans/p");
  EXPECT_EQ(after.status.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StartsWith(after.status.error_message(), "the token was revoked at "))
      << after.status.error_message();
  // Revoking again keeps the first revocation time.
  v1::ApiToken again;
  ASSERT_TRUE(Tokens()->RevokeToken(As(admin).get(), revoke, &again).ok());
  EXPECT_EQ(again.revoke_time().SerializeAsString(), revoked.revoke_time().SerializeAsString());
}

TEST_F(GatewayTest, AnExpiredTokenStopsWorkingEvenWhenCached) {
  std::string admin = Token("exp", v1::ADMIN);
  v1::CreateTokenRequest create;
  create.set_parent("organisations/exp");
  create.mutable_token()->set_role(v1::VIEWER);
  create.mutable_token()->set_subject("short-lived");
  *create.mutable_token()->mutable_expire_time() =
      ToTimestamp(absl::Now() + absl::Milliseconds(1500));
  v1::CreateTokenResponse created;
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &created).ok());
  ASSERT_TRUE(EndOfYear(created.secret(), "organisations/exp/plans/p").status.ok());
  grpc::Status last;
  EXPECT_TRUE(WaitUntil(
      [&] {
        last = EndOfYear(created.secret(), "organisations/exp/plans/p").status;
        return last.error_code() == StatusCode::UNAUTHENTICATED;
      },
      absl::Seconds(10)));
  EXPECT_TRUE(absl::StartsWith(last.error_message(), "the token expired at "))
      << last.error_message();
}

// Issue 18: a token may be limited to directorates; the codes are stored
// trimmed, in the order given, and every read of the token shows them.
TEST_F(GatewayTest, ATokenLimitedToDirectoratesIsStoredAndShownEverywhere) {
  std::string admin = Token("dirs", v1::ADMIN);
  v1::CreateTokenRequest create;
  create.set_parent("organisations/dirs");
  create.mutable_token()->set_role(v1::UPDATER);
  create.mutable_token()->set_subject("csf-officer");
  const std::string longest(32, 'L');
  for (const std::string& code : {std::string(" CSF "), std::string("D & R"), longest}) {
    create.mutable_token()->add_directorates(code);
  }
  create.set_request_id("limited-1");
  v1::CreateTokenResponse created;
  grpc::Status status = Tokens()->CreateToken(As(admin).get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<std::string> want = {"CSF", "D & R", longest};
  EXPECT_EQ(std::vector<std::string>(created.token().directorates().begin(),
                                     created.token().directorates().end()),
            want);
  EXPECT_EQ(db_->QueryScalar(absl::StrCat("SELECT directorates FROM api_tokens WHERE org_id = "
                                          "'dirs' AND secret_hash = '",
                                          Sha256Hex(created.secret()), "'")),
            absl::StrCat("CSF,D & R,", longest));

  v1::GetTokenRequest get;
  get.set_name(created.token().name());
  v1::ApiToken got;
  ASSERT_TRUE(Tokens()->GetToken(As(admin).get(), get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), created.token().SerializeAsString());

  v1::ListTokensRequest list;
  list.set_parent("organisations/dirs");
  v1::ListTokensResponse listed;
  ASSERT_TRUE(Tokens()->ListTokens(As(admin).get(), list, &listed).ok());
  int seen = 0;
  for (const v1::ApiToken& token : listed.tokens()) {
    if (token.name() == created.token().name()) {
      ++seen;
      EXPECT_EQ(token.SerializeAsString(), created.token().SerializeAsString());
    } else {
      EXPECT_EQ(token.directorates_size(), 0) << token.name();  // the admin: not limited
    }
  }
  EXPECT_EQ(seen, 1);

  // A repeat answers the stored token, directorates included, and makes none.
  v1::CreateTokenResponse repeat;
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), create, &repeat).ok());
  EXPECT_EQ(repeat.token().SerializeAsString(), created.token().SerializeAsString());
  EXPECT_EQ(repeat.secret(), "");

  // Twenty codes is the most, and a token without any is not limited.
  v1::CreateTokenRequest twenty;
  twenty.set_parent("organisations/dirs");
  twenty.mutable_token()->set_role(v1::PLANNER);
  twenty.mutable_token()->set_subject("twenty");
  for (int i = 0; i < 20; ++i) {
    twenty.mutable_token()->add_directorates(absl::StrCat("D", i));
  }
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), twenty, &created).ok());
  EXPECT_EQ(created.token().directorates_size(), 20);
  twenty.mutable_token()->clear_directorates();
  ASSERT_TRUE(Tokens()->CreateToken(As(admin).get(), twenty, &created).ok());
  EXPECT_EQ(created.token().directorates_size(), 0);
  EXPECT_EQ(db_->QueryScalar(absl::StrCat("SELECT directorates FROM api_tokens WHERE org_id = "
                                          "'dirs' AND secret_hash = '",
                                          Sha256Hex(created.secret()), "'")),
            "");
}

TEST_F(GatewayTest, BadDirectoratesAreRefusedNamingTheFieldAndNothingIsWritten) {
  struct Case {
    v1::Role role;
    std::vector<std::string> directorates;
    std::string field;
    std::string rule;
  };
  std::vector<std::string> too_many;
  for (int i = 0; i < 21; ++i) {
    too_many.push_back(absl::StrCat("D", i));
  }
  const std::vector<Case> cases = {
      {v1::ADMIN,
       {"CSF"},
       "token.directorates",
       "must be empty for an ADMIN token: ADMIN manages tokens and the organisation, which a "
       "token limited to directorates may not"},
      {v1::UPDATER, too_many, "token.directorates", "must list at most 20 directorates, got 21"},
      {v1::UPDATER, {"CSF", ""}, "token.directorates[1]", "must not be empty"},
      {v1::UPDATER, {"   "}, "token.directorates[0]", "must not be empty"},
      {v1::UPDATER,
       {std::string(33, 'A')},
       "token.directorates[0]",
       "must be at most 32 characters, got 33"},
      {v1::UPDATER,
       {"CSF", "CSF/ASC"},
       "token.directorates[1]",
       "must be one directorate, without '/' (a milestone led jointly, \"A/B\", is in scope "
       "when any part is: list each part)"},
      {v1::VIEWER,
       {"CSF,ASC"},
       "token.directorates[0]",
       "must not contain ',' (it separates the codes passed to the services)"},
      {v1::UPDATER, {"CS\tF"}, "token.directorates[0]", "must not contain control characters"},
      {v1::UPDATER, {"CSF\n"}, "token.directorates[0]", "must not contain control characters"},
      {v1::PLANNER,
       {"Caf\xc3\xa9"},
       "token.directorates[0]",
       "must be printable ASCII (it is passed to the services as gRPC metadata)"},
      {v1::UPDATER,
       {"CSF", "ASC", "csf "},
       "token.directorates[2]",
       "repeats token.directorates[0] ('CSF'); codes compare ignoring case and spaces"},
      {v1::UPDATER,
       {"D & R", "d&r"},
       "token.directorates[1]",
       "repeats token.directorates[0] ('D & R'); codes compare ignoring case and spaces"},
  };
  auto limited_tokens = [] {
    return db_->QueryScalar(
        "SELECT COUNT(*) FROM api_tokens WHERE org_id = 'baddir' AND directorates <> ''");
  };
  ASSERT_EQ(limited_tokens(), "0");
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    v1::CreateTokenRequest create;
    create.set_parent("organisations/baddir");
    create.mutable_token()->set_role(c.role);
    create.mutable_token()->set_subject("officer");
    for (const std::string& code : c.directorates) {
      create.mutable_token()->add_directorates(code);
    }
    create.set_request_id(absl::StrCat("bad-", i));
    v1::CreateTokenResponse created;
    // An admin for each case, so that none meets the rate limit.
    std::string admin = Token("baddir", v1::ADMIN);
    grpc::Status status = Tokens()->CreateToken(As(admin).get(), create, &created);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << c.rule;
    EXPECT_EQ(status.error_message(), absl::StrCat(c.field, ": ", c.rule));
    EXPECT_EQ(FieldViolations(status),
              (std::vector<std::pair<std::string, std::string>>{{c.field, c.rule}}));
  }
  EXPECT_EQ(limited_tokens(), "0");
  // Only the admins were made.
  EXPECT_EQ(db_->QueryScalar("SELECT COUNT(*) FROM api_tokens WHERE org_id = 'baddir'"),
            absl::StrCat(cases.size()));
  EXPECT_EQ(db_->QueryScalar("SELECT COUNT(*) FROM request_log WHERE org_id = 'baddir'"), "0");
}

}  // namespace
}  // namespace gt::gateway::testing
