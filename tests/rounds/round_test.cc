// Issue 18's acceptance, against the real suite through the gateway: seed
// 003 (the Strategic Plan 2017/18 mid-year monitoring) replayed as a round.
// The plan is loaded as it stood when the year began; 2017-18-q2 opens with
// as_of 2017-09-30; every directorate's UPDATER token (limited to that
// directorate) submits the document's updates for its milestones, all but
// 12; what is due, the gauge, sign-off and publication are checked; the
// published pack is then read back, byte for byte, after 500 later updates,
// a backdated correction, a renamed outcome and a restart of every service;
// and the next period's pack lists the correction as restated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "common/importers/importers.h"
#include "common/importers/loader.h"
#include "e2e_fixture.h"
#include "gt/sha256.h"
#include "gt/test_http.h"

namespace gt::gateway::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kOrg[] = "round";
constexpr char kPlanId[] = "2017-18";
constexpr size_t kLeftMissing = 12;

std::string Seed003() {
  std::ifstream in(std::string(GT_SEEDS_DIR) + "/003_ec2567edfe30a260.txt", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Time Day(int y, int m, int d, int hh = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::UTCTimeZone());
}

// The token a directorate's officers use: limited to the directorate a
// milestone's lead names first ("HAC/PLACE" -> HAC).
std::string ScopeOf(const std::string& directorate) {
  std::vector<std::string> parts = absl::StrSplit(directorate, '/');
  return parts.front();
}

class RoundTest : public GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    GatewayE2eTest::SetUpTestSuite();
    v1::CreateOrganisationRequest create;
    create.set_organisation_id(kOrg);
    create.mutable_organisation()->set_display_name("London Borough of Tower Hamlets");
    v1::Organisation created;
    ASSERT_TRUE(PlanDirect()->CreateOrganisation(Context("").get(), create, &created).ok());
    (*tokens_)[absl::StrCat(kOrg, "/ADMIN")] =
        CreateTokenWithCli(GATEWAY_BIN, gateway_db_->uri_string(), kOrg, "ADMIN", "ops");
    for (v1::Role role : {v1::VIEWER, v1::UPDATER, v1::PLANNER}) {
      (*tokens_)[absl::StrCat(kOrg, "/", v1::Role_Name(role))] = NewToken(kOrg, role);
    }
  }

  static std::string Planner() { return TokenOf(kOrg, v1::PLANNER); }

  // An UPDATER token limited to `directorate`.
  static std::string ScopedUpdater(const std::string& directorate) {
    v1::CreateTokenRequest create;
    create.set_parent(absl::StrCat("organisations/", kOrg));
    create.mutable_token()->set_role(v1::UPDATER);
    create.mutable_token()->set_subject(absl::StrCat("officer-", directorate));
    create.mutable_token()->add_directorates(directorate);
    v1::CreateTokenResponse created;
    grpc::Status status =
        Tokens()->CreateToken(Context(TokenOf(kOrg, v1::ADMIN)).get(), create, &created);
    EXPECT_TRUE(status.ok()) << directorate << ": " << status.error_message();
    return created.secret();
  }

  static v1::ListDueUpdatesResponse Due(const std::string& period, const std::string& token,
                                        std::vector<v1::DueState> states = {}) {
    v1::ListDueUpdatesRequest request;
    request.set_parent(period);
    request.set_page_size(5000);
    for (v1::DueState s : states) {
      request.add_states(s);
    }
    v1::ListDueUpdatesResponse due;
    grpc::Status status = Milestones()->ListDueUpdates(Context(token).get(), request, &due);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return due;
  }

  // The document's update of one milestone, effective at the quarter's end.
  static v1::MilestoneChange UpdateOf(const std::string& name, const v1::Milestone& document) {
    v1::MilestoneChange change;
    auto* p = change.mutable_progress();
    p->set_name(name);
    p->set_status(document.status() == v1::MILESTONE_STATUS_UNSPECIFIED ? v1::NOT_STARTED
                                                                        : document.status());
    if (document.status() != v1::COMPLETED) {
      p->set_percent_complete(document.percent_complete());
    }
    p->set_comment(document.latest_comment());
    if (document.status() == v1::DELAYED && document.latest_comment().empty()) {
      p->set_comment("(the document gives no explanation)");
    }
    *p->mutable_effective_at() = ToTimestamp(Day(2017, 9, 30));
    return change;
  }

  // Submits `changes` grouped by directorate, each group with that
  // directorate's limited token, as one batch.
  static void Submit(const std::string& plan, const std::map<std::string, v1::Milestone>& document,
                     const std::vector<std::string>& names, const std::string& round) {
    std::map<std::string, v1::BatchCreateMilestoneUpdatesRequest> by_scope;
    for (const std::string& name : names) {
      const v1::Milestone& m = document.at(name);
      auto& batch = by_scope[ScopeOf(m.directorate())];
      batch.set_parent(plan);
      *batch.add_requests() = UpdateOf(name, m);
    }
    for (auto& [scope, batch] : by_scope) {
      batch.set_request_id(absl::StrCat(round, "-", Sha256Hex(scope).substr(0, 16)));
      const std::string token = scope.empty() ? TokenOf(kOrg, v1::UPDATER) : ScopedUpdater(scope);
      v1::BatchCreateMilestoneUpdatesResponse written;
      grpc::Status status = Milestones()->BatchCreateMilestoneUpdates(
          Context(token, absl::Seconds(60)).get(), batch, &written);
      ASSERT_TRUE(status.ok()) << scope << ": " << status.error_message();
    }
  }

  static void ApproveSubmitted(const std::string& period) {
    const v1::ListDueUpdatesResponse submitted = Due(period, Planner(), {v1::SUBMITTED});
    for (const v1::DueUpdate& due : submitted.due()) {
      v1::ReviewUpdateRequest review;
      review.set_name(due.update());
      review.set_action(v1::APPROVE);
      v1::UpdateReview done;
      grpc::Status status = Milestones()->ReviewUpdate(Context(Planner()).get(), review, &done);
      ASSERT_TRUE(status.ok()) << due.update() << ": " << status.error_message();
    }
  }

  static std::map<std::string, std::string> PackFiles(const std::string& period,
                                                      std::string* sha256) {
    v1::GetPeriodPackRequest get;
    get.set_name(period);
    v1::PeriodPack manifest;
    grpc::Status status = Milestones()->GetPeriodPack(Context(Planner()).get(), get, &manifest);
    EXPECT_TRUE(status.ok()) << status.error_message();
    *sha256 = manifest.sha256();
    std::map<std::string, std::string> files;
    std::string lines;
    for (const v1::PackFile& f : manifest.files()) {
      get.set_filename(f.filename());
      v1::PeriodPack one;
      status = Milestones()->GetPeriodPack(Context(Planner()).get(), get, &one);
      EXPECT_TRUE(status.ok()) << f.filename() << ": " << status.error_message();
      EXPECT_EQ(one.files(0).sha256(), Sha256Hex(one.files(0).content())) << f.filename();
      files[f.filename()] = one.files(0).content();
      absl::StrAppend(&lines, f.sha256(), "  ", f.filename(), "\n");
    }
    EXPECT_EQ(Sha256Hex(lines), *sha256) << "the manifest digest";
    return files;
  }

  static grpc::Status Publish(const std::string& period, v1::Period* out,
                              const std::string& request_id = "") {
    v1::PublishPeriodRequest publish;
    publish.set_name(period);
    publish.set_request_id(request_id);
    return Reports()->PublishPeriod(Context(Planner(), absl::Seconds(120)).get(), publish, out);
  }

  // Stops and starts every service on its own port (the gateway last), then
  // waits until each serves again.
  static void RestartEverything() {
    auto restart = [](Running*& r, const std::string& binary, const std::string& uri,
                      std::vector<std::string> flags) {
      const int port = r->grpc_port;
      r->process->Signal(SIGTERM);
      r->process->Wait(absl::Seconds(20));
      delete r;
      r = new Running(StartBinary(binary, uri, std::move(flags), port));
      Running* now = r;
      ASSERT_TRUE(
          WaitUntil([now] { return Serving(Plaintext(now->address())); }, absl::Seconds(30)))
          << now->process->Log();
    };
    restart(plan_, PLAN_SERVICE_BIN, plan_db_->uri_string(), {});
    restart(milestone_, MILESTONE_SERVICE_BIN, milestone_db_->uri_string(),
            {absl::StrCat("--plan_service_addr=", plan_->address())});
    restart(report_, REPORT_SERVICE_BIN, "",
            {absl::StrCat("--plan_service_addr=", plan_->address()),
             absl::StrCat("--milestone_service_addr=", milestone_->address())});
    restart(gateway_, GATEWAY_BIN, gateway_db_->uri_string(),
            {"--rate_limit_burst=10000", "--auth_failures_per_minute=1000000",
             absl::StrCat("--plan_service_addr=", plan_->address()),
             absl::StrCat("--milestone_service_addr=", milestone_->address()),
             absl::StrCat("--report_service_addr=", report_->address())});
  }
};

TEST_F(RoundTest, Seed003ReplayedAsARound) {
  // The plan as the year began: the document's tree and milestones, every
  // one not started (its deadlines and revisions as the document has them).
  auto read = importers::ReadMonitoring2017(Seed003());
  ASSERT_TRUE(read.ok()) << read.status();
  importers::ImportedPlan document = *read;
  importers::ImportedPlan at_start = document;
  for (auto& m : at_start.milestones) {
    m.milestone.set_status(v1::NOT_STARTED);
    m.milestone.set_percent_complete(0);
    m.milestone.clear_latest_comment();
  }
  importers::LoadOptions options;
  options.organisation = kOrg;
  options.plan_id = kPlanId;
  options.effective_at = Day(2017, 4, 1);
  options.decorate = [](grpc::ClientContext& c) {
    c.AddMetadata("authorization", "Bearer " + Planner());
    c.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  };
  auto plans = Plans();
  auto milestones = Milestones();
  auto loaded = importers::Load(*plans, *milestones, at_start, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::string plan = loaded->tree.plan().name();
  ASSERT_EQ(loaded->milestones.size(), document.milestones.size());
  // Milestone name -> the document's state of it (Load keeps document order).
  std::map<std::string, v1::Milestone> expected;
  std::vector<std::string> names;
  for (size_t i = 0; i < loaded->milestones.size(); ++i) {
    expected[loaded->milestones[i].name()] = document.milestones[i].milestone;
    names.push_back(loaded->milestones[i].name());
  }
  ASSERT_GT(names.size(), 200u);

  // The round opens.
  v1::CreatePeriodRequest create;
  create.set_parent(plan);
  create.set_period_id("2017-18-q2");
  create.mutable_period()->set_title("Quarter 2 2017/18");
  create.mutable_period()->set_start_date("2017-07-01");
  create.mutable_period()->set_as_of("2017-09-30");
  create.mutable_period()->set_due_date("2017-10-14");
  create.mutable_period()->set_approval_required(true);
  v1::Period q2;
  ASSERT_TRUE(Milestones()->CreatePeriod(Context(Planner()).get(), create, &q2).ok());
  v1::PeriodTransitionRequest open;
  open.set_name(q2.name());
  ASSERT_TRUE(Milestones()->OpenPeriod(Context(Planner()).get(), open, &q2).ok());
  EXPECT_EQ(Due(q2.name(), Planner(), {v1::MISSING}).total(), static_cast<int>(names.size()));

  // 12 milestones, spread over the document, are left without an update.
  std::vector<std::string> missing, submitted;
  const size_t step = names.size() / kLeftMissing;
  for (size_t i = 0; i < names.size(); ++i) {
    (i % step == step / 2 && missing.size() < kLeftMissing ? missing : submitted)
        .push_back(names[i]);
  }
  ASSERT_EQ(missing.size(), kLeftMissing);
  Submit(plan, expected, submitted, "q2-round-1");

  // What is due: exactly those 12, counted by directorate.
  auto due = Due(q2.name(), Planner(), {v1::MISSING});
  std::set<std::string> due_missing;
  for (const auto& d : due.due()) {
    due_missing.insert(d.milestone());
  }
  EXPECT_EQ(due_missing, std::set<std::string>(missing.begin(), missing.end()));
  std::map<std::string, int> by_directorate;
  for (const std::string& name : missing) {
    ++by_directorate[expected[name].directorate()];
  }
  std::map<std::string, int> counted;
  for (const auto& c : due.counts()) {
    EXPECT_EQ(c.state(), v1::MISSING);
    counted[c.directorate()] = c.milestones();
  }
  EXPECT_EQ(counted, by_directorate);
  EXPECT_EQ(Due(q2.name(), Planner(), {v1::SUBMITTED}).total(), static_cast<int>(submitted.size()));

  // An officer's token sees what its directorate owes.
  const std::string some_scope = ScopeOf(expected[missing[0]].directorate());
  const v1::ListDueUpdatesResponse owed = Due(q2.name(), ScopedUpdater(some_scope));
  EXPECT_GT(owed.total(), 0);
  for (const auto& d : owed.due()) {
    // A joint lead "A/B" is in scope for A and for B.
    std::vector<std::string> parts = absl::StrSplit(d.directorate(), '/');
    EXPECT_THAT(parts, ::testing::Contains(some_scope)) << d.milestone();
  }

  // The gauge says the same (computed when scraped).
  std::string metrics = HttpGet(milestone_->metrics_port, "/metrics");
  std::map<std::string, int> gauged;
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (!absl::StartsWith(line, "goldenthread_updates_due{") ||
        !absl::StrContains(line, "organisation=\"round\"") ||
        !absl::StrContains(line, "state=\"MISSING\"")) {
      continue;
    }
    size_t at = line.find("directorate=\"") + 13;
    std::string directorate(line.substr(at, line.find('"', at) - at));
    int value = std::stoi(std::string(line.substr(line.rfind(' ') + 1)));
    if (value > 0) {
      gauged[directorate] = value;
    }
  }
  EXPECT_EQ(gauged, by_directorate);

  // Sign-off of everything submitted; publication refused while 12 are
  // missing, naming each.
  ApproveSubmitted(q2.name());
  v1::Period published;
  grpc::Status refused = Publish(q2.name(), &published);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("12 due updates are not APPROVED"));
  for (const std::string& name : missing) {
    EXPECT_THAT(refused.error_message(), HasSubstr(name + " (MISSING"));
  }

  // The 12 come in, are approved, and the period is published.
  Submit(plan, expected, missing, "q2-round-2");
  ApproveSubmitted(q2.name());
  ASSERT_TRUE(Publish(q2.name(), &published, "publish-2017-18-q2").ok());
  EXPECT_EQ(published.state(), v1::Period::PUBLISHED);
  std::string sha_before;
  auto pack_before = PackFiles(q2.name(), &sha_before);
  EXPECT_EQ(sha_before, published.pack_sha256());
  size_t pack_bytes = 0;
  for (const auto& [filename, content] : pack_before) {
    pack_bytes += content.size();
  }
  // The pack travels to milestone-service in one message (its limit:
  // --max_message_bytes, 4 MiB by default).
  std::cout << "2017-18-q2 pack: " << pack_before.size() << " files, " << pack_bytes << " bytes\n";
  EXPECT_LT(pack_bytes, size_t{4} << 20);
  ASSERT_EQ(pack_before.count("progress.html"), 1u);
  EXPECT_THAT(pack_before["progress.md"], HasSubstr(expected[names[0]].title().substr(0, 40)));
  // A retry of the publication answers it; publishing again is refused.
  v1::Period again;
  ASSERT_TRUE(Publish(q2.name(), &again, "publish-2017-18-q2").ok());
  EXPECT_EQ(again.pack_sha256(), published.pack_sha256());
  EXPECT_EQ(Publish(q2.name(), &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // 500 later updates, a backdated correction inside the period, a renamed
  // outcome, a restart of everything.
  v1::BatchCreateMilestoneUpdatesRequest later;
  later.set_parent(plan);
  later.set_request_id("later-500");
  for (int i = 0; i < 500; ++i) {
    auto* p = later.add_requests()->mutable_progress();
    p->set_name(names[static_cast<size_t>(i) % names.size()]);
    p->set_status(v1::ON_TARGET);
    p->set_percent_complete(i % 100);
    p->set_comment(absl::StrCat("later update ", i));
  }
  v1::BatchCreateMilestoneUpdatesResponse written;
  ASSERT_TRUE(Milestones()
                  ->BatchCreateMilestoneUpdates(
                      Context(TokenOf(kOrg, v1::UPDATER), absl::Seconds(60)).get(), later, &written)
                  .ok());
  // A milestone the document reports on target: the correction moves it.
  std::string corrected;
  for (const std::string& name : names) {
    if (expected[name].status() == v1::ON_TARGET && corrected.empty()) {
      corrected = name;
    }
  }
  ASSERT_FALSE(corrected.empty());
  v1::UpdateMilestoneProgressRequest correction;
  correction.set_name(corrected);
  correction.set_status(v1::DELAYED);
  correction.set_percent_complete(5);
  correction.set_comment("Correction: the works had not started by the quarter's end");
  *correction.mutable_effective_at() = ToTimestamp(Day(2017, 9, 30, 18));
  v1::Milestone after;
  ASSERT_TRUE(
      Milestones()
          ->UpdateMilestoneProgress(Context(TokenOf(kOrg, v1::UPDATER)).get(), correction, &after)
          .ok());
  v1::UpdateOutcomeRequest rename;
  *rename.mutable_outcome() = loaded->tree.priorities(0).outcomes(0);
  rename.mutable_outcome()->set_title("Renamed after publication");
  rename.mutable_update_mask()->add_paths("title");
  v1::Outcome renamed;
  ASSERT_TRUE(Plans()->UpdateOutcome(Context(Planner()).get(), rename, &renamed).ok());
  RestartEverything();

  std::string sha_after;
  auto pack_after = PackFiles(q2.name(), &sha_after);
  EXPECT_EQ(sha_after, sha_before);
  ASSERT_EQ(pack_after.size(), pack_before.size());
  for (const auto& [filename, content] : pack_before) {
    EXPECT_TRUE(pack_after[filename] == content) << filename << " changed";
  }
  EXPECT_THAT(pack_after["progress.md"], ::testing::Not(HasSubstr("Renamed after publication")));

  // The next period's pack lists the correction as restated, both values.
  create.set_period_id("2017-18-q3");
  create.mutable_period()->set_title("Quarter 3 2017/18");
  create.mutable_period()->set_start_date("2017-10-01");
  create.mutable_period()->set_as_of("2017-12-31");
  create.mutable_period()->set_due_date("2018-01-14");
  create.mutable_period()->set_approval_required(false);
  v1::Period q3;
  ASSERT_TRUE(Milestones()->CreatePeriod(Context(Planner()).get(), create, &q3).ok());
  open.set_name(q3.name());
  ASSERT_TRUE(Milestones()->OpenPeriod(Context(Planner()).get(), open, &q3).ok());
  ASSERT_TRUE(Publish(q3.name(), &published).ok());
  std::string q3_sha;
  auto q3_pack = PackFiles(q3.name(), &q3_sha);
  ASSERT_EQ(q3_pack.count("restated-since-last-publication.json"), 1u);
  const std::string& restated = q3_pack["restated-since-last-publication.json"];
  EXPECT_THAT(restated, HasSubstr(corrected));
  EXPECT_THAT(restated, HasSubstr("\"after\": \"DELAYED\""));
  EXPECT_THAT(restated, HasSubstr("\"before\": \"ON_TARGET\""));
  EXPECT_THAT(restated, HasSubstr("Correction: the works had not started"));
  // Only the correction is restated: the later updates speak for 2026.
  EXPECT_THAT(restated, ::testing::Not(HasSubstr("later update")));
}

}  // namespace
}  // namespace gt::gateway::testing
