#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "generic_client.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "goldenthread/v1/report.grpc.pb.h"
#include "goldenthread/v1/token.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gt/sql_util.h"
#include "gt/test_database.h"
#include "gt/test_process.h"
#include "request_table.h"

namespace gt::gateway::testing {

// A service binary running as a child process.
struct Running {
  std::unique_ptr<ChildProcess> process;
  int grpc_port = 0;
  int metrics_port = 0;
  std::string address() const { return absl::StrCat("127.0.0.1:", grpc_port); }
};

// The service binary to run: the one built with the test, or, when
// GT_SUITE_BIN_DIR is set, the one of the same name there (e.g. an older
// build, to see what it gets wrong).
inline std::string SuiteBinary(const std::string& built) {
  const char* dir = std::getenv("GT_SUITE_BIN_DIR");
  if (dir == nullptr || *dir == '\0') {
    return built;
  }
  return absl::StrCat(dir, "/", built.substr(built.rfind('/') + 1));
}

inline Running StartBinary(const std::string& built_binary, const std::string& mysql_uri,
                           std::vector<std::string> flags, int grpc_port = 0) {
  EnsureTestIdentityKey();
  const std::string binary = SuiteBinary(built_binary);
  Running r;
  r.grpc_port = grpc_port != 0 ? grpc_port : FreePort();
  r.metrics_port = FreePort();
  std::vector<std::string> argv = {binary, absl::StrCat("--grpc_port=", r.grpc_port),
                                   absl::StrCat("--metrics_port=", r.metrics_port),
                                   "--bind_address=127.0.0.1"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string name = binary.substr(binary.rfind('/') + 1);
  std::string log = absl::StrCat(::testing::TempDir(), name, "-", r.grpc_port, ".log");
  r.process = std::make_unique<ChildProcess>(
      argv, std::map<std::string, std::string>{{"GT_MYSQL_URI", mysql_uri}}, log);
  return r;
}

inline bool Serving(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(500)));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

inline std::shared_ptr<grpc::Channel> Plaintext(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// `gateway --create_token`: stdout must be the token and nothing else; the
// log (stderr) must not contain it.
inline std::string CreateTokenWithCli(const std::string& gateway_binary,
                                      const std::string& mysql_uri, const std::string& org,
                                      const std::string& role, const std::string& subject) {
  std::string log = absl::StrCat(::testing::TempDir(), "create-token-", org, "-", role, ".log");
  std::string command =
      absl::StrCat("GT_MYSQL_URI='", mysql_uri, "' '", SuiteBinary(gateway_binary),
                   "' --create_token --organisation=", org, " --role=", role,
                   " --subject=", subject, " 2>'", log, "'");
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[256];
  while (pipe != nullptr && fgets(buffer, sizeof(buffer), pipe) != nullptr) {
    out += buffer;
  }
  int status = pipe != nullptr ? pclose(pipe) : -1;
  EXPECT_EQ(status, 0) << out;
  std::string token(absl::StripTrailingAsciiWhitespace(out));
  EXPECT_EQ(token.find('\n'), std::string::npos) << "more than the token on stdout: " << out;
  EXPECT_EQ(token.rfind(absl::StrCat("gt_", org, "_"), 0), 0u) << out;
  std::ifstream in(log);
  std::stringstream logged;
  logged << in.rdbuf();
  EXPECT_EQ(logged.str().find(token), std::string::npos) << "the token reached the log";
  return token;
}

inline std::unique_ptr<grpc::ClientContext> Context(const std::string& token,
                                                    absl::Duration timeout = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!token.empty()) {
    context->AddMetadata("authorization", "Bearer " + token);
  } else {
    // Without a token: an operator's call straight to a backend (the gateway
    // strips the seal from its clients, so calls through it are unchanged).
    SealAsOperator(*context);
  }
  return context;
}

namespace v1 = goldenthread::v1;

// plan-service, milestone-service and the gateway as child processes over
// fresh databases;
// organisations a and b, a token of every role in a, b and r (r exists only
// in the gateway), and one of each kind of resource in a.
class GatewayE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plan_db_ = new TestDatabase("plan_e2e");
    gateway_db_ = new TestDatabase("gateway_e2e");
    milestone_db_ = new TestDatabase("milestone_e2e");
    plan_ = new Running(StartBinary(PLAN_SERVICE_BIN, plan_db_->uri_string(), {}));
    milestone_ = new Running(StartBinary(MILESTONE_SERVICE_BIN, milestone_db_->uri_string(),
                                         {absl::StrCat("--plan_service_addr=", plan_->address())}));
    report_ = new Running(
        StartBinary(REPORT_SERVICE_BIN, "",
                    {absl::StrCat("--plan_service_addr=", plan_->address()),
                     absl::StrCat("--milestone_service_addr=", milestone_->address())}));
    // Throttling of guessed tokens is tried on a gateway of its own
    // (security_test); here the tables send hundreds of unknown tokens.
    gateway_ = new Running(
        StartGateway({"--rate_limit_burst=10000", "--auth_failures_per_minute=1000000"}));
    ASSERT_TRUE(WaitUntil([] { return Serving(Plaintext(plan_->address())); }, absl::Seconds(30)))
        << plan_->process->Log();
    ASSERT_TRUE(
        WaitUntil([] { return Serving(Plaintext(gateway_->address())); }, absl::Seconds(30)))
        << gateway_->process->Log();
    ASSERT_TRUE(
        WaitUntil([] { return Serving(Plaintext(milestone_->address())); }, absl::Seconds(30)))
        << milestone_->process->Log();
    ASSERT_TRUE(WaitUntil([] { return Serving(Plaintext(report_->address())); }, absl::Seconds(30)))
        << report_->process->Log();
    channel_ = new std::shared_ptr<grpc::Channel>(Plaintext(gateway_->address()));
    for (const char* org : {"a", "b"}) {
      v1::CreateOrganisationRequest create;
      create.set_organisation_id(org);
      create.mutable_organisation()->set_display_name(absl::StrCat("Council ", org));
      v1::Organisation created;
      // Operators create organisations on plan-service directly.
      ASSERT_TRUE(PlanDirect()->CreateOrganisation(Context("").get(), create, &created).ok());
    }
    tokens_ = new std::map<std::string, std::string>();
    for (const char* org : {"a", "b", "r"}) {
      (*tokens_)[absl::StrCat(org, "/ADMIN")] =
          CreateTokenWithCli(GATEWAY_BIN, gateway_db_->uri_string(), org, "ADMIN", "ops");
      for (v1::Role role : {v1::VIEWER, v1::UPDATER, v1::PLANNER}) {
        (*tokens_)[absl::StrCat(org, "/", v1::Role_Name(role))] = NewToken(org, role);
      }
    }
    names_a_ = new Names(PopulateA());
  }

  static void TearDownTestSuite() {
    delete channel_;
    delete gateway_;
    delete report_;
    delete milestone_;
    delete plan_;
    delete names_a_;
    delete tokens_;
    delete gateway_db_;
    delete milestone_db_;
    delete plan_db_;
  }

  static Running StartGateway(std::vector<std::string> flags) {
    flags.push_back(absl::StrCat("--plan_service_addr=", plan_->address()));
    flags.push_back(absl::StrCat("--milestone_service_addr=", milestone_->address()));
    flags.push_back(absl::StrCat("--report_service_addr=", report_->address()));
    return StartBinary(GATEWAY_BIN, gateway_db_->uri_string(), flags);
  }

  static std::unique_ptr<v1::PlanService::Stub> PlanDirect() {
    return v1::PlanService::NewStub(Plaintext(plan_->address()));
  }
  static std::unique_ptr<v1::PlanService::Stub> Plans() {
    return v1::PlanService::NewStub(*channel_);
  }
  static std::unique_ptr<v1::MilestoneService::Stub> Milestones() {
    return v1::MilestoneService::NewStub(*channel_);
  }
  static std::unique_ptr<v1::MilestoneService::Stub> MilestonesDirect() {
    return v1::MilestoneService::NewStub(Plaintext(milestone_->address()));
  }
  static std::unique_ptr<v1::ReportService::Stub> Reports() {
    return v1::ReportService::NewStub(*channel_);
  }
  static std::unique_ptr<v1::TokenService::Stub> Tokens() {
    return v1::TokenService::NewStub(*channel_);
  }
  static const std::string& TokenOf(const std::string& org, v1::Role role) {
    return tokens_->at(absl::StrCat(org, "/", v1::Role_Name(role)));
  }

  // A token made through TokenService, by the organisation's admin.
  static std::string NewToken(const std::string& org, v1::Role role,
                              std::optional<absl::Time> expire = std::nullopt,
                              std::string* name = nullptr) {
    v1::CreateTokenRequest create;
    create.set_parent(absl::StrCat("organisations/", org));
    create.mutable_token()->set_role(role);
    create.mutable_token()->set_subject(absl::StrCat(org, "-", v1::Role_Name(role)));
    if (expire) {
      *create.mutable_token()->mutable_expire_time() = ToTimestamp(*expire);
    }
    v1::CreateTokenResponse created;
    grpc::Status status =
        Tokens()->CreateToken(Context(TokenOf(org, v1::ADMIN)).get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (name != nullptr) {
      *name = created.token().name();
    }
    return created.secret();
  }

  // Organisation a's plan, through the gateway as its PLANNER: one of each
  // kind of resource, so every name in the tables is a real one.
  static Names PopulateA() {
    v1::ImportPlanRequest import;
    import.set_parent("organisations/a");
    import.set_plan_id("2017-18");
    auto* tree = import.mutable_tree();
    tree->mutable_plan()->set_title("Strategic Plan 2017/18");
    tree->mutable_plan()->set_period_start("2017-04-01");
    tree->mutable_plan()->set_period_end("2018-03-31");
    auto* priority = tree->add_priorities();
    priority->set_code("1");
    priority->set_title("A Great Place to Live");
    priority->add_measures()->set_title("Residents satisfied");
    auto* outcome = priority->add_outcomes();
    outcome->set_code("1.1");
    outcome->set_title("Safer streets");
    outcome->add_activities()->set_code("1.1.1");
    outcome->mutable_activities(0)->set_title("Street lighting");
    v1::PlanTree created;
    grpc::Status status =
        Plans()->ImportPlan(Context(TokenOf("a", v1::PLANNER)).get(), import, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    Names n;
    n.org = "organisations/a";
    n.plan = created.plan().name();
    n.priority = created.priorities(0).name();
    n.outcome = created.priorities(0).outcomes(0).name();
    n.activity = created.priorities(0).outcomes(0).activities(0).name();
    n.measure = created.priorities(0).measures(0).name();
    v1::CreateMilestoneRequest milestone;
    milestone.set_parent(n.plan);
    milestone.mutable_milestone()->set_activity(n.activity);
    milestone.mutable_milestone()->set_title("Replace 400 lamp columns");
    milestone.mutable_milestone()->set_directorate("CLC");
    milestone.mutable_milestone()->set_baseline_deadline("2017-12-31");
    v1::Milestone created_milestone;
    status = Milestones()->CreateMilestone(Context(TokenOf("a", v1::PLANNER)).get(), milestone,
                                           &created_milestone);
    EXPECT_TRUE(status.ok()) << status.error_message();
    n.milestone = created_milestone.name();
    v1::CreateMeasureValueRequest value;
    value.set_parent(n.measure);
    value.mutable_value()->set_date("2017-12-31");
    value.mutable_value()->set_value(71);
    v1::MeasureValue stored;
    EXPECT_TRUE(
        Plans()->CreateMeasureValue(Context(TokenOf("a", v1::PLANNER)).get(), value, &stored).ok());
    NewToken("a", v1::VIEWER, std::nullopt, &n.token);
    return n;
  }

  // Everything a holds, read directly from plan-service and the gateway's
  // token table: equal before and after means nothing changed.
  static std::string SnapshotOfA(bool strict = true) {
    // strict: organisation a still holds what PopulateA made (the tests that
    // only refuse); otherwise any state, read as it is (the fuzzer's).
    std::string codes;
    auto read = [&](const grpc::Status& status) {
      if (strict) {
        EXPECT_TRUE(status.ok()) << status.error_message();
      }
      absl::StrAppend(&codes, status.error_code(), ",");
    };
    auto direct = PlanDirect();
    v1::GetPlanTreeRequest tree_request;
    tree_request.set_name(names_a_->plan);
    v1::PlanTree tree;
    read(direct->GetPlanTree(Context("").get(), tree_request, &tree));
    v1::ListPlansRequest plans_request;
    plans_request.set_parent("organisations/a");
    v1::ListPlansResponse plans;
    read(direct->ListPlans(Context("").get(), plans_request, &plans));
    v1::ListMeasureValuesRequest values_request;
    values_request.set_parent(names_a_->measure);
    v1::ListMeasureValuesResponse values;
    read(direct->ListMeasureValues(Context("").get(), values_request, &values));
    v1::GetOrganisationRequest org_request;
    org_request.set_name("organisations/a");
    v1::Organisation org;
    read(direct->GetOrganisation(Context("").get(), org_request, &org));
    if (strict) {
      EXPECT_EQ(tree.priorities_size(), 1);
      EXPECT_EQ(values.values_size(), 1);
    }
    v1::ListMilestonesRequest milestones_request;
    milestones_request.set_parent(names_a_->plan);
    v1::ListMilestonesResponse milestones;
    read(MilestonesDirect()->ListMilestones(Context("").get(), milestones_request, &milestones));
    v1::ListMilestoneUpdatesRequest history_request;
    history_request.set_parent(names_a_->plan);
    v1::ListMilestoneUpdatesResponse history;
    read(MilestonesDirect()->ListMilestoneUpdates(Context("").get(), history_request, &history));
    return absl::StrCat(
        codes, milestones.SerializeAsString(), history.SerializeAsString(),
        tree.SerializeAsString(), plans.SerializeAsString(), values.SerializeAsString(),
        org.SerializeAsString(),
        gateway_db_->QueryScalar("SELECT CONCAT(COUNT(*), '/', COUNT(revoke_time)) FROM api_tokens "
                                 "WHERE org_id = 'a'"));
  }

  static Reply Call(const MethodCase& c, const Names& names, const Metadata& metadata) {
    auto request = BuildRequest(c, names);
    EXPECT_NE(request, nullptr) << c.method;
    // An allowed watch stays open until its deadline: a short one, since
    // these tests only ask whether the gateway let it through.
    bool stream = c.method.find("Watch") != std::string::npos;
    return CallMethod(*channel_, Path(c), *request, metadata,
                      stream ? absl::Milliseconds(500) : absl::Seconds(10));
  }

  static TestDatabase* plan_db_;
  static TestDatabase* gateway_db_;
  static Running* plan_;
  static Running* gateway_;
  static TestDatabase* milestone_db_;
  static Running* milestone_;
  static Running* report_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static std::map<std::string, std::string>* tokens_;
  static Names* names_a_;
};

inline TestDatabase* GatewayE2eTest::plan_db_ = nullptr;
inline TestDatabase* GatewayE2eTest::gateway_db_ = nullptr;
inline Running* GatewayE2eTest::plan_ = nullptr;
inline Running* GatewayE2eTest::gateway_ = nullptr;
inline TestDatabase* GatewayE2eTest::milestone_db_ = nullptr;
inline Running* GatewayE2eTest::milestone_ = nullptr;
inline Running* GatewayE2eTest::report_ = nullptr;
inline std::shared_ptr<grpc::Channel>* GatewayE2eTest::channel_ = nullptr;
inline std::map<std::string, std::string>* GatewayE2eTest::tokens_ = nullptr;
inline Names* GatewayE2eTest::names_a_ = nullptr;

}  // namespace gt::gateway::testing
