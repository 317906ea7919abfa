// Process tests: the real plan-service binary, signalled and starved of its
// database as an operator's platform would.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gt/test_database.h"
#include "gt/test_http.h"
#include "gt/test_process.h"

namespace gt {
namespace {

namespace v1 = goldenthread::v1;
using grpc::health::v1::HealthCheckResponse;

struct Service {
  std::unique_ptr<ChildProcess> process;
  int grpc_port;
  int metrics_port;
  std::string address() const { return absl::StrCat("127.0.0.1:", grpc_port); }
};

Service StartPlanService(const std::string& mysql_uri, std::vector<std::string> extra_flags = {}) {
  EnsureTestIdentityKey();
  Service s;
  s.grpc_port = FreePort();
  s.metrics_port = FreePort();
  std::vector<std::string> argv = {PLAN_SERVICE_BIN, absl::StrCat("--grpc_port=", s.grpc_port),
                                   absl::StrCat("--metrics_port=", s.metrics_port),
                                   "--bind_address=127.0.0.1"};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  std::string log = absl::StrCat(::testing::TempDir(), "plan-service-", s.grpc_port, ".log");
  s.process = std::make_unique<ChildProcess>(
      argv, std::map<std::string, std::string>{{"GT_MYSQL_URI", mysql_uri}}, log);
  return s;
}

HealthCheckResponse::ServingStatus Health(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, {}, &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(10)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  SealAsOperator(*context);
  return context;
}

v1::PlanTree BigTree() {
  v1::PlanTree tree;
  tree.mutable_plan()->set_title("Big plan");
  tree.mutable_plan()->set_period_start("2019-04-01");
  tree.mutable_plan()->set_period_end("2022-03-31");
  for (int p = 1; p <= 3; ++p) {
    auto* priority = tree.add_priorities();
    priority->set_code(absl::StrCat(p));
    priority->set_title(absl::StrCat("Priority ", p));
    for (int o = 1; o <= 10; ++o) {
      auto* outcome = priority->add_outcomes();
      outcome->set_code(absl::StrCat(p, ".", o));
      outcome->set_title(absl::StrCat("Outcome ", outcome->code()));
      for (int a = 1; a <= 30; ++a) {
        auto* activity = outcome->add_activities();
        activity->set_code(absl::StrCat(outcome->code(), ".", a));
        activity->set_title(absl::StrCat("Activity ", activity->code()));
      }
    }
  }
  return tree;
}

void CreateOrganisation(v1::PlanService::Stub& stub, const std::string& id) {
  v1::CreateOrganisationRequest request;
  request.set_organisation_id(id);
  request.mutable_organisation()->set_display_name(id);
  v1::Organisation org;
  grpc::Status status = stub.CreateOrganisation(Context().get(), request, &org);
  ASSERT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
      << status.error_message();
}

TEST(PlanServiceProcess, SigtermDrainsInFlightCallsAndExitsZero) {
  TestDatabase db("plan_sigterm");
  Service s = StartPlanService(db.uri_string(),
                               {"--shutdown_delay_seconds=1", "--shutdown_grace_seconds=10"});
  ASSERT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::SERVING; },
                        absl::Seconds(30)))
      << s.process->Log();
  auto channel = grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::PlanService::NewStub(channel);
  CreateOrganisation(*stub, "th");

  struct Call {
    absl::Time start, end;
    grpc::StatusCode code;
  };
  std::mutex mu;
  std::vector<Call> calls;
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  v1::PlanTree tree = BigTree();
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto own = v1::PlanService::NewStub(channel);
      while (!stop) {
        v1::ImportPlanRequest request;
        request.set_parent("organisations/th");
        request.set_plan_id(absl::StrCat("big-", t));
        request.set_replace(true);
        *request.mutable_tree() = tree;
        v1::PlanTree response;
        Call call{absl::Now(), {}, grpc::StatusCode::OK};
        call.code =
            own->ImportPlan(Context(absl::Seconds(20)).get(), request, &response).error_code();
        call.end = absl::Now();
        ok += call.code == grpc::StatusCode::OK;
        std::lock_guard<std::mutex> lock(mu);
        calls.push_back(call);
        if (call.code != grpc::StatusCode::OK) {
          return;  // the server has stopped taking calls
        }
      }
    });
  }
  ASSERT_TRUE(WaitUntil([&] { return ok >= 4; }, absl::Seconds(60)));
  absl::Time signalled = absl::Now();
  s.process->Signal(SIGTERM);
  // Health turns NOT_SERVING while the server still answers.
  EXPECT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::NOT_SERVING; },
                        absl::Seconds(5)));
  int exit_code = s.process->Wait(absl::Seconds(15));
  absl::Duration took = absl::Now() - signalled;
  stop = true;
  for (auto& c : clients) {
    c.join();
  }
  EXPECT_EQ(exit_code, 0) << s.process->Log();
  EXPECT_LT(took, absl::Seconds(1 + 10));
  int in_flight = 0;
  for (const Call& call : calls) {
    if (call.start < signalled) {
      // Started before SIGTERM: finished, and finished well.
      ++in_flight;
      EXPECT_EQ(call.code, grpc::StatusCode::OK);
    } else {
      EXPECT_TRUE(call.code == grpc::StatusCode::OK || call.code == grpc::StatusCode::UNAVAILABLE)
          << "code " << call.code;
    }
  }
  EXPECT_GT(in_flight, 0);
  EXPECT_NE(s.process->Log().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST(PlanServiceProcess, DatabaseOutageIsUnavailableThenRecoversWithoutRestart) {
  MariaDbServer mariadb;
  Service s = StartPlanService(mariadb.CreateDatabase("gt_plan"));
  ASSERT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::SERVING; },
                        absl::Seconds(30)))
      << s.process->Log();
  auto stub = v1::PlanService::NewStub(
      grpc::CreateChannel(s.address(), grpc::InsecureChannelCredentials()));
  CreateOrganisation(*stub, "th");
  v1::ListPlansRequest list;
  list.set_parent("organisations/th");
  v1::ListPlansResponse plans;
  ASSERT_TRUE(stub->ListPlans(Context().get(), list, &plans).ok());

  mariadb.Stop();
  v1::CreatePlanRequest create;
  create.set_parent("organisations/th");
  create.set_plan_id("during-outage");
  create.mutable_plan()->set_title("x");
  create.mutable_plan()->set_period_start("2020-01-01");
  create.mutable_plan()->set_period_end("2020-12-31");
  for (int i = 0; i < 5; ++i) {
    grpc::Status listed = stub->ListPlans(Context().get(), list, &plans);
    EXPECT_EQ(listed.error_code(), grpc::StatusCode::UNAVAILABLE) << listed.error_message();
    v1::Plan plan;
    grpc::Status created = stub->CreatePlan(Context().get(), create, &plan);
    EXPECT_EQ(created.error_code(), grpc::StatusCode::UNAVAILABLE) << created.error_message();
    EXPECT_EQ(created.error_message(), "the database is unavailable; retry shortly");
  }
  EXPECT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::NOT_SERVING; },
                        absl::Seconds(10)));

  mariadb.Start();
  absl::Time back = absl::Now();
  EXPECT_TRUE(
      WaitUntil([&] { return stub->ListPlans(Context(absl::Seconds(2)).get(), list, &plans).ok(); },
                absl::Seconds(10)));
  EXPECT_LT(absl::Now() - back, absl::Seconds(10));
  v1::Plan plan;
  EXPECT_TRUE(stub->CreatePlan(Context().get(), create, &plan).ok());
  EXPECT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::SERVING; },
                        absl::Seconds(10)));
  EXPECT_TRUE(s.process->Running()) << "plan-service must survive the outage";
  EXPECT_EQ(s.process->Log().find("\"code\":\"Internal\""), std::string::npos)
      << "no call may answer INTERNAL during an outage";
}

TEST(PlanServiceProcess, MetricsPassPromtoolAndListEveryMethodAtZero) {
  TestDatabase db("plan_metrics");
  Service s = StartPlanService(db.uri_string());
  ASSERT_TRUE(WaitUntil([&] { return Health(s.address()) == HealthCheckResponse::SERVING; },
                        absl::Seconds(30)));
  std::string metrics = HttpGet(s.metrics_port, "/metrics");
  const auto* service = v1::Plan::descriptor()->file()->FindServiceByName("PlanService");
  for (int i = 0; i < service->method_count(); ++i) {
    std::string series = absl::StrCat("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"",
                                      service->method(i)->name(),
                                      "\",grpc_service=\"goldenthread.v1.PlanService\","
                                      "grpc_type=\"unary\"} 0");
    EXPECT_NE(metrics.find(series), std::string::npos) << series;
  }
  std::string file = absl::StrCat(::testing::TempDir(), "plan-metrics.txt");
  FILE* f = std::fopen(file.c_str(), "w");
  std::fwrite(metrics.data(), 1, metrics.size(), f);
  std::fclose(f);
  std::string command = absl::StrCat("promtool check metrics < ", file, " 2>&1");
  FILE* p = popen(command.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), p)) {
    output.append(buffer, n);
  }
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << "promtool check metrics:\n" << output;
}

}  // namespace
}  // namespace gt
