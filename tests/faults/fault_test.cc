// The fault suite: the real services as processes over a durable MariaDB of
// their own, 16 callers updating progress through the gateway with request
// ids and retries, and faults injected under that load — MariaDB killed,
// services killed and stopped with SIGTERM, a global read lock, and the
// database connection cut at the very moment of COMMIT (before and after the
// server has it). After each: every acknowledged update is in history
// exactly once, nothing was refused after being written, every milestone's
// state is the fold of its history, the service's update counter equals the
// history it wrote, and only retryable codes were seen. Recovery times are
// printed.
//
// Environment: GT_FAULT_DB_KILLS (12), GT_FAULT_SIGTERMS (3), GT_FAULT_CALLERS
// (16); GT_SUITE_BIN_DIR runs the service binaries found there instead of
// the ones built with the test (e.g. an older build, to see what it lost).
// scripts/fault-soak.sh runs it with 100 kills and 20 SIGTERMs.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "e2e_fixture.h"
#include "fault_load.h"
#include "gt/test_http.h"
#include "gt/test_process.h"
#include "mysql_cut_proxy.h"

namespace gt::faults {
namespace {

using gateway::testing::Context;
using gateway::testing::CreateTokenWithCli;
using gateway::testing::Plaintext;
using gateway::testing::Running;
using gateway::testing::Serving;
using gateway::testing::StartBinary;
namespace v1 = goldenthread::v1;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  return value != nullptr && absl::SimpleAtoi(value, &parsed) ? parsed : fallback;
}

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : absl::StrCat(i);
}

std::string Codes(const LoadOutcome& outcome) {
  std::string out;
  for (const auto& [code, count] : outcome.codes) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", CodeName(code), " ", count);
  }
  return out;
}

// Sum of a counter family's samples in a /metrics text.
double CounterSum(const std::string& metrics, const std::string& name) {
  double total = 0;
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (line.rfind(name, 0) != 0 ||
        (line.size() > name.size() && line[name.size()] != '{' && line[name.size()] != ' ')) {
      continue;
    }
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) {
      total += value;
    }
  }
  return total;
}

class FaultSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new MariaDbServer();
    proxy_ = new MysqlCutProxy(db_->port());
    plan_uri_ = new std::string(db_->CreateDatabase("gt_plan"));
    gateway_uri_ = new std::string(db_->CreateDatabase("gt_gateway"));
    // milestone-service reaches MariaDB through the proxy that cuts COMMITs.
    std::string direct = db_->CreateDatabase("gt_milestone");
    milestone_uri_ = new std::string(absl::StrReplaceAll(
        direct, {{absl::StrCat(":", db_->port(), "/"), absl::StrCat(":", proxy_->port(), "/")}}));
    plan_ = new Running(StartBinary(PLAN_SERVICE_BIN, *plan_uri_, {}));
    milestone_ = new Running(StartMilestone(0));
    gateway_ = new Running(StartGateway(0));
    for (Running* r : {plan_, milestone_, gateway_}) {
      ASSERT_TRUE(WaitUntil([r] { return Serving(Plaintext(r->address())); }, absl::Seconds(60)))
          << r->process->Log();
    }
    v1::CreateOrganisationRequest org;
    org.set_organisation_id("f");
    org.mutable_organisation()->set_display_name("Fault Council");
    v1::Organisation created_org;
    ASSERT_TRUE(v1::PlanService::NewStub(Plaintext(plan_->address()))
                    ->CreateOrganisation(Context("").get(), org, &created_org)
                    .ok());
    token_ = new std::string(CreateTokenWithCli(GATEWAY_BIN, *gateway_uri_, "f", "ADMIN", "ops"));
    milestones_ = new std::vector<std::string>(CreatePlan());
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete milestone_;
    delete plan_;
    delete milestones_;
    delete token_;
    delete proxy_;
    delete db_;
    delete plan_uri_;
    delete gateway_uri_;
    delete milestone_uri_;
  }

  void SetUp() override {
    // Every test starts from a suite that serves.
    for (Running* r : {plan_, milestone_, gateway_}) {
      ASSERT_TRUE(WaitUntil([r] { return Serving(Plaintext(r->address())); }, absl::Seconds(60)))
          << r->process->Log();
    }
    counter_base_ = UpdateCounter();
    history_base_ = ProgressRows();
  }

  static Running StartMilestone(int port) {
    return StartBinary(
        MILESTONE_SERVICE_BIN, *milestone_uri_,
        {absl::StrCat("--plan_service_addr=", plan_->address()), "--shutdown_grace_seconds=10"},
        port);
  }

  static Running StartGateway(int port) {
    return StartBinary(GATEWAY_BIN, *gateway_uri_,
                       {absl::StrCat("--plan_service_addr=", plan_->address()),
                        absl::StrCat("--milestone_service_addr=", milestone_->address()),
                        // report-service is not part of this suite; any address will do.
                        absl::StrCat("--report_service_addr=", plan_->address()),
                        "--rate_limit_per_second=1000000", "--rate_limit_burst=1000000",
                        "--shutdown_grace_seconds=10"},
                       port);
  }

  // A plan with one activity and 24 milestones, made through the gateway.
  static std::vector<std::string> CreatePlan() {
    v1::ImportPlanRequest import;
    import.set_parent("organisations/f");
    import.set_plan_id("faults");
    auto* tree = import.mutable_tree();
    tree->mutable_plan()->set_title("Plan under fire");
    tree->mutable_plan()->set_period_start("2026-04-01");
    tree->mutable_plan()->set_period_end("2027-03-31");
    auto* priority = tree->add_priorities();
    priority->set_code("1");
    priority->set_title("Resilience");
    auto* outcome = priority->add_outcomes();
    outcome->set_code("1.1");
    outcome->set_title("Nothing lost");
    auto* activity = outcome->add_activities();
    activity->set_code("1.1.1");
    activity->set_title("Keep every update");
    auto channel = Plaintext(gateway_->address());
    v1::PlanTree created;
    grpc::Status status =
        v1::PlanService::NewStub(channel)->ImportPlan(Context(*token_).get(), import, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> names;
    for (int i = 0; i < 24; ++i) {
      v1::CreateMilestoneRequest request;
      request.set_parent(created.plan().name());
      request.mutable_milestone()->set_activity(
          created.priorities(0).outcomes(0).activities(0).name());
      request.mutable_milestone()->set_title(absl::StrCat("Milestone ", i));
      request.mutable_milestone()->set_directorate("RES");
      request.mutable_milestone()->set_baseline_deadline("2027-03-31");
      v1::Milestone milestone;
      status = v1::MilestoneService::NewStub(channel)->CreateMilestone(Context(*token_).get(),
                                                                       request, &milestone);
      EXPECT_TRUE(status.ok()) << status.error_message();
      names.push_back(milestone.name());
    }
    return names;
  }

  static double UpdateCounter() {
    return CounterSum(HttpGet(milestone_->metrics_port, "/metrics"),
                      "goldenthread_milestone_updates_total");
  }

  static int ProgressRows() {
    int rows = 0;
    EXPECT_TRUE(absl::SimpleAtoi(
        absl::StripAsciiWhitespace(
            db_->Query("SELECT COUNT(*) FROM gt_milestone.milestone_updates WHERE org_id = 'f' AND "
                       "request_id LIKE 'load-%'")),
        &rows));
    return rows;
  }

  // A service killed or stopped is started again on its port; the update
  // counter starts again from zero in the new process.
  void Restart(Running*& r, bool milestone) {
    int port = r->grpc_port;
    delete r;
    r = new Running(milestone ? StartMilestone(port) : StartGateway(port));
    Running* now = r;
    ASSERT_TRUE(WaitUntil([now] { return Serving(Plaintext(now->address())); }, absl::Seconds(60)))
        << now->process->Log();
    if (milestone) {
      counter_base_ = 0;
      history_base_ = ProgressRows();
    }
  }

  std::unique_ptr<ProgressLoad> NewLoad() {
    return std::make_unique<ProgressLoad>(Plaintext(gateway_->address()), *token_, *milestones_,
                                          absl::StrCat("load-", ++load_runs_),
                                          EnvInt("GT_FAULT_CALLERS", 16));
  }

  // Waits until the load has had `oks` more answers OK.
  static bool LoadProgresses(ProgressLoad& load, int oks,
                             absl::Duration timeout = absl::Seconds(60)) {
    int target = load.ok_count() + oks;
    return WaitUntil([&] { return load.ok_count() >= target; }, timeout);
  }

  // The checks that follow every fault.
  void Verify(const LoadOutcome& outcome, const std::string& what) {
    SCOPED_TRACE(what);
    std::cout << "[faults] " << what << ": " << outcome.acknowledged.size() << " acknowledged, "
              << outcome.refused.size() << " refused, " << outcome.unsettled.size()
              << " unsettled; answers: " << Codes(outcome) << std::endl;
    for (const std::string& message : outcome.retryable_messages) {
      std::cout << "[faults]   retryable answer: " << message << std::endl;
    }
    // Only retryable codes.
    EXPECT_TRUE(outcome.unexpected.empty())
        << outcome.unexpected.size() << " answers neither OK nor retryable, e.g. "
        << outcome.unexpected.front();
    EXPECT_EQ(outcome.codes.count(grpc::StatusCode::CANCELLED), 0u);
    EXPECT_TRUE(outcome.unsettled.empty())
        << outcome.unsettled.size() << " updates never settled, e.g. "
        << *outcome.unsettled.begin();
    // Each acknowledged request id exactly once in history; no id twice; a
    // refused one never.
    std::map<std::string, int> rows;
    for (absl::string_view line : absl::StrSplit(
             db_->Query("SELECT request_id, COUNT(*) FROM gt_milestone.milestone_updates "
                        "WHERE org_id = 'f' AND request_id LIKE 'load-%' GROUP BY "
                        "request_id"),
             '\n', absl::SkipEmpty())) {
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      ASSERT_EQ(cols.size(), 2u) << line;
      ASSERT_TRUE(absl::SimpleAtoi(cols[1], &rows[cols[0]]));
    }
    int lost = 0;
    int doubled = 0;
    std::string example;
    for (const std::string& id : outcome.acknowledged) {
      auto it = rows.find(id);
      if (it == rows.end()) {
        ++lost;
        example = absl::StrCat(id, " answered OK, not in history");
      }
    }
    for (const auto& [id, count] : rows) {
      if (count != 1) {
        ++doubled;
        example = absl::StrCat(id, " written ", count, " times");
      }
    }
    int refused_written = 0;
    for (const std::string& id : outcome.refused) {
      if (rows.count(id) != 0) {
        ++refused_written;
        example = absl::StrCat(id, " refused, yet written");
      }
    }
    std::cout << "[faults] " << what << ": lost " << lost << ", doubled " << doubled
              << ", written though refused " << refused_written << std::endl;
    EXPECT_EQ(lost, 0) << example;
    EXPECT_EQ(doubled, 0) << example;
    EXPECT_EQ(refused_written, 0) << example;
    // Nothing half-written: each milestone's state is the fold of its
    // history (the version counts its rows; the latest comment is that of
    // its progress row latest in effect, as a retry keeps the effective time
    // of its first attempt), and every written update has its request-log
    // row.
    EXPECT_EQ(db_->Query(R"sql(
        SELECT m.milestone_id, m.version, COUNT(u.update_id) FROM gt_milestone.milestones m
        JOIN gt_milestone.milestone_updates u
          ON u.org_id = m.org_id AND u.plan_id = m.plan_id AND u.milestone_id = m.milestone_id
        WHERE m.org_id = 'f' GROUP BY m.milestone_id, m.version
        HAVING m.version <> COUNT(u.update_id))sql"),
              "");
    EXPECT_EQ(db_->Query(R"sql(
        SELECT m.milestone_id FROM gt_milestone.milestones m
        WHERE m.org_id = 'f' AND m.latest_comment <> (
          SELECT u.comment FROM gt_milestone.milestone_updates u
          WHERE u.org_id = m.org_id AND u.plan_id = m.plan_id AND u.milestone_id = m.milestone_id
            AND u.request_id LIKE 'load-%' ORDER BY u.effective_at DESC, u.update_id DESC
          LIMIT 1))sql"),
              "");
    EXPECT_EQ(db_->Query(R"sql(
        SELECT u.request_id FROM gt_milestone.milestone_updates u
        LEFT JOIN gt_milestone.request_log r ON r.org_id = u.org_id AND r.request_id = u.request_id
        WHERE u.org_id = 'f' AND u.request_id LIKE 'load-%' AND r.request_id IS NULL)sql"),
              "");
    // The counter counts commits known to have happened: it equals the
    // history this milestone-service process wrote.
    double counted = UpdateCounter() - counter_base_;
    int written = ProgressRows() - history_base_;
    std::cout << "[faults] " << what << ": update counter +" << counted << ", history +" << written
              << std::endl;
    EXPECT_EQ(counted, written);
  }

  static void ReportRecovery(const std::string& what, std::vector<absl::Duration>& times) {
    if (times.empty()) {
      return;
    }
    std::sort(times.begin(), times.end());
    std::cout << "[faults] " << what << ": median " << absl::FormatDuration(times[times.size() / 2])
              << ", max " << absl::FormatDuration(times.back()) << " over " << times.size()
              << std::endl;
  }

  static MariaDbServer* db_;
  static MysqlCutProxy* proxy_;
  static std::string* plan_uri_;
  static std::string* gateway_uri_;
  static std::string* milestone_uri_;
  static Running* plan_;
  static Running* milestone_;
  static Running* gateway_;
  static std::string* token_;
  static std::vector<std::string>* milestones_;
  static int load_runs_;
  double counter_base_ = 0;
  int history_base_ = 0;
};

MariaDbServer* FaultSuite::db_ = nullptr;
MysqlCutProxy* FaultSuite::proxy_ = nullptr;
std::string* FaultSuite::plan_uri_ = nullptr;
std::string* FaultSuite::gateway_uri_ = nullptr;
std::string* FaultSuite::milestone_uri_ = nullptr;
Running* FaultSuite::plan_ = nullptr;
Running* FaultSuite::milestone_ = nullptr;
Running* FaultSuite::gateway_ = nullptr;
std::string* FaultSuite::token_ = nullptr;
std::vector<std::string>* FaultSuite::milestones_ = nullptr;
int FaultSuite::load_runs_ = 0;

// The connection to MariaDB cut exactly at COMMIT: before the server has it
// (rolled back; the retry must write it) and after (committed; the retry
// must find the stored answer, not write again). Deterministic: each cut is
// armed and waited for.
TEST_F(FaultSuite, ConnectionCutAtCommit) {
  auto load = NewLoad();
  load->Start();
  ASSERT_TRUE(LoadProgresses(*load, 50));
  for (int i = 0; i < 10; ++i) {
    proxy_->Arm(i % 2 == 0 ? MysqlCutProxy::Cut::kBeforeCommit : MysqlCutProxy::Cut::kAfterCommit);
    ASSERT_TRUE(WaitUntil([] { return proxy_->Fired(); }, absl::Seconds(30)));
    ASSERT_TRUE(LoadProgresses(*load, 20));
  }
  Verify(load->Stop(), "10 connections cut at COMMIT");
  EXPECT_GE(proxy_->cuts(), 10);
}

// A batch's COMMIT cut before it reaches the server and after: UNAVAILABLE
// both times; the retry with the same request_id writes the batch once, or
// finds it written, and the updates counter still equals history (a batch
// whose commit was in doubt is counted when its retry proves it).
TEST_F(FaultSuite, BatchCutAtCommit) {
  auto stub = v1::MilestoneService::NewStub(Plaintext(gateway_->address()));
  const std::string& first_name = milestones_->front();
  const std::string plan = first_name.substr(0, first_name.find("/milestones/"));
  for (int round = 0; round < 2; ++round) {
    v1::BatchCreateMilestoneUpdatesRequest batch;
    batch.set_parent(plan);
    // Not "load-": the suite's checks of single updates count those per id.
    batch.set_request_id(absl::StrCat("cut-batch-", round));
    for (int i = 0; i < 3; ++i) {
      auto* p = batch.add_requests()->mutable_progress();
      p->set_name((*milestones_)[i]);
      p->set_status(v1::ON_TARGET);
      p->set_percent_complete(10 + round);
      p->set_comment(absl::StrCat("batch round ", round));
    }
    proxy_->Arm(round == 0 ? MysqlCutProxy::Cut::kBeforeCommit : MysqlCutProxy::Cut::kAfterCommit);
    v1::BatchCreateMilestoneUpdatesResponse response;
    grpc::Status first =
        stub->BatchCreateMilestoneUpdates(Context(*token_).get(), batch, &response);
    EXPECT_EQ(first.error_code(), grpc::StatusCode::UNAVAILABLE) << first.error_message();
    EXPECT_TRUE(proxy_->Fired());
    grpc::Status retried;
    EXPECT_TRUE(WaitUntil(
        [&] {
          retried = stub->BatchCreateMilestoneUpdates(Context(*token_).get(), batch, &response);
          return retried.ok();
        },
        absl::Seconds(30)))
        << retried.error_message();
    EXPECT_EQ(response.updates_size(), 3);
  }
  EXPECT_EQ(absl::StripAsciiWhitespace(db_->Query(
                "SELECT COUNT(*) FROM gt_milestone.milestone_updates WHERE org_id = 'f' AND "
                "request_id LIKE 'cut-batch-%'")),
            "6");
  EXPECT_EQ(UpdateCounter() - counter_base_, 6.0);
}

TEST_F(FaultSuite, MariaDbKilledUnderLoad) {
  const int kills = EnvInt("GT_FAULT_DB_KILLS", 12);
  auto load = NewLoad();
  load->Start();
  std::vector<absl::Duration> recovery;
  for (int i = 0; i < kills; ++i) {
    ASSERT_TRUE(LoadProgresses(*load, 30)) << "no progress before kill " << i;
    db_->Kill();
    absl::SleepFor(absl::Milliseconds(200));
    db_->Start();
    absl::Time up = absl::Now();
    ASSERT_TRUE(LoadProgresses(*load, 1)) << "no recovery after kill " << i;
    recovery.push_back(load->FirstOkAfter(up) - up);
  }
  Verify(load->Stop(), absl::StrCat("MariaDB killed ", kills, " times"));
  ReportRecovery("MariaDB kill -9, first OK after it was back", recovery);
}

TEST_F(FaultSuite, GlobalReadLock) {
  auto load = NewLoad();
  load->Start();
  ASSERT_TRUE(LoadProgresses(*load, 50));
  // One session holds FLUSH TABLES WITH READ LOCK for 4 s; writes wait.
  std::string command = absl::StrCat(db_->ClientCommand(),
                                     " -e 'FLUSH TABLES WITH READ LOCK; SELECT SLEEP(4); UNLOCK "
                                     "TABLES' > /dev/null 2>&1");
  ASSERT_EQ(std::system(command.c_str()), 0);
  absl::Time released = absl::Now();
  ASSERT_TRUE(LoadProgresses(*load, 50));
  std::vector<absl::Duration> recovery = {load->FirstOkAfter(released) - released};
  Verify(load->Stop(), "a 4 s global read lock");
  ReportRecovery("global read lock, first OK after its release", recovery);
}

TEST_F(FaultSuite, ServicesKilledUnderLoad) {
  auto load = NewLoad();
  load->Start();
  std::vector<absl::Duration> recovery;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(LoadProgresses(*load, 50));
    bool milestone = i % 2 == 0;
    Running*& victim = milestone ? milestone_ : gateway_;
    victim->process->Signal(SIGKILL);
    victim->process->Wait(absl::Seconds(10));
    absl::Time killed = absl::Now();
    Restart(victim, milestone);
    ASSERT_TRUE(LoadProgresses(*load, 1));
    recovery.push_back(load->FirstOkAfter(killed) - killed);
    std::cout << "[faults] " << (milestone ? "milestone-service" : "gateway")
              << " kill -9, started again at once: first OK "
              << absl::FormatDuration(recovery.back()) << " after the kill" << std::endl;
  }
  // plan-service is on the path of no progress update: killing it must not
  // disturb them at all.
  plan_->process->Signal(SIGKILL);
  plan_->process->Wait(absl::Seconds(10));
  ASSERT_TRUE(LoadProgresses(*load, 50));
  int port = plan_->grpc_port;
  delete plan_;
  plan_ = new Running(StartBinary(PLAN_SERVICE_BIN, *plan_uri_, {}, port));
  Verify(load->Stop(), "milestone-service and gateway killed twice each, plan-service once");
  ReportRecovery("service kill -9 and start at once, first OK after the kill", recovery);
}

// SIGTERM drains: calls accepted finish (or are refused UNAVAILABLE before
// they start), never CANCELLED, nothing lost.
TEST_F(FaultSuite, GracefulSigtermUnderLoad) {
  const int stops = EnvInt("GT_FAULT_SIGTERMS", 3);
  auto load = NewLoad();
  load->Start();
  std::vector<absl::Duration> drain;
  for (int i = 0; i < 2 * stops; ++i) {
    ASSERT_TRUE(LoadProgresses(*load, 50));
    bool milestone = i % 2 == 0;
    Running*& victim = milestone ? milestone_ : gateway_;
    absl::Time start = absl::Now();
    victim->process->Signal(SIGTERM);
    ASSERT_EQ(victim->process->Wait(absl::Seconds(30)), 0) << victim->process->Log();
    drain.push_back(absl::Now() - start);
    Restart(victim, milestone);
  }
  ASSERT_TRUE(LoadProgresses(*load, 50));
  Verify(load->Stop(),
         absl::StrCat("SIGTERM of milestone-service and gateway, ", stops, " times each"));
  ReportRecovery("SIGTERM, drained and exited after", drain);
}

}  // namespace
}  // namespace gt::faults
