// End-to-end: the real gateway and plan-service binaries on loopback over
// MariaDB, driven as a client would. milestone-service and report-service do
// not exist yet: their addresses lead nowhere, which is enough for every case
// the gateway decides itself (UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND
// for another organisation), and those tables cover every method of every
// service.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "e2e_fixture.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gt/grpc_status.h"
#include "gt/test_http.h"

namespace gt::gateway::testing {
namespace {

using grpc::StatusCode;

TEST_F(GatewayE2eTest, PlannerCreatesViewerReadsAndForbiddenCallsAreDenied) {
  v1::CreatePlanRequest create;
  create.set_parent("organisations/a");
  create.set_plan_id("2018-19");
  create.mutable_plan()->set_title("Strategic Plan 2018/19");
  create.mutable_plan()->set_period_start("2018-04-01");
  create.mutable_plan()->set_period_end("2019-03-31");
  v1::Plan created;
  grpc::Status status =
      Plans()->CreatePlan(Context(TokenOf("a", v1::PLANNER)).get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetPlanRequest get;
  get.set_name("organisations/a/plans/2018-19");
  v1::Plan read;
  ASSERT_TRUE(Plans()->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  create.set_plan_id("2019-20");
  grpc::Status viewer =
      Plans()->CreatePlan(Context(TokenOf("a", v1::VIEWER)).get(), create, &created);
  EXPECT_EQ(viewer.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(viewer.error_message(),
            "goldenthread.v1.PlanService/CreatePlan needs role PLANNER or above; this token has "
            "VIEWER");
  v1::DeletePlanRequest remove;
  remove.set_name("organisations/a/plans/2018-19");
  google::protobuf::Empty empty;
  EXPECT_EQ(
      Plans()->DeletePlan(Context(TokenOf("a", v1::UPDATER)).get(), remove, &empty).error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Plans()->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &read).ok());
  EXPECT_TRUE(Plans()->DeletePlan(Context(TokenOf("a", v1::PLANNER)).get(), remove, &empty).ok());
}

// The role table, every method by every role, with tokens of an organisation
// that has no data (r), so the calls that are let through change nothing.
TEST_F(GatewayE2eTest, UpdaterPostsProgressViewerReadsTheReport) {
  v1::UpdateMilestoneProgressRequest progress;
  progress.set_name(names_a_->milestone);
  progress.set_status(v1::DELAYED);
  progress.set_percent_complete(40);
  progress.set_comment("Supplier went into administration");
  v1::Milestone updated;
  grpc::Status denied = Milestones()->UpdateMilestoneProgress(
      Context(TokenOf("a", v1::VIEWER)).get(), progress, &updated);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status posted = Milestones()->UpdateMilestoneProgress(
      Context(TokenOf("a", v1::UPDATER)).get(), progress, &updated);
  ASSERT_TRUE(posted.ok()) << posted.error_message();
  EXPECT_EQ(updated.status(), v1::DELAYED);
  // The history row carries the identity the gateway verified, not one a
  // client could claim.
  v1::ListMilestoneUpdatesRequest history;
  history.set_parent(names_a_->milestone);
  v1::ListMilestoneUpdatesResponse rows;
  ASSERT_TRUE(Milestones()
                  ->ListMilestoneUpdates(Context(TokenOf("a", v1::VIEWER)).get(), history, &rows)
                  .ok());
  ASSERT_GE(rows.updates_size(), 1);
  EXPECT_EQ(rows.updates(0).comment(), "Supplier went into administration");
  EXPECT_EQ(rows.updates(0).recorded_by(), "a-UPDATER");

  // A VIEWER reads the progress report that shows it; it may not post.
  v1::ProgressReportRequest report;
  report.mutable_report()->set_plan(names_a_->plan);
  // as_of left empty: today, which the update (effective now) speaks for.
  report.set_group_by(v1::BY_DIRECTORATE);
  v1::ProgressReport progress_report;
  grpc::Status read = Reports()->GetProgressReport(Context(TokenOf("a", v1::VIEWER)).get(), report,
                                                   &progress_report);
  ASSERT_TRUE(read.ok()) << read.error_message();
  int delayed = 0;
  for (const auto& count : progress_report.totals()) {
    delayed += count.status() == v1::DELAYED ? count.count() : 0;
  }
  EXPECT_EQ(delayed, 1);
  EXPECT_EQ(progress_report.overdue(), 1);  // due 2017-12-31 and delayed
  // The other organisation's viewer sees nothing of it.
  grpc::Status foreign = Reports()->GetProgressReport(Context(TokenOf("b", v1::VIEWER)).get(),
                                                      report, &progress_report);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GatewayE2eTest, EveryRoleMayCallExactlyItsMethods) {
  Names r{"organisations/r",
          "organisations/r/plans/p",
          "organisations/r/plans/p/priorities/1",
          "organisations/r/plans/p/outcomes/2",
          "organisations/r/plans/p/activities/3",
          "organisations/r/plans/p/measures/4",
          "organisations/r/plans/p/milestones/5",
          "organisations/r/tokens/0000000000000000"};
  int denied = 0, admitted = 0;
  for (const MethodCase& c : AllMethodCases()) {
    for (v1::Role role : {v1::VIEWER, v1::UPDATER, v1::PLANNER, v1::ADMIN}) {
      Reply reply = Call(c, r, Bearer(TokenOf("r", role)));
      bool allowed = c.min_role != v1::ROLE_UNSPECIFIED && role >= c.min_role;
      SCOPED_TRACE(absl::StrCat(c.method, " as ", v1::Role_Name(role), ": ",
                                reply.status.error_code(), " ", reply.status.error_message()));
      if (allowed) {
        ++admitted;
        EXPECT_NE(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
        EXPECT_NE(reply.status.error_code(), StatusCode::UNAUTHENTICATED);
      } else {
        ++denied;
        EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
      }
    }
  }
  EXPECT_GT(denied, 50);
  EXPECT_GT(admitted, 100);
}

// Every method of every service, by organisation b's ADMIN (who may call
// them all) on organisation a's resources: NOT_FOUND, worded as a backend
// words a missing resource, and nothing of a's changes.
TEST_F(GatewayE2eTest, AnotherOrganisationsResourcesAreNotFoundAndUnchanged) {
  std::string before = SnapshotOfA();
  for (const MethodCase& c : AllMethodCases()) {
    Reply reply = Call(c, *names_a_, Bearer(TokenOf("b", v1::ADMIN)));
    SCOPED_TRACE(
        absl::StrCat(c.method, ": ", reply.status.error_code(), " ", reply.status.error_message()));
    if (c.min_role == v1::ROLE_UNSPECIFIED) {
      // CreateOrganisation, RecordPublication: no token may call them.
      EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED);
    } else if (c.method == "PlanService/ListOrganisations") {
      // Names nothing; lists b alone.
      ASSERT_TRUE(reply.status.ok());
      v1::ListOrganisationsResponse list;
      ASSERT_TRUE(list.ParseFromString(reply.messages.at(0)));
      ASSERT_EQ(list.organisations_size(), 1);
      EXPECT_EQ(list.organisations(0).name(), "organisations/b");
    } else {
      EXPECT_EQ(reply.status.error_code(), StatusCode::NOT_FOUND);
      EXPECT_EQ(
          reply.status.error_message(),
          absl::StrCat(KindOf(c.first_name), " ", names_a_->Lookup(c.first_name), " not found"));
    }
  }
  EXPECT_EQ(SnapshotOfA(), before);
  // An existing plan of a and a missing one answer alike.
  v1::GetPlanRequest get;
  v1::Plan plan;
  get.set_name(names_a_->plan);
  grpc::Status existing = Plans()->GetPlan(Context(TokenOf("b", v1::VIEWER)).get(), get, &plan);
  get.set_name("organisations/a/plans/1999-00");
  grpc::Status missing = Plans()->GetPlan(Context(TokenOf("b", v1::VIEWER)).get(), get, &plan);
  EXPECT_EQ(existing.error_code(), missing.error_code());
  EXPECT_EQ(existing.error_message(), absl::StrCat("plan ", names_a_->plan, " not found"));
  EXPECT_EQ(missing.error_message(), "plan organisations/a/plans/1999-00 not found");
}

TEST_F(GatewayE2eTest, MissingRevokedAndExpiredTokensAreUnauthenticatedEverywhere) {
  std::string expiring = NewToken("a", v1::ADMIN, absl::Now() + absl::Seconds(1));
  std::string revoked_name;
  std::string revoked = NewToken("a", v1::ADMIN, std::nullopt, &revoked_name);
  // Both worked, so both are in the gateway's cache.
  v1::GetPlanRequest get;
  get.set_name(names_a_->plan);
  v1::Plan plan;
  ASSERT_TRUE(Plans()->GetPlan(Context(expiring).get(), get, &plan).ok());
  ASSERT_TRUE(Plans()->GetPlan(Context(revoked).get(), get, &plan).ok());
  v1::RevokeTokenRequest revoke;
  revoke.set_name(revoked_name);
  v1::ApiToken token;
  ASSERT_TRUE(Tokens()->RevokeToken(Context(TokenOf("a", v1::ADMIN)).get(), revoke, &token).ok());
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Plans()->GetPlan(Context(expiring).get(), get, &plan).error_code() ==
               StatusCode::UNAUTHENTICATED;
      },
      absl::Seconds(10)));
  std::string before = SnapshotOfA();
  const std::pair<const char*, Metadata> credentials[] = {
      {"no token", {}},
      {"revoked", Bearer(revoked)},
      {"expired", Bearer(expiring)},
      {"forged", Bearer("gt_a_" + std::string(43, 'x'))},
      {"not a bearer token", {{"authorization", TokenOf("a", v1::ADMIN)}}},
  };
  for (const auto& [what, metadata] : credentials) {
    for (const MethodCase& c : AllMethodCases()) {
      Reply reply = Call(c, *names_a_, metadata);
      EXPECT_EQ(reply.status.error_code(), StatusCode::UNAUTHENTICATED)
          << what << ": " << c.method << " " << reply.status.error_message();
    }
  }
  EXPECT_EQ(SnapshotOfA(), before);
  std::string metrics = HttpGet(gateway_->metrics_port, "/metrics");
  for (const char* reason : {"missing", "revoked", "expired", "unknown", "malformed"}) {
    EXPECT_NE(metrics.find(absl::StrCat("goldenthread_gateway_auth_failures_total{reason=\"",
                                        reason, "\"} ")),
              std::string::npos)
        << reason;
  }
}

TEST_F(GatewayE2eTest, IdentityMetadataFromTheClientGainsNothing) {
  std::string before = SnapshotOfA();
  Metadata spoofed = {{"x-gt-organisation", "a"}, {"x-gt-role", "ADMIN"}, {"x-gt-subject", "ops"}};
  Metadata b_viewer = Bearer(TokenOf("b", v1::VIEWER));
  b_viewer.insert(b_viewer.end(), spoofed.begin(), spoofed.end());
  for (const MethodCase& c : AllMethodCases()) {
    Reply as_b = Call(c, *names_a_, b_viewer);
    SCOPED_TRACE(absl::StrCat(c.method, ": ", as_b.status.error_message()));
    if (c.method == "PlanService/ListOrganisations") {
      ASSERT_TRUE(as_b.status.ok());
      v1::ListOrganisationsResponse list;
      ASSERT_TRUE(list.ParseFromString(as_b.messages.at(0)));
      ASSERT_EQ(list.organisations_size(), 1);
      EXPECT_EQ(list.organisations(0).name(), "organisations/b");
    } else if (c.min_role == v1::VIEWER) {
      EXPECT_EQ(as_b.status.error_code(), StatusCode::NOT_FOUND);
    } else {
      // Still a VIEWER: the role claimed in metadata counts for nothing.
      EXPECT_EQ(as_b.status.error_code(), StatusCode::PERMISSION_DENIED);
    }
    // Without a token, identity metadata alone is no credential.
    EXPECT_EQ(Call(c, *names_a_, spoofed).status.error_code(), StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(SnapshotOfA(), before);
}

TEST_F(GatewayE2eTest, TlsListenerTakesTlsClientsOnly) {
  std::string dir = ::testing::TempDir();
  std::string cert = dir + "gateway-cert.pem", key = dir + "gateway-key.pem";
  std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '",
      key, "' -out '", cert, "' > '", dir, "openssl.log' 2>&1");
  ASSERT_EQ(std::system(command.c_str()), 0);
  Running tls = StartGateway({"--tls_cert_file=" + cert, "--tls_key_file=" + key});
  std::ifstream in(cert);
  std::stringstream pem;
  pem << in.rdbuf();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pem.str();
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto connect = [&] {
    return grpc::CreateCustomChannel(tls.address(), grpc::SslCredentials(ssl), args);
  };
  // A fresh channel per probe: one that failed while the gateway was still
  // starting would wait out gRPC's reconnect backoff.
  ASSERT_TRUE(WaitUntil([&] { return Serving(connect()); }, absl::Seconds(30)))
      << tls.process->Log();
  auto secure = connect();
  v1::GetPlanRequest get;
  get.set_name(names_a_->plan);
  v1::Plan plan;
  grpc::Status over_tls = v1::PlanService::NewStub(secure)->GetPlan(
      Context(TokenOf("a", v1::VIEWER)).get(), get, &plan);
  EXPECT_TRUE(over_tls.ok()) << over_tls.error_message();
  EXPECT_EQ(plan.name(), names_a_->plan);
  grpc::Status plaintext = v1::PlanService::NewStub(Plaintext(tls.address()))
                               ->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &plan);
  EXPECT_EQ(plaintext.error_code(), StatusCode::UNAVAILABLE) << plaintext.error_message();
  EXPECT_FALSE(Serving(Plaintext(tls.address())));
}

TEST_F(GatewayE2eTest, RateLimitBurstThenCallsSucceedAfterTheStatedWait) {
  Running limited = StartGateway({"--rate_limit_per_second=2", "--rate_limit_burst=3"});
  ASSERT_TRUE(WaitUntil([&] { return Serving(Plaintext(limited.address())); }, absl::Seconds(30)))
      << limited.process->Log();
  auto channel = Plaintext(limited.address());
  v1::GetPlanRequest get;
  get.set_name(names_a_->plan);
  auto stub = v1::PlanService::NewStub(channel);
  std::string viewer = TokenOf("a", v1::VIEWER);
  int ok = 0;
  grpc::Status refused;
  std::string retry_after;
  for (int i = 0; i < 10 && refused.ok(); ++i) {
    auto context = Context(viewer);
    v1::Plan plan;
    grpc::Status status = stub->GetPlan(context.get(), get, &plan);
    if (status.ok()) {
      ++ok;
    } else {
      refused = status;
      auto it = context->GetServerTrailingMetadata().find("retry-after-ms");
      if (it != context->GetServerTrailingMetadata().end()) {
        retry_after.assign(it->second.data(), it->second.size());
      }
    }
  }
  EXPECT_GE(ok, 3);
  ASSERT_EQ(refused.error_code(), StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  int wait_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(retry_after, &wait_ms)) << retry_after;
  EXPECT_GT(wait_ms, 0);
  EXPECT_LE(wait_ms, 500);
  EXPECT_NE(refused.error_message().find(absl::StrCat("retry after ", wait_ms, " ms")),
            std::string::npos);
  // Waiting exactly as long as told is the behaviour under test.
  absl::SleepFor(absl::Milliseconds(wait_ms));
  v1::Plan plan;
  grpc::Status after = stub->GetPlan(Context(viewer).get(), get, &plan);
  EXPECT_TRUE(after.ok()) << after.error_message();
  // And it stops cleanly on SIGTERM, as a platform stops it. The client's
  // connection goes first: gRPC's shutdown waits for open connections (up to
  // the grace period), not only for calls.
  stub.reset();
  channel.reset();
  limited.process->Signal(SIGTERM);
  EXPECT_EQ(limited.process->Wait(absl::Seconds(30)), 0) << limited.process->Log();
  EXPECT_NE(limited.process->Log().find("\"msg\":\"stopped\""), std::string::npos);
}

// Forwarded calls, health and unknown methods are all served by the
// gateway's own completion-queue threads: no callback service or callback
// client call starts gRPC's callback polling threads ("nexting_thread"),
// which would take turns with them at every poll (see forwarder.h).
TEST_F(GatewayE2eTest, NoCallbackPollingThreadsTakeTurnsWithTheQueueThreads) {
  std::string viewer = TokenOf("a", v1::VIEWER);
  v1::GetPlanRequest get;
  get.set_name("organisations/a/plans/none");
  EXPECT_EQ(CallMethod(*channel_, "/goldenthread.v1.PlanService/GetPlan", get, Bearer(viewer))
                .status.error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_EQ(testing::CallMethodBytes(*channel_, "/no.Such/Method", "", Bearer(viewer))
                .status.error_code(),
            StatusCode::UNIMPLEMENTED);
  ASSERT_TRUE(Serving(*channel_));
  std::vector<std::string> names;
  std::string task_dir = absl::StrCat("/proc/", gateway_->process->pid(), "/task");
  for (const auto& entry : std::filesystem::directory_iterator(task_dir)) {
    std::string name;
    std::getline(std::ifstream(entry.path() / "comm"), name);
    names.push_back(name);
  }
  EXPECT_GT(names.size(), 1u);
  EXPECT_EQ(std::count(names.begin(), names.end(), "nexting_thread"), 0)
      << absl::StrJoin(names, ", ");
}

TEST_F(GatewayE2eTest, MetricsPassPromtool) {
  std::string text = HttpGet(gateway_->metrics_port, "/metrics");
  ASSERT_NE(text.find("goldenthread_gateway_upstream_seconds_bucket{backend=\"plan-service\""),
            std::string::npos);
  ASSERT_NE(text.find("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"GetPlan\","
                      "grpc_service=\"goldenthread.v1.PlanService\",grpc_type=\"unary\"}"),
            std::string::npos);
  std::string file = ::testing::TempDir() + "gateway-metrics.txt";
  std::ofstream(file) << text;
  EXPECT_EQ(std::system(absl::StrCat("promtool check metrics < '", file, "'").c_str()), 0);
}

TEST_F(GatewayE2eTest, PythonClientRunsTheSameFlow) {
  ChildProcess python({"/usr/bin/python3", GATEWAY_TEST_DIR "/python_client.py"},
                      {{"GT_ADDR", gateway_->address()},
                       {"GT_PROTO_DIR", PROTO_DIR},
                       {"GT_ORG", "a"},
                       {"GT_PLANNER_TOKEN", TokenOf("a", v1::PLANNER)},
                       {"GT_VIEWER_TOKEN", TokenOf("a", v1::VIEWER)},
                       {"GT_OTHER_TOKEN", TokenOf("b", v1::ADMIN)}},
                      absl::StrCat(::testing::TempDir(), "python-client-", getpid(), ".log"));
  EXPECT_EQ(python.Wait(absl::Seconds(60)), 0) << python.Log();
  EXPECT_NE(python.Log().find("checks, 0 failed"), std::string::npos) << python.Log();
}

// INVALID_ARGUMENT names the field in google.rpc.BadRequest (the
// grpc-status-details-bin trailer), decoded here as any client would:
// plan-service's answer passes through the gateway with its details, and the
// gateway's own answers carry them too.
TEST_F(GatewayE2eTest, InvalidArgumentCarriesBadRequestFieldViolations) {
  v1::CreatePlanRequest create;
  create.set_parent("organisations/a");
  create.set_plan_id("untitled");
  create.mutable_plan()->set_period_start("2018-04-01");
  create.mutable_plan()->set_period_end("2019-03-31");
  v1::Plan created;
  grpc::Status status =
      Plans()->CreatePlan(Context(TokenOf("a", v1::PLANNER)).get(), create, &created);
  ASSERT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(status.error_message(), "plan.title: must not be empty");
  ASSERT_FALSE(status.error_details().empty()) << "no grpc-status-details-bin";
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), status.error_message());
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "plan.title");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must not be empty");

  // The gateway's own: invalid UTF-8 is refused before any backend sees it.
  v1::CreateMilestoneRequest milestone;
  milestone.set_parent(names_a_->plan);
  milestone.mutable_milestone()->set_activity(names_a_->activity);
  milestone.mutable_milestone()->set_title("MARK");
  std::string bytes =
      absl::StrReplaceAll(milestone.SerializeAsString(), {{"MARK", "\xff\xfe\xc0\xaf"}});
  Reply reply = CallMethodBytes(*channel_, "/goldenthread.v1.MilestoneService/CreateMilestone",
                                bytes, Bearer(TokenOf("a", v1::PLANNER)));
  EXPECT_EQ(reply.status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reply.status.error_message(), "milestone.title: must be valid UTF-8");
  EXPECT_EQ(FieldViolations(reply.status), (std::vector<std::pair<std::string, std::string>>{
                                               {"milestone.title", "must be valid UTF-8"}}));
  // A refusal that names no field sends no details rather than invent one.
  reply = CallMethodBytes(*channel_, "/goldenthread.v1.PlanService/CreatePlan", "\xff\xff\xff",
                          Bearer(TokenOf("a", v1::PLANNER)));
  EXPECT_EQ(reply.status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reply.status.error_message(),
            "the request is not a valid goldenthread.v1.CreatePlanRequest");
  EXPECT_EQ(reply.status.error_details(), "");
}

// Issue 18, through the real services: a token limited to a directorate
// writes its directorate's milestones and nothing else, is refused every
// whole-plan method by the gateway, and reads as its role does.
TEST_F(GatewayE2eTest, ATokenLimitedToDirectoratesWritesOnlyItsOwnMilestones) {
  auto limited = [](v1::Role role, const std::string& directorate) {
    v1::CreateTokenRequest create;
    create.set_parent("organisations/a");
    create.mutable_token()->set_role(role);
    create.mutable_token()->set_subject(absl::StrCat("a-", directorate, "-officer"));
    create.mutable_token()->add_directorates(directorate);
    v1::CreateTokenResponse created;
    grpc::Status status =
        Tokens()->CreateToken(Context(TokenOf("a", v1::ADMIN)).get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(created.token().directorates_size(), 1);
    return created.secret();
  };
  const std::string clc = limited(v1::UPDATER, "clc");  // matched ignoring case
  const std::string asc = limited(v1::UPDATER, "ASC");
  const std::string clc_planner = limited(v1::PLANNER, "CLC");

  std::string before = SnapshotOfA();
  v1::UpdateMilestoneProgressRequest progress;
  progress.set_name(names_a_->milestone);  // directorate CLC
  progress.set_status(v1::DELAYED);
  progress.set_percent_complete(45);
  progress.set_comment("Lamp columns on back order");
  v1::Milestone updated;
  grpc::Status other =
      Milestones()->UpdateMilestoneProgress(Context(asc).get(), progress, &updated);
  EXPECT_EQ(other.error_code(), StatusCode::PERMISSION_DENIED) << other.error_message();
  for (const MethodCase& c : AllMethodCases()) {
    if (!c.whole_plan || c.min_role == v1::ROLE_UNSPECIFIED || c.min_role > v1::PLANNER) {
      continue;
    }
    Reply reply = Call(c, *names_a_, Bearer(clc_planner));
    EXPECT_EQ(reply.status.error_code(), StatusCode::PERMISSION_DENIED) << c.method;
    EXPECT_EQ(reply.status.error_message(),
              absl::StrCat(Path(c).substr(1),
                           " acts on a whole plan or organisation; this token is limited to "
                           "directorates CLC"));
  }
  EXPECT_EQ(SnapshotOfA(), before) << "a refused call changed organisation a";

  grpc::Status own = Milestones()->UpdateMilestoneProgress(Context(clc).get(), progress, &updated);
  ASSERT_TRUE(own.ok()) << own.error_message();
  EXPECT_EQ(updated.percent_complete(), 45);
  v1::ListMilestoneUpdatesRequest history;
  history.set_parent(names_a_->milestone);
  v1::ListMilestoneUpdatesResponse rows;
  ASSERT_TRUE(
      Milestones()->ListMilestoneUpdates(Context(asc).get(), history, &rows).ok());  // reads: all
  bool recorded = false;
  for (const auto& row : rows.updates()) {
    recorded |=
        row.comment() == "Lamp columns on back order" && row.recorded_by() == "a-clc-officer";
  }
  EXPECT_TRUE(recorded);
  // Reads are not limited: every VIEWER method reaches its backend.
  for (const MethodCase& c : AllMethodCases()) {
    if (c.min_role != v1::VIEWER) {
      continue;
    }
    Reply reply = Call(c, *names_a_, Bearer(asc));
    EXPECT_NE(reply.status.error_code(), StatusCode::PERMISSION_DENIED)
        << c.method << ": " << reply.status.error_message();
    EXPECT_NE(reply.status.error_code(), StatusCode::UNAUTHENTICATED)
        << c.method << ": " << reply.status.error_message();
  }
}

// Last: it kills and restarts the shared plan-service.
TEST_F(GatewayE2eTest, ABackendKilledIsUnavailableOthersWorkAndItRecoversByItself) {
  v1::GetPlanRequest get;
  get.set_name(names_a_->plan);
  v1::Plan plan;
  std::string viewer = TokenOf("a", v1::VIEWER);
  ASSERT_TRUE(Plans()->GetPlan(Context(viewer).get(), get, &plan).ok());
  int port = plan_->grpc_port;
  plan_->process->Signal(SIGKILL);
  plan_->process->Wait(absl::Seconds(10));
  grpc::Status down;
  ASSERT_TRUE(WaitUntil(
      [&] {
        down = Plans()->GetPlan(Context(viewer).get(), get, &plan);
        return down.error_code() == StatusCode::UNAVAILABLE;
      },
      absl::Seconds(10)));
  EXPECT_EQ(down.error_message(), "plan-service is unavailable; retry shortly");
  // The gateway's own service answers meanwhile.
  v1::ListTokensRequest list;
  list.set_parent("organisations/a");
  v1::ListTokensResponse tokens;
  EXPECT_TRUE(Tokens()->ListTokens(Context(TokenOf("a", v1::ADMIN)).get(), list, &tokens).ok());
  EXPECT_TRUE(Serving(*channel_));

  *plan_ = StartBinary(PLAN_SERVICE_BIN, plan_db_->uri_string(), {}, port);
  absl::Time restarted = absl::Now();
  EXPECT_TRUE(WaitUntil([&] { return Plans()->GetPlan(Context(viewer).get(), get, &plan).ok(); },
                        absl::Seconds(20)))
      << plan_->process->Log();
  // Reconnect backoff is capped at 2 s, so recovery follows the backend's
  // start-up closely.
  EXPECT_LT(absl::Now() - restarted, absl::Seconds(10));
  EXPECT_EQ(plan.name(), names_a_->plan);
}

}  // namespace
}  // namespace gt::gateway::testing
