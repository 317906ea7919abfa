// The fixture of gtctl's end-to-end tests: the gtctl binary, run as a user
// would run it, against the real gateway, plan-service and milestone-service
// binaries over fresh databases (GT_TEST_MYSQL_URI). One suite of services
// for the whole binary; tests that write use plan ids of their own.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/importers/importers.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "goldenthread/v1/token.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gt/test_database.h"
#include "gt/test_process.h"

namespace gt::gtctl {
namespace e2e {

namespace v1 = goldenthread::v1;

struct Running {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  std::string address() const { return absl::StrCat("127.0.0.1:", port); }
};

inline Running Start(const std::string& binary, const std::string& uri,
                     std::vector<std::string> flags, int port = 0) {
  EnsureTestIdentityKey();
  Running r;
  r.port = port != 0 ? port : FreePort();
  std::vector<std::string> argv = {binary, absl::StrCat("--grpc_port=", r.port),
                                   absl::StrCat("--metrics_port=", FreePort()),
                                   "--bind_address=127.0.0.1"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::string name = binary.substr(binary.rfind('/') + 1);
  r.process = std::make_unique<ChildProcess>(
      argv, std::map<std::string, std::string>{{"GT_MYSQL_URI", uri}},
      absl::StrCat(::testing::TempDir(), "gtctl-", name, "-", r.port, ".log"));
  return r;
}

inline bool Serving(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(500)));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, {}, &response).ok() &&
         response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string Seed(const std::string& prefix) {
  for (const char* name :
       {"000_0fbffd0030868d04.txt", "001_438444c0e1c0bfc6.txt", "002_35223a6a9f2d723a.txt",
        "003_ec2567edfe30a260.txt", "004_7f0182a806b988ca.txt"}) {
    if (absl::StartsWith(name, prefix)) {
      return absl::StrCat(SEEDS_DIR, "/", name);
    }
  }
  ADD_FAILURE() << "no seed " << prefix;
  return "";
}

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.code << "\n--- stdout\n"
            << r.out.substr(0, 3000) << "\n--- stderr\n"
            << r.err.substr(0, 3000);
}

class GtctlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plan_db_ = new TestDatabase("gtctl_plan");
    milestone_db_ = new TestDatabase("gtctl_milestone");
    gateway_db_ = new TestDatabase("gtctl_gateway");
    plan_ = new Running(Start(PLAN_SERVICE_BIN, plan_db_->uri_string(), {}));
    milestone_ = new Running(Start(MILESTONE_SERVICE_BIN, milestone_db_->uri_string(),
                                   {absl::StrCat("--plan_service_addr=", plan_->address())}));
    report_ =
        new Running(Start(REPORT_SERVICE_BIN, "",
                          {absl::StrCat("--plan_service_addr=", plan_->address()),
                           absl::StrCat("--milestone_service_addr=", milestone_->address())}));
    gateway_ = new Running(
        Start(GATEWAY_BIN, gateway_db_->uri_string(),
              {"--rate_limit_burst=100000", absl::StrCat("--plan_service_addr=", plan_->address()),
               absl::StrCat("--milestone_service_addr=", milestone_->address()),
               absl::StrCat("--report_service_addr=", report_->address())}));
    for (Running* r : {plan_, milestone_, report_, gateway_}) {
      ASSERT_TRUE(WaitUntil([r] { return Serving(r->address()); }, absl::Seconds(30)))
          << r->process->Log();
    }
    // Operators create organisations on plan-service directly.
    auto plans = v1::PlanService::NewStub(
        grpc::CreateChannel(plan_->address(), grpc::InsecureChannelCredentials()));
    for (const char* org : {"th", "other"}) {
      grpc::ClientContext context;
      SealAsOperator(context);
      v1::CreateOrganisationRequest create;
      create.set_organisation_id(org);
      create.mutable_organisation()->set_display_name(org);
      v1::Organisation created;
      ASSERT_TRUE(plans->CreateOrganisation(&context, create, &created).ok());
    }
    admin_ = new std::string(CreateToken("th"));
    other_admin_ = new std::string(CreateToken("other"));
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete report_;
    delete milestone_;
    delete plan_;
    delete gateway_db_;
    delete milestone_db_;
    delete plan_db_;
    delete admin_;
    delete other_admin_;
  }

  static std::string CreateToken(const std::string& org) {
    std::string out = absl::StrCat(::testing::TempDir(), "gtctl-token-", org);
    std::string command = absl::StrCat("GT_MYSQL_URI='", gateway_db_->uri_string(), "' '",
                                       GATEWAY_BIN, "' --create_token --organisation=", org,
                                       " --role=ADMIN --subject=ops >'", out, "' 2>/dev/null");
    EXPECT_EQ(std::system(command.c_str()), 0);
    return std::string(absl::StripAsciiWhitespace(ReadText(out)));
  }

  // Runs gtctl with `args` (shell words, already quoted) and the token.
  static Result Gtctl(const std::string& args, const std::string& token = "",
                      const std::string& addr = "") {
    std::string base = absl::StrCat(::testing::TempDir(), "gtctl-run-", getpid());
    std::string command =
        absl::StrCat("GT_ADDR='", addr.empty() ? gateway_->address() : addr, "' GT_TOKEN='",
                     token.empty() ? *admin_ : token, "' GT_ORG= '", GTCTL_BIN, "' ", args, " >'",
                     base, ".out' 2>'", base, ".err' </dev/null");
    int status = std::system(command.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadText(base + ".out");
    r.err = ReadText(base + ".err");
    return r;
  }

  static std::string Tmp(const std::string& name) {
    return absl::StrCat(::testing::TempDir(), "gtctl-", getpid(), "-", name);
  }

  static std::vector<v1::Milestone> Milestones(const std::string& plan,
                                               const std::string& extra = "") {
    Result r = Gtctl(absl::StrCat("milestones list ", plan, " --output json ", extra));
    EXPECT_EQ(r.code, 0) << r;
    v1::ListMilestonesResponse response;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &response).ok()) << r.out;
    return {response.milestones().begin(), response.milestones().end()};
  }

  // The document the readers make of these seeds (what an import must write).
  static importers::ImportedPlan Read(const std::vector<std::string>& seeds) {
    importers::ImportedPlan merged;
    for (size_t i = 0; i < seeds.size(); ++i) {
      auto doc = importers::ReadDocument(ReadText(Seed(seeds[i])));
      EXPECT_TRUE(doc.ok()) << doc.status();
      if (i == 0) {
        merged = *doc;
      } else {
        EXPECT_TRUE(importers::MergeInto(merged, *doc).ok());
      }
    }
    return merged;
  }

  // An export without the milestones' ids (which differ between plans).
  static std::string WithoutIds(const std::string& text) {
    std::string out;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (absl::StrContains(line, "\"name\": \"organisations/") &&
          absl::StrContains(line, "/milestones/")) {
        continue;
      }
      if (absl::StartsWith(line, "organisations/")) {
        line.remove_prefix(line.find(','));
      }
      absl::StrAppend(&out, line, "\n");
    }
    return out;
  }

  static int CountLines(const std::string& text, const std::string& needle) {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (absl::StrContains(line, needle)) {
        ++n;
      }
    }
    return n;
  }

  static TestDatabase* plan_db_;
  static TestDatabase* milestone_db_;
  static TestDatabase* gateway_db_;
  static Running* plan_;
  static Running* milestone_;
  static Running* gateway_;
  static Running* report_;
  static std::string* admin_;
  static std::string* other_admin_;
};

inline TestDatabase* GtctlTest::plan_db_ = nullptr;
inline TestDatabase* GtctlTest::milestone_db_ = nullptr;
inline TestDatabase* GtctlTest::gateway_db_ = nullptr;
inline Running* GtctlTest::plan_ = nullptr;
inline Running* GtctlTest::milestone_ = nullptr;
inline Running* GtctlTest::gateway_ = nullptr;
inline Running* GtctlTest::report_ = nullptr;
inline std::string* GtctlTest::admin_ = nullptr;
inline std::string* GtctlTest::other_admin_ = nullptr;

}  // namespace e2e
}  // namespace gt::gtctl
