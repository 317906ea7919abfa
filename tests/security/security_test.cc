// The hardening findings of issue 16, tried against the real suite (plan-,
// milestone-, report-service and the gateway as processes over MariaDB)
// through the gateway, as an attacker or a careless client would: every case
// asserts the exact code and that nothing was written (a snapshot of the
// organisation before and after).
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "e2e_fixture.h"
#include "gt/identity.h"
#include "gt/test_http.h"

namespace gt::gateway::testing {
namespace {

// Spellings of a resource name that are not it: each must be refused
// (INVALID_ARGUMENT) or found to be nothing (NOT_FOUND), never act on the
// real object. Escaped for the text format the request table is written in.
std::vector<std::pair<std::string, std::string>> NonCanonical(const std::string& name) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"trailing space", name + " "},
      {"leading space", " " + name},
      {"trailing tab", name + "\\t"},
      {"trailing NUL", name + "\\000"},
      {"doubled slash", absl::StrReplaceAll(name, {{"organisations/", "organisations//"}})},
      {"capital organisation", absl::StrReplaceAll(name, {{"organisations/a", "organisations/A"}})},
      // Cyrillic а (U+0430) for the organisation's Latin a.
      {"look-alike organisation",
       absl::StrReplaceAll(name, {{"organisations/a", "organisations/\xd0\xb0"}})},
  };
  size_t slash = name.rfind('/');
  std::string last = name.substr(slash + 1);
  std::string head = name.substr(0, slash + 1);
  if (!last.empty() && absl::ascii_isdigit(last[0])) {
    out.push_back({"plus sign", head + "+" + last});
    out.push_back({"leading zero", head + "0" + last});
    out.push_back({"space in the id", head + " " + last});
  } else if (!last.empty()) {
    out.push_back({"capitals", head + absl::AsciiStrToUpper(last)});
  }
  return out;
}

class SecurityTest : public GatewayE2eTest {};

TEST_F(SecurityTest, NonCanonicalNamesActOnNothing) {
  const std::string before = SnapshotOfA();
  const Metadata admin = Bearer(TokenOf("a", v1::ADMIN));
  const std::vector<std::string> placeholders = {"{org}",       "{plan}",     "{priority}",
                                                 "{outcome}",   "{activity}", "{measure}",
                                                 "{milestone}", "{token}"};
  int calls = 0;
  std::vector<std::string> wrong;
  for (const MethodCase& c : AllMethodCases()) {
    if (c.min_role == v1::ROLE_UNSPECIFIED) {
      continue;  // not callable through the gateway at all
    }
    for (const std::string& placeholder : placeholders) {
      if (c.request.find(placeholder) == std::string::npos) {
        continue;
      }
      for (const auto& [label, variant] : NonCanonical(names_a_->Lookup(placeholder))) {
        MethodCase mutated = c;
        mutated.request = absl::StrReplaceAll(c.request, {{placeholder, variant}});
        Reply reply = Call(mutated, *names_a_, admin);
        ++calls;
        grpc::StatusCode code = reply.status.error_code();
        if (code != grpc::StatusCode::INVALID_ARGUMENT && code != grpc::StatusCode::NOT_FOUND) {
          wrong.push_back(absl::StrCat(c.method, " ", placeholder, " ", label, ": code ", code, " ",
                                       reply.status.error_message()));
        }
      }
    }
  }
  EXPECT_GT(calls, 300);
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " of " << calls << " calls were not refused, e.g. "
                             << wrong.front() << (wrong.size() > 1 ? "\n" + wrong[1] : "");
  EXPECT_EQ(SnapshotOfA(), before) << "a non-canonical name changed organisation a";
}

v1::UpdateMilestoneProgressRequest Progress(const std::string& milestone) {
  v1::UpdateMilestoneProgressRequest request;
  request.set_name(milestone);
  request.set_status(v1::ON_TARGET);
  request.set_percent_complete(40);
  request.set_comment("lamps ordered");
  return request;
}

TEST_F(SecurityTest, ARequestIdWithATrailingSpaceIsRefusedNotReplayed) {
  auto request = Progress(names_a_->milestone);
  request.set_request_id("ws-x");
  v1::Milestone first;
  ASSERT_TRUE(
      Milestones()
          ->UpdateMilestoneProgress(Context(TokenOf("a", v1::UPDATER)).get(), request, &first)
          .ok());
  const std::string before = SnapshotOfA();
  for (const std::string& id : {"ws-x ", " ws-x", "ws-x\t", "ws\xc2\xa0x", "ws x"}) {
    request.set_request_id(id);
    v1::Milestone answer;
    grpc::Status status = Milestones()->UpdateMilestoneProgress(
        Context(TokenOf("a", v1::UPDATER)).get(), request, &answer);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "'" << id << "'";
    EXPECT_EQ(status.error_message().rfind("request_id: ", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(SnapshotOfA(), before);
}

TEST_F(SecurityTest, CodesThatDifferOnlyBySpacesAreRefusedAndNothingIsCreated) {
  v1::ImportPlanRequest import;
  import.set_parent("organisations/a");
  import.set_plan_id("codes");
  auto* tree = import.mutable_tree();
  tree->mutable_plan()->set_title("Codes");
  tree->mutable_plan()->set_period_start("2020-04-01");
  tree->mutable_plan()->set_period_end("2021-03-31");
  tree->add_priorities()->set_code("1");
  tree->mutable_priorities(0)->set_title("One");
  tree->add_priorities()->set_code("1 ");
  tree->mutable_priorities(1)->set_title("One again");
  const std::string before = SnapshotOfA();
  v1::PlanTree created;
  grpc::Status status =
      Plans()->ImportPlan(Context(TokenOf("a", v1::PLANNER)).get(), import, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("tree.priorities[1].code: ", 0), 0u)
      << status.error_message();
  v1::GetPlanRequest get;
  get.set_name("organisations/a/plans/codes");
  v1::Plan plan;
  EXPECT_EQ(Plans()->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &plan).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(SnapshotOfA(), before);
}

TEST_F(SecurityTest, ValuesOutOfRangeAreRefusedNamingTheField) {
  const std::string before = SnapshotOfA();
  struct Case {
    std::string what;
    v1::UpdateMilestoneProgressRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  for (auto [seconds, nanos] : std::vector<std::pair<int64_t, int32_t>>{
           {1500000000, 1500000000}, {1500000000, -1}, {253402300800, 0}, {-62135596801, 0}}) {
    auto request = Progress(names_a_->milestone);
    request.mutable_effective_at()->set_seconds(seconds);
    request.mutable_effective_at()->set_nanos(nanos);
    cases.push_back({absl::StrCat("effective_at ", seconds, "/", nanos), request, "effective_at"});
  }
  auto bad_status = Progress(names_a_->milestone);
  bad_status.set_status(static_cast<v1::MilestoneStatus>(99));
  cases.push_back({"status 99", bad_status, "status"});
  for (const Case& c : cases) {
    v1::Milestone answer;
    grpc::Status status = Milestones()->UpdateMilestoneProgress(
        Context(TokenOf("a", v1::UPDATER)).get(), c.request, &answer);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.what;
    EXPECT_EQ(status.error_message().rfind(c.field + ": ", 0), 0u)
        << c.what << ": " << status.error_message();
  }
  for (double value : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    v1::CreateMeasureValueRequest request;
    request.set_parent(names_a_->measure);
    request.mutable_value()->set_date("2018-03-31");
    request.mutable_value()->set_value(value);
    v1::MeasureValue stored;
    grpc::Status status =
        Plans()->CreateMeasureValue(Context(TokenOf("a", v1::PLANNER)).get(), request, &stored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << value;
    EXPECT_EQ(status.error_message().rfind("value.value: ", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(SnapshotOfA(), before);
}

// Invalid UTF-8 in a text field: the answer names the field, even though the
// request cannot be parsed.
TEST_F(SecurityTest, InvalidUtf8IsRefusedNamingTheField) {
  const std::string before = SnapshotOfA();
  const std::string marker = "MARK";  // as long as what replaces it
  auto corrupt = [&](const google::protobuf::Message& message) {
    return absl::StrReplaceAll(message.SerializeAsString(), {{marker, "\xff\xfe\xc0\xaf"}});
  };
  auto progress = Progress(names_a_->milestone);
  progress.set_comment(marker);
  v1::CreateMilestoneRequest create;
  create.set_parent(names_a_->plan);
  create.mutable_milestone()->set_activity(names_a_->activity);
  create.mutable_milestone()->set_title(marker);
  v1::ReviseDeadlineRequest revise;
  revise.set_name(names_a_->milestone);
  revise.set_new_deadline("2030-01-01");
  revise.set_reason(marker);
  struct Case {
    std::string path;
    std::string bytes;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"/goldenthread.v1.MilestoneService/UpdateMilestoneProgress", corrupt(progress), "comment"},
      {"/goldenthread.v1.MilestoneService/CreateMilestone", corrupt(create), "milestone.title"},
      {"/goldenthread.v1.MilestoneService/ReviseDeadline", corrupt(revise), "reason"},
  };
  for (const Case& c : cases) {
    Reply reply = CallMethodBytes(*channel_, c.path, c.bytes, Bearer(TokenOf("a", v1::PLANNER)));
    EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.path;
    EXPECT_EQ(reply.status.error_message(), c.field + ": must be valid UTF-8") << c.path;
  }
  EXPECT_EQ(SnapshotOfA(), before);
}

}  // namespace
}  // namespace gt::gateway::testing

namespace gt::gateway::testing {
namespace {

// A missing plan of one's own organisation is NOT_FOUND on every method that
// takes a plan, in the very words another organisation's plan gets.
TEST_F(SecurityTest, AMissingPlanIsNotFoundOnEveryMethodLikeAnotherOrganisations) {
  const std::string before = SnapshotOfA();
  const Metadata admin = Bearer(TokenOf("a", v1::ADMIN));
  int calls = 0;
  for (const MethodCase& c : AllMethodCases()) {
    if (c.min_role == v1::ROLE_UNSPECIFIED || c.first_name != "{plan}") {
      continue;
    }
    for (const std::string& plan :
         {std::string("organisations/a/plans/nope"), std::string("organisations/b/plans/nope")}) {
      Names names = *names_a_;
      names.plan = plan;
      names.activity = plan + "/activities/1";   // consistent with the plan
      names.milestone = plan + "/milestones/1";  // (a batch's items)
      Reply reply = Call(c, names, admin);
      ++calls;
      EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::NOT_FOUND)
          << c.method << " " << plan << ": " << reply.status.error_message();
      EXPECT_EQ(reply.status.error_message(), absl::StrCat("plan ", plan, " not found"))
          << c.method;
    }
  }
  EXPECT_GT(calls, 20);
  EXPECT_EQ(SnapshotOfA(), before);
}

}  // namespace
}  // namespace gt::gateway::testing

namespace gt::gateway::testing {
namespace {

v1::ImportPlanRequest TreeOf(const std::string& plan_id, int activities, size_t title_chars) {
  v1::ImportPlanRequest import;
  import.set_parent("organisations/a");
  import.set_plan_id(plan_id);
  auto* tree = import.mutable_tree();
  tree->mutable_plan()->set_title("Limits");
  tree->mutable_plan()->set_period_start("2020-04-01");
  tree->mutable_plan()->set_period_end("2021-03-31");
  auto* priority = tree->add_priorities();
  priority->set_code("1");
  priority->set_title("One");
  auto* outcome = priority->add_outcomes();
  outcome->set_code("1.1");
  outcome->set_title("One one");
  for (int i = 0; i < activities; ++i) {
    auto* activity = outcome->add_activities();
    activity->set_code(absl::StrCat("1.1.", i + 1));
    activity->set_title(std::string(title_chars, 'x'));
  }
  return import;
}

// A write either answers OK or writes nothing, at each limit and one past
// it; what it writes GetPlanTree returns whole.
TEST_F(SecurityTest, APlanTreeIsRefusedPastItsLimitsBeforeAnythingIsWritten) {
  auto exists = [](const std::string& plan_id) {
    v1::GetPlanRequest get;
    get.set_name("organisations/a/plans/" + plan_id);
    v1::Plan plan;
    return PlanDirect()->GetPlan(Context("").get(), get, &plan).ok();
  };
  auto import = [](const v1::ImportPlanRequest& request, v1::PlanTree* out) {
    return Plans()->ImportPlan(Context(TokenOf("a", v1::PLANNER), absl::Seconds(60)).get(), request,
                               out);
  };
  v1::PlanTree tree;
  // 5,001 items (a priority, an outcome and 4,999 activities): one too many.
  grpc::Status status = import(TreeOf("big", 4999, 10), &tree);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("tree: a plan holds at most 5000 ", 0), 0u)
      << status.error_message();
  EXPECT_FALSE(exists("big"));
  // About 3.4 MB of titles: fewer items, too many bytes.
  status = import(TreeOf("big", 1700, 2000), &tree);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("tree: a plan's tree is at most ", 0), 0u)
      << status.error_message();
  EXPECT_FALSE(exists("big"));
  // 5,000 items exactly: written, and read back whole.
  ASSERT_TRUE(import(TreeOf("big", 4998, 10), &tree).ok());
  v1::GetPlanTreeRequest get;
  get.set_name("organisations/a/plans/big");
  v1::PlanTree read;
  ASSERT_TRUE(
      Plans()
          ->GetPlanTree(Context(TokenOf("a", v1::VIEWER), absl::Seconds(60)).get(), get, &read)
          .ok());
  EXPECT_EQ(read.priorities(0).outcomes(0).activities_size(), 4998);
  // One more item, one at a time: refused, nothing written.
  v1::CreateActivityRequest create;
  create.set_parent(read.priorities(0).outcomes(0).name());
  create.mutable_activity()->set_code("1.1.9999");
  create.mutable_activity()->set_title("one too many");
  v1::Activity created;
  status = Plans()->CreateActivity(Context(TokenOf("a", v1::PLANNER)).get(), create, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("activity: a plan holds at most 5000 ", 0), 0u)
      << status.error_message();
  v1::PlanTree again;
  ASSERT_TRUE(
      Plans()
          ->GetPlanTree(Context(TokenOf("a", v1::VIEWER), absl::Seconds(60)).get(), get, &again)
          .ok());
  EXPECT_EQ(again.priorities(0).outcomes(0).activities_size(), 4998);
}

}  // namespace
}  // namespace gt::gateway::testing

namespace gt::gateway::testing {
namespace {

// Guessing tokens: past the limit of unknown tokens from one address, its
// look-ups are refused (RESOURCE_EXHAUSTED, with retry-after) and counted;
// a token the gateway verified lately goes on working from there. On a
// gateway of its own, so the shared one's address stays unthrottled.
TEST_F(SecurityTest, GuessingTokensIsSlowedAndCountedKnownTokensGoOn) {
  Running gateway = StartGateway({"--auth_failures_per_minute=5", "--rate_limit_burst=10000"});
  ASSERT_TRUE(WaitUntil([&] { return Serving(Plaintext(gateway.address())); }, absl::Seconds(30)))
      << gateway.process->Log();
  auto channel = Plaintext(gateway.address());
  auto plans = v1::PlanService::NewStub(channel);
  v1::GetPlanRequest get;
  get.set_name(names_a_->plan);
  v1::Plan plan;
  // The viewer's token, verified once before the guessing starts.
  ASSERT_TRUE(plans->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &plan).ok());
  std::vector<grpc::StatusCode> codes;
  for (int i = 0; i < 8; ++i) {
    std::string guess = absl::StrCat("gt_a_", std::string(43, static_cast<char>('A' + i)));
    codes.push_back(plans->GetPlan(Context(guess).get(), get, &plan).error_code());
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(codes[i], grpc::StatusCode::UNAUTHENTICATED) << i;
  }
  for (int i = 5; i < 8; ++i) {
    EXPECT_EQ(codes[i], grpc::StatusCode::RESOURCE_EXHAUSTED) << i;
  }
  // A fresh, real token is a look-up too: refused while the address waits.
  auto fresh = Context(TokenOf("a", v1::PLANNER));
  grpc::Status refused = plans->GetPlan(fresh.get(), get, &plan);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message().rfind("too many failed authentications from this address", 0),
            0u)
      << refused.error_message();
  EXPECT_NE(fresh->GetServerTrailingMetadata().find("retry-after-ms"),
            fresh->GetServerTrailingMetadata().end());
  // The token verified before goes on working.
  EXPECT_TRUE(plans->GetPlan(Context(TokenOf("a", v1::VIEWER)).get(), get, &plan).ok());
  std::string metrics = HttpGet(gateway.metrics_port, "/metrics");
  EXPECT_NE(metrics.find("goldenthread_gateway_rejections_total{reason=\"auth_throttled\"} 4"),
            std::string::npos)
      << metrics.substr(0, 3000);
}

}  // namespace
}  // namespace gt::gateway::testing

namespace gt::gateway::testing {
namespace {

// Backends trust only the gateway: called directly with a forged identity
// (no seal, a made-up seal, another identity's seal, an expired one), every
// method of every backend answers UNAUTHENTICATED and writes nothing.
TEST_F(SecurityTest, ABackendCalledWithAForgedIdentityRefusesEveryMethod) {
  const std::string before = SnapshotOfA();
  auto key = LoadIdentityKey("");
  ASSERT_TRUE(key.ok()) << key.status();
  auto seal_for = [&](const Caller& who, absl::Time expires) {
    return SealIdentity(*key, who, expires);
  };
  const Caller operator_identity;
  const Caller viewer{"a", v1::VIEWER, "a-viewer", "", ""};
  const std::vector<std::pair<std::string, Metadata>> forgeries = {
      {"no seal", {{"x-gt-organisation", "a"}, {"x-gt-role", "ADMIN"}, {"x-gt-subject", "x"}}},
      {"no identity at all", {}},
      {"a made-up seal",
       {{"x-gt-organisation", "a"},
        {"x-gt-role", "ADMIN"},
        {"x-gt-identity-seal",
         absl::StrCat(absl::ToUnixSeconds(absl::Now()) + 600, ".", std::string(64, 'f'))}}},
      // A viewer's real seal, sent with the role raised to ADMIN.
      {"a viewer's seal with ADMIN",
       {{"x-gt-organisation", "a"},
        {"x-gt-role", "ADMIN"},
        {"x-gt-subject", "a-viewer"},
        {"x-gt-identity-seal", seal_for(viewer, absl::Now() + absl::Minutes(10))}}},
      // The operator's real seal, sent with an organisation added.
      {"an operator's seal for organisation b",
       {{"x-gt-organisation", "b"},
        {"x-gt-identity-seal", seal_for(operator_identity, absl::Now() + absl::Minutes(10))}}},
      {"an expired operator's seal",
       {{"x-gt-identity-seal", seal_for(operator_identity, absl::Now() - absl::Minutes(1))}}},
  };
  int calls = 0;
  for (const MethodCase& c : AllMethodCases()) {
    const Running* backend = absl::StartsWith(c.method, "PlanService/")        ? plan_
                             : absl::StartsWith(c.method, "MilestoneService/") ? milestone_
                             : absl::StartsWith(c.method, "ReportService/")    ? report_
                                                                               : nullptr;
    if (backend == nullptr) {
      continue;  // TokenService lives in the gateway itself
    }
    auto request = BuildRequest(c, *names_a_);
    ASSERT_NE(request, nullptr) << c.method;
    for (const auto& [what, metadata] : forgeries) {
      Reply reply =
          CallMethod(Plaintext(backend->address()), Path(c), *request, metadata, absl::Seconds(5));
      ++calls;
      EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << c.method << " with " << what << ": " << reply.status.error_message();
    }
  }
  EXPECT_GT(calls, 300);
  EXPECT_EQ(SnapshotOfA(), before);
  // The operator's own seal is believed: organisations are made this way.
  v1::GetOrganisationRequest get;
  get.set_name("organisations/a");
  v1::Organisation org;
  EXPECT_TRUE(PlanDirect()->GetOrganisation(Context("").get(), get, &org).ok());
}

}  // namespace
}  // namespace gt::gateway::testing
