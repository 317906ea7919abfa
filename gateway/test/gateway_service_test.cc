// Service tests of forwarding: identity, request ids, deadlines, streams,
// limits, errors and metrics, through the gateway in-process to stand-in
// backends that report what reached them (see gateway_fixture.h).
#include <thread>

#include "gateway_fixture.h"
#include "gt/identity.h"
#include "gt/sha256.h"
#include "request_table.h"

namespace gt::gateway::testing {
namespace {

TEST_F(GatewayTest, BackendSeesOnlyTheVerifiedIdentity) {
  std::string viewer = Token("who", v1::VIEWER, "dashboard");
  Reply reply = EndOfYear(viewer, "organisations/who/plans/p",
                          {{"x-gt-organisation", "other"},
                           {"x-gt-role", "ADMIN"},
                           {"x-gt-subject", "mallory"},
                           {"x-gt-directorates", "CSF"},
                           {"x-gt-identity-seal", "4102444800.forged"},
                           {"x-gt-anything", "1"},
                           {"x-custom", "kept"},
                           {"x-request-id", "client-chosen-1"}});
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  v1::ReportHeader seen = Parse(reply).header();
  EXPECT_EQ(seen.organisation(), "who");  // one value: the client's was dropped
  EXPECT_EQ(seen.title(), "VIEWER");
  EXPECT_EQ(seen.plan_title(), "dashboard");
  // Not limited, so no x-gt-directorates at all: a client's would have
  // limited the identity as it pleased.
  EXPECT_EQ(seen.organisation_display_name(), "");
  EXPECT_EQ(seen.period_start(), "");  // no authorization header upstream
  EXPECT_EQ(seen.period_end(), "kept");
  EXPECT_EQ(seen.as_of(), "client-chosen-1");
  // The request id comes back to the caller; backend trailers pass through.
  EXPECT_EQ(reply.initial_metadata.find("x-request-id")->second, "client-chosen-1");
  auto trailer = reply.trailing_metadata.find("x-backend-trailer");
  ASSERT_NE(trailer, reply.trailing_metadata.end());
  EXPECT_EQ(trailer->second, "from-backend");
  // The gateway's own seal, over what it verified, not the client's.
  auto seal = reply.trailing_metadata.find("x-seal-check");
  ASSERT_NE(seal, reply.trailing_metadata.end());
  EXPECT_EQ(seal->second, "ok");
}

// Issue 18: a limited token's directorates reach the backend, sealed with
// the rest of the identity, whatever x-gt-directorates the client sends.
TEST_F(GatewayTest, ALimitedTokensDirectoratesReachTheBackendSealed) {
  std::string limited = ScopedToken("dirfwd", v1::UPDATER, {"CSF", " D & R "}, "csf-officer");
  for (const Metadata& forged :
       {Metadata{}, Metadata{{"x-gt-directorates", "ASC"}}, Metadata{{"x-gt-directorates", ""}},
        Metadata{{"x-gt-directorates", "CSF"}, {"x-gt-directorates", "ASC"}}}) {
    Reply reply = EndOfYear(limited, "organisations/dirfwd/plans/p", forged);
    ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
    v1::ReportHeader seen = Parse(reply).header();
    EXPECT_EQ(seen.organisation(), "dirfwd");
    EXPECT_EQ(seen.title(), "UPDATER");
    EXPECT_EQ(seen.plan_title(), "csf-officer");
    // One value, the token's (trimmed as stored): the client's was dropped.
    EXPECT_EQ(seen.organisation_display_name(), "CSF,D & R");
    auto seal = reply.trailing_metadata.find("x-seal-check");
    ASSERT_NE(seal, reply.trailing_metadata.end());
    EXPECT_EQ(seal->second, "ok");
  }
}

// The seal vouches for the directorate scope: the same identity with the
// scope dropped, or another scope, does not pass a backend's check.
TEST_F(GatewayTest, TheSealCoversTheDirectorates) {
  Caller limited;
  limited.organisation = "dirseal";
  limited.role = v1::UPDATER;
  limited.subject = "csf-officer";
  limited.directorates = {"CSF"};
  const absl::Time expires = absl::Now() + absl::Minutes(5);
  const std::string seal = SealIdentity(kTestIdentityKey, limited, expires);
  Caller unlimited = limited;
  unlimited.directorates.clear();
  EXPECT_NE(SealIdentity(kTestIdentityKey, unlimited, expires), seal);
  Caller wider = limited;
  wider.directorates = {"CSF", "ASC"};
  EXPECT_NE(SealIdentity(kTestIdentityKey, wider, expires), seal);
  // Straight to the stand-in backend, as a pod inside the cluster could.
  auto report = v1::ReportService::NewStub(
      grpc::CreateChannel(live_backends_, grpc::InsecureChannelCredentials()));
  auto check = [&](const std::string& directorates) {
    grpc::ClientContext context;
    context.AddMetadata("x-gt-organisation", "dirseal");
    context.AddMetadata("x-gt-role", "UPDATER");
    context.AddMetadata("x-gt-subject", "csf-officer");
    if (!directorates.empty()) {
      context.AddMetadata("x-gt-directorates", directorates);
    }
    context.AddMetadata("x-gt-identity-seal", seal);
    v1::ReportRequest request;
    request.set_plan("organisations/dirseal/plans/p");
    v1::EndOfYearReport response;
    EXPECT_TRUE(report->GetEndOfYearReport(&context, request, &response).ok());
    auto it = context.GetServerTrailingMetadata().find("x-seal-check");
    return it == context.GetServerTrailingMetadata().end()
               ? std::string("(none)")
               : std::string(it->second.data(), it->second.size());
  };
  EXPECT_EQ(check("CSF"), "ok");
  EXPECT_NE(check(""), "ok");
  EXPECT_NE(check("CSF,ASC"), "ok");
}

// Every method of the API with a PLANNER token limited to a directorate: the
// whole-plan ones (the issue's list, request_table.cc) are refused by the
// gateway, PERMISSION_DENIED naming the method and the token's directorates;
// every other method it may call is forwarded (the stand-in backends answer
// it, or plan-service's absence does), milestone writes and reads alike.
TEST_F(GatewayTest, ALimitedTokenIsRefusedExactlyTheWholePlanMethods) {
  const Names names{"organisations/lim",
                    "organisations/lim/plans/p",
                    "organisations/lim/plans/p/priorities/1",
                    "organisations/lim/plans/p/outcomes/2",
                    "organisations/lim/plans/p/activities/3",
                    "organisations/lim/plans/p/measures/4",
                    "organisations/lim/plans/p/milestones/5",
                    "organisations/lim/tokens/0000000000000000"};
  const double scope_rejections =
      Metric("goldenthread_gateway_rejections_total{reason=\"directorate_scope\"}");
  int refused = 0, forwarded = 0;
  for (const MethodCase& c : AllMethodCases()) {
    // A token of its own for each method: this gateway's burst is 10 calls.
    std::string planner = ScopedToken("lim", v1::PLANNER, {"CSF"});
    auto request = BuildRequest(c, names);
    ASSERT_NE(request, nullptr) << c.method;
    Reply reply = CallMethod(*channel_, Path(c), *request, Bearer(planner),
                             IsStreaming(c) ? absl::Seconds(2) : absl::Seconds(10));
    SCOPED_TRACE(
        absl::StrCat(c.method, ": ", reply.status.error_code(), " ", reply.status.error_message()));
    if (c.min_role == v1::ROLE_UNSPECIFIED || c.min_role > v1::PLANNER) {
      // The role decides first (TokenService, and what nobody may call).
      EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
      EXPECT_FALSE(absl::StrContains(reply.status.error_message(), "directorates"));
    } else if (c.whole_plan) {
      ++refused;
      EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
      EXPECT_EQ(reply.status.error_message(),
                absl::StrCat(Path(c).substr(1),
                             " acts on a whole plan or organisation; this token is limited to "
                             "directorates CSF"));
    } else {
      ++forwarded;
      EXPECT_NE(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
      EXPECT_NE(reply.status.error_code(), StatusCode::UNAUTHENTICATED);
      EXPECT_NE(reply.status.error_code(), StatusCode::NOT_FOUND);
    }
  }
  EXPECT_GE(refused, 25);
  EXPECT_GE(forwarded, 40);
  EXPECT_EQ(Metric("goldenthread_gateway_rejections_total{reason=\"directorate_scope\"}"),
            scope_rejections + refused);

  // An ADMIN token limited by hand in the database (CreateToken refuses to
  // make one) is still refused every TokenService method for its scope.
  std::string admin = Token("lim", v1::ADMIN, "limited-by-hand");
  db_->Execute(
      absl::StrCat("UPDATE api_tokens SET directorates = 'CSF' WHERE org_id = 'lim' "
                   "AND secret_hash = '",
                   Sha256Hex(admin), "'"));
  for (const MethodCase& c : AllMethodCases()) {
    if (c.method.rfind("TokenService/", 0) != 0) {
      continue;
    }
    auto request = BuildRequest(c, names);
    ASSERT_NE(request, nullptr) << c.method;
    Reply reply = CallMethod(*channel_, Path(c), *request, Bearer(admin));
    EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED) << c.method;
    EXPECT_EQ(reply.status.error_message(),
              absl::StrCat(Path(c).substr(1),
                           " acts on a whole plan or organisation; this token is limited to "
                           "directorates CSF"));
  }
}

// Calls are spread over the gateway's connections to a backend, so that
// behind a Kubernetes Service (which balances connections) they reach every
// pod.
TEST_F(GatewayTest, CallsTakeTheBackendConnectionsInTurn) {
  std::string viewer = Token("who", v1::VIEWER, "spread");
  report_->Forget();
  for (int i = 0; i < 8; ++i) {
    Reply reply = EndOfYear(viewer, "organisations/who/plans/p");
    ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  }
  EXPECT_EQ(report_->Peers(), static_cast<size_t>(UpstreamOptions().connections_per_backend));
}

TEST_F(GatewayTest, ARequestIdIsGeneratedWhenMissingOrUnusable) {
  std::string viewer = Token("rid", v1::VIEWER);
  for (const Metadata& sent : {Metadata{}, Metadata{{"x-request-id", "has spaces"}}}) {
    Reply reply = EndOfYear(viewer, "organisations/rid/plans/p", sent);
    ASSERT_TRUE(reply.status.ok());
    std::string seen = Parse(reply).header().as_of();
    EXPECT_TRUE(absl::StartsWith(seen, "gw-")) << seen;
    EXPECT_EQ(reply.initial_metadata.find("x-request-id")->second, seen);
  }
}

TEST_F(GatewayTest, DeadlinesArePropagatedDefaultedAndCapped) {
  std::string viewer = Token("dl", v1::VIEWER);
  auto upstream_seconds = [&](absl::Duration client_timeout) {
    absl::Time sent = absl::Now();
    Reply reply = EndOfYear(viewer, "organisations/dl/plans/p", {}, client_timeout);
    EXPECT_TRUE(reply.status.ok()) << reply.status.error_message();
    return absl::ToDoubleSeconds(FromTimestamp(Parse(reply).header().generated_at()) - sent);
  };
  double kept = upstream_seconds(absl::Seconds(3));
  // grpc-timeout travels as a duration, so the backend's deadline may be a
  // few milliseconds later than the client's.
  EXPECT_GT(kept, 2.0);
  EXPECT_LE(kept, 3.2);
  double capped = upstream_seconds(absl::Hours(1));
  EXPECT_GT(capped, 18.0);
  EXPECT_LE(capped, 20.5);
  // No deadline at all: the default (7 s here).
  v1::ReportRequest request;
  request.set_plan("organisations/dl/plans/p");
  auto stub = v1::ReportService::NewStub(*channel_);
  grpc::ClientContext none;
  none.AddMetadata("authorization", "Bearer " + viewer);
  v1::EndOfYearReport report;
  absl::Time sent = absl::Now();
  ASSERT_TRUE(stub->GetEndOfYearReport(&none, request, &report).ok());
  double defaulted = absl::ToDoubleSeconds(FromTimestamp(report.header().generated_at()) - sent);
  EXPECT_GT(defaulted, 6.0);
  EXPECT_LE(defaulted, 7.5);
}

TEST_F(GatewayTest, StreamsAreForwardedAndLimitedPerToken) {
  auto stub = v1::MilestoneService::NewStub(*channel_);
  v1::WatchMilestoneUpdatesRequest request;
  request.set_parent("organisations/str/plans/p");
  {
    // Its own token: the gateway frees a stream's slot just after the
    // client has seen the stream end.
    auto context = As(Token("str", v1::VIEWER));
    auto reader = stub->WatchMilestoneUpdates(context.get(), request);
    v1::MilestoneUpdate update;
    std::vector<int64_t> sequences;
    while (reader->Read(&update)) {
      sequences.push_back(update.sequence());
      EXPECT_EQ(update.milestone(), "organisations/str/plans/p");
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_EQ(sequences, (std::vector<int64_t>{1, 2, 3}));
  }
  // Two open streams is this gateway's limit per token.
  std::string viewer = Token("str", v1::VIEWER);
  request.set_parent("organisations/str/plans/hold");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::MilestoneUpdate>>> open;
  for (int i = 0; i < 2; ++i) {
    contexts.push_back(As(viewer, absl::Seconds(30)));
    open.push_back(stub->WatchMilestoneUpdates(contexts.back().get(), request));
    v1::MilestoneUpdate update;
    ASSERT_TRUE(open.back()->Read(&update));  // admitted and flowing
  }
  {
    auto context = As(viewer);
    auto third = stub->WatchMilestoneUpdates(context.get(), request);
    v1::MilestoneUpdate update;
    EXPECT_FALSE(third->Read(&update));
    grpc::Status refused = third->Finish();
    EXPECT_EQ(refused.error_code(), StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(refused.error_message(),
              "this token already has 2 streams open, the most it may; close one first");
  }
  // Another token is not affected.
  {
    std::string other = Token("str", v1::VIEWER);
    auto context = As(other);
    auto reader = stub->WatchMilestoneUpdates(context.get(), request);
    v1::MilestoneUpdate update;
    EXPECT_TRUE(reader->Read(&update));
    context->TryCancel();
    reader->Finish();
  }
  // Closing one frees its slot (once the gateway has seen it end).
  contexts[0]->TryCancel();
  EXPECT_EQ(open[0]->Finish().error_code(), StatusCode::CANCELLED);
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto context = As(viewer);
        auto again = stub->WatchMilestoneUpdates(context.get(), request);
        v1::MilestoneUpdate update;
        bool admitted = again->Read(&update);
        context->TryCancel();
        again->Finish();
        return admitted;
      },
      absl::Seconds(5)));
  contexts[1]->TryCancel();
  open[1]->Finish();
}

TEST_F(GatewayTest, AClientThatGivesUpCancelsTheBackendsCall) {
  std::string viewer = Token("gone", v1::VIEWER);
  auto stub = v1::MilestoneService::NewStub(*channel_);
  v1::GetMilestoneRequest request;
  request.set_name("organisations/gone/plans/p/milestones/hold");
  int held = milestone_->Held();
  int cancelled = milestone_->Cancelled();
  auto context = As(viewer, absl::Seconds(60));
  grpc::Status status;
  std::thread caller([&] {
    v1::Milestone milestone;
    status = stub->GetMilestone(context.get(), request, &milestone);
  });
  ASSERT_TRUE(WaitUntil([&] { return milestone_->Held() > held; }, absl::Seconds(10)));
  context->TryCancel();
  caller.join();
  EXPECT_EQ(status.error_code(), StatusCode::CANCELLED);
  // Long before the 60 s deadline: the gateway passed the cancellation on.
  EXPECT_TRUE(WaitUntil([&] { return milestone_->Cancelled() > cancelled; }, absl::Seconds(10)));
}

TEST_F(GatewayTest, LongStreamsArriveWholeAndInOrder) {
  std::string viewer = Token("long", v1::VIEWER);
  auto stub = v1::MilestoneService::NewStub(*channel_);
  v1::WatchMilestoneUpdatesRequest request;
  request.set_parent("organisations/long/plans/p");
  request.set_start_after_sequence(5000);
  for (int round = 0; round < 3; ++round) {
    auto context = As(viewer, absl::Seconds(30));
    auto reader = stub->WatchMilestoneUpdates(context.get(), request);
    v1::MilestoneUpdate update;
    int64_t expected = 1;
    while (reader->Read(&update)) {
      ASSERT_EQ(update.sequence(), expected);
      ++expected;
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_EQ(expected, 5001);
  }
  // A client that stops reading and cancels half-way frees its stream.
  for (int i = 0; i < 5; ++i) {
    auto context = As(viewer, absl::Seconds(30));
    auto reader = stub->WatchMilestoneUpdates(context.get(), request);
    v1::MilestoneUpdate update;
    for (int read = 0; read < 100 && reader->Read(&update); ++read) {
    }
    context->TryCancel();
    reader->Finish();
  }
  EXPECT_TRUE(WaitUntil(
      [&] {
        v1::WatchMilestoneUpdatesRequest small;
        small.set_parent("organisations/long/plans/p");
        return testing::CallMethod(*channel_, kWatch, small, Bearer(viewer)).status.ok();
      },
      absl::Seconds(5)));
}

TEST_F(GatewayTest, RateLimitSaysWhenToRetryAndTheWaitIsEnough) {
  // A gateway of its own with a slow bucket (1 call/s, bursts of 3), so that
  // no machine is too slow to empty it.
  HostOptions host_options;
  host_options.name = "gateway-limited";
  host_options.bind_address = "127.0.0.1";
  host_options.metrics_port = -2;
  host_options.services = PublicServices();
  host_options.log_calls = false;
  ServiceHost host(host_options);
  GatewayOptions options;
  options.backends = SuiteBackends("127.0.0.1:1", live_backends_, live_backends_);
  options.limits = {/*calls_per_second=*/1, /*burst=*/3, /*max_streams=*/2};
  auto gateway = Gateway::Attach(options, *pool_, host);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  ASSERT_TRUE(host.Start().ok());
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", host.grpc_port()),
                                     grpc::InsecureChannelCredentials());
  std::string viewer = Token("rate", v1::VIEWER);
  v1::ReportRequest request;
  request.set_plan("organisations/rate/plans/p");
  int admitted = 0;
  Reply refused;
  for (int i = 0; i < 10; ++i) {
    Reply reply = CallMethod(channel, kEndOfYear, request, Bearer(viewer));
    if (!reply.status.ok()) {
      refused = reply;
      break;
    }
    ++admitted;
  }
  EXPECT_GE(admitted, 3);
  EXPECT_LE(admitted, 4);
  ASSERT_EQ(refused.status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  auto header = refused.trailing_metadata.find("retry-after-ms");
  ASSERT_NE(header, refused.trailing_metadata.end());
  int wait_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(header->second, &wait_ms));
  EXPECT_GT(wait_ms, 0);
  EXPECT_LE(wait_ms, 1000);
  EXPECT_EQ(refused.status.error_message(),
            absl::StrCat("rate limit exceeded: this token may make 1 calls per second (bursts "
                         "of 3); retry after ",
                         wait_ms, " ms"));
  // The stated wait is what is tested here, so it is slept exactly.
  absl::SleepFor(absl::Milliseconds(wait_ms));
  EXPECT_TRUE(CallMethod(channel, kEndOfYear, request, Bearer(viewer)).status.ok());
  // TokenService (served by the gateway itself) has the same limit.
  std::string admin = Token("rate", v1::ADMIN);
  v1::ListTokensRequest list;
  list.set_parent("organisations/rate");
  auto tokens = v1::TokenService::NewStub(channel);
  grpc::Status status;
  for (int i = 0; i < 10 && status.ok(); ++i) {
    v1::ListTokensResponse response;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + admin);
    status = tokens->ListTokens(&context, list, &response);
    if (!status.ok()) {
      EXPECT_EQ(context.GetServerTrailingMetadata().count("retry-after-ms"), 1u);
    }
  }
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  host.Shutdown();
  host.Wait();
}

TEST_F(GatewayTest, BadCredentialsAreUnauthenticatedAndCountedByReason) {
  double missing = Metric("goldenthread_gateway_auth_failures_total{reason=\"missing\"}");
  double malformed = Metric("goldenthread_gateway_auth_failures_total{reason=\"malformed\"}");
  double unknown = Metric("goldenthread_gateway_auth_failures_total{reason=\"unknown\"}");
  std::string real = Token("cred", v1::VIEWER);
  std::string forged = "gt_cred_" + std::string(43, 'A');
  std::string other_org = "gt_else_" + real.substr(std::string("gt_cred_").size());
  struct Case {
    Metadata metadata;
    std::string message_start;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "no credentials"},
           {{{"authorization", "Basic dXNlcjpwYXNz"}}, "malformed credentials"},
           {{{"authorization", real}}, "malformed credentials"},
           {Bearer(forged), "unknown token"},
           {Bearer(other_org), "unknown token"},
       }) {
    v1::ReportRequest request;
    request.set_plan("organisations/cred/plans/p");
    Reply reply = CallMethod(*channel_, kEndOfYear, request, c.metadata);
    EXPECT_EQ(reply.status.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_TRUE(absl::StartsWith(reply.status.error_message(), c.message_start))
        << reply.status.error_message();
  }
  EXPECT_EQ(Metric("goldenthread_gateway_auth_failures_total{reason=\"missing\"}"), missing + 1);
  EXPECT_EQ(Metric("goldenthread_gateway_auth_failures_total{reason=\"malformed\"}"),
            malformed + 2);
  EXPECT_EQ(Metric("goldenthread_gateway_auth_failures_total{reason=\"unknown\"}"), unknown + 2);
}

TEST_F(GatewayTest, UnknownMethodsAreUnimplemented) {
  std::string viewer = Token("unk", v1::VIEWER);
  for (const char* path : {"/goldenthread.v1.PlanService/DropEverything", "/some.Other/Method"}) {
    Reply reply = testing::CallMethodBytes(*channel_, path, "", Bearer(viewer));
    EXPECT_EQ(reply.status.error_code(), StatusCode::UNIMPLEMENTED) << path;
    EXPECT_EQ(reply.status.error_message(),
              absl::StrCat("unknown method ", path, " (see protos/goldenthread/v1)"));
  }
}

TEST_F(GatewayTest, UnavailableBackendsAreNamedWithoutTheirAddresses) {
  std::string viewer = Token("down", v1::VIEWER);
  v1::GetPlanRequest get;
  get.set_name("organisations/down/plans/p");
  Reply reply = CallMethod(*channel_, "/goldenthread.v1.PlanService/GetPlan", get, Bearer(viewer));
  EXPECT_EQ(reply.status.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(reply.status.error_message(), "plan-service is unavailable; retry shortly");
  // A backend's own UNAVAILABLE is its answer, passed through as it is.
  v1::GetMilestoneRequest milestone;
  milestone.set_name("organisations/down/plans/p/milestones/1");
  reply = CallMethod(*channel_, "/goldenthread.v1.MilestoneService/GetMilestone", milestone,
                     Bearer(viewer));
  EXPECT_EQ(reply.status.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(reply.status.error_message(), "the database is unavailable; retry shortly");
}

TEST_F(GatewayTest, OversizedAndUnreadableRequestsAreRefused) {
  std::string viewer = Token("size", v1::VIEWER);
  v1::ReportRequest big;
  big.set_plan("organisations/size/plans/p");
  big.set_as_of(std::string(100 << 10, 'x'));
  Reply reply = CallMethod(*channel_, kEndOfYear, big, Bearer(viewer));
  EXPECT_EQ(reply.status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  reply = testing::CallMethodBytes(*channel_, kEndOfYear, "\xff\xff\xff", Bearer(viewer));
  EXPECT_EQ(reply.status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reply.status.error_message(),
            "the request is not a valid goldenthread.v1.ReportRequest");
  // A field this gateway's descriptors do not have could hide a name.
  v1::ReportRequest request;
  request.set_plan("organisations/size/plans/p");
  std::string bytes = request.SerializeAsString() + std::string("\xfa\x01\x01x", 4);
  reply = testing::CallMethodBytes(*channel_, kEndOfYear, bytes, Bearer(viewer));
  EXPECT_EQ(reply.status.error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(GatewayTest, HealthAndMetricsCoverForwardedCalls) {
  auto health = grpc::health::v1::Health::NewStub(*channel_);
  EXPECT_TRUE(WaitUntil(
      [&] {
        grpc::ClientContext context;
        grpc::health::v1::HealthCheckResponse response;
        return health->Check(&context, {}, &response).ok() &&
               response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
      },
      absl::Seconds(5)));
  std::string viewer = Token("met", v1::VIEWER);
  ASSERT_TRUE(EndOfYear(viewer, "organisations/met/plans/p").status.ok());
  v1::WatchMilestoneUpdatesRequest watch;
  watch.set_parent("organisations/met/plans/p");
  ASSERT_TRUE(CallMethod(*channel_, kWatch, watch, Bearer(viewer)).status.ok());
  // Generic calls are labelled as their method is declared, not as the
  // bidi stream gRPC sees: every method's series exists from start-up.
  EXPECT_GE(Metric("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"GetEndOfYearReport\","
                   "grpc_service=\"goldenthread.v1.ReportService\",grpc_type=\"unary\"}"),
            1);
  EXPECT_GE(Metric("grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
                   "\"WatchMilestoneUpdates\",grpc_service=\"goldenthread.v1.MilestoneService\","
                   "grpc_type=\"server_stream\"}"),
            1);
  EXPECT_EQ(Metric("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"ImportPlan\","
                   "grpc_service=\"goldenthread.v1.PlanService\",grpc_type=\"unary\"}"),
            0);
  EXPECT_GE(Metric("goldenthread_gateway_upstream_seconds_count{backend=\"report-service\"}"), 1);
  EXPECT_EQ(Metric("goldenthread_gateway_upstream_seconds_count{backend=\"plan-service\"}") >= 0,
            true);
  EXPECT_EQ(Metric("goldenthread_gateway_rejections_total{reason=\"organisation\"}") >= 0, true);
}

}  // namespace
}  // namespace gt::gateway::testing
