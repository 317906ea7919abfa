// Service tests: the real plan-service over a real MariaDB database.
#include <fstream>
#include <set>
#include <sstream>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gt/test_http.h"
#include "plan_service_fixture.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using grpc::StatusCode;

// A small tree: 2 priorities, outcomes, activities, measures.
v1::PlanTree SmallTree() {
  v1::PlanTree tree;
  *tree.mutable_plan() = MakePlan("Strategic Plan 2017/18");
  for (int p = 1; p <= 2; ++p) {
    auto* priority = tree.add_priorities();
    priority->set_code(std::to_string(p));
    priority->set_title("Priority " + std::to_string(p));
    auto* measure = priority->add_measures();
    measure->set_title("Residents satisfied");
    measure->set_unit("%");
    measure->set_direction(v1::HIGHER_IS_BETTER);
    measure->set_target(80);
    for (int o = 1; o <= 2; ++o) {
      auto* outcome = priority->add_outcomes();
      outcome->set_code(std::to_string(p) + "." + std::to_string(o));
      outcome->set_title("Outcome " + outcome->code());
      for (int a = 1; a <= 4; ++a) {
        auto* activity = outcome->add_activities();
        activity->set_code(outcome->code() + "." + std::to_string(a));
        activity->set_title("Activity " + activity->code());
        activity->set_lead_member("Cabinet Member for Work and Economic Growth");
        activity->set_lead_officer("Owen Whalley");
        activity->set_directorate("PLACE");
        activity->set_deadline("2018-03-31");
        activity->set_reported_status(v1::ON_TARGET);
        activity->set_reported_percent_complete(50);
      }
    }
  }
  return tree;
}

class PlanApiTest : public PlanServiceTest {
 protected:
  void SetUp() override {
    EnsureOrganisation("th");
    EnsureOrganisation("other");
  }

  v1::PlanTree Import(const std::string& org, const std::string& plan_id, const v1::PlanTree& tree,
                      grpc::Status* status_out = nullptr, bool replace = false) {
    v1::ImportPlanRequest request;
    request.set_parent("organisations/" + org);
    request.set_plan_id(plan_id);
    *request.mutable_tree() = tree;
    request.set_replace(replace);
    v1::PlanTree response;
    grpc::Status status = Stub()->ImportPlan(As(org).get(), request, &response);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  int PlanRows(const std::string& org, const std::string& plan) {
    return std::stoi(db_->QueryScalar("SELECT COUNT(*) FROM plans WHERE org_id = ? AND plan_id = ?",
                                      {org, plan})) +
           std::stoi(db_->QueryScalar(
               "SELECT COUNT(*) FROM plan_items WHERE org_id = ? AND plan_id = ?", {org, plan}));
  }
};

TEST_F(PlanApiTest, ImportedTreeComesBackIdenticalInDocumentOrder) {
  v1::PlanTree tree = SmallTree();
  v1::PlanTree imported = Import("th", "small", tree);
  v1::GetPlanTreeRequest request;
  request.set_name("organisations/th/plans/small");
  v1::PlanTree read;
  ASSERT_TRUE(Stub()->GetPlanTree(As("th").get(), request, &read).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(imported, read));
  ASSERT_EQ(read.priorities_size(), 2);
  EXPECT_EQ(read.priorities(1).outcomes(0).activities(3).code(), "2.1.4");
  EXPECT_EQ(read.priorities(0).measures(0).target(), 80);
  // Everything the document said is kept; names, parents and etags are added.
  v1::PlanTree stripped = read;
  stripped.mutable_plan()->clear_name();
  stripped.mutable_plan()->clear_etag();
  stripped.mutable_plan()->clear_create_time();
  stripped.mutable_plan()->clear_update_time();
  stripped.mutable_plan()->set_state(v1::PLAN_STATE_UNSPECIFIED);
  for (auto& p : *stripped.mutable_priorities()) {
    p.clear_name(), p.clear_parent(), p.clear_etag(), p.clear_position();
    for (auto& m : *p.mutable_measures()) {
      m.clear_name(), m.clear_parent(), m.clear_etag(), m.clear_position();
    }
    for (auto& o : *p.mutable_outcomes()) {
      o.clear_name(), o.clear_parent(), o.clear_etag(), o.clear_position();
      for (auto& a : *o.mutable_activities()) {
        a.clear_name(), a.clear_parent(), a.clear_etag(), a.clear_position();
      }
    }
  }
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(tree, stripped)) << diff;
}

TEST_F(PlanApiTest, InvalidActivityDeepInTreeNamesItsPathAndStoresNothing) {
  v1::PlanTree tree = SmallTree();
  tree.mutable_priorities(1)->mutable_outcomes(0)->mutable_activities(3)->clear_code();
  grpc::Status status;
  Import("th", "broken", tree, &status);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "tree.priorities[1].outcomes[0].activities[3].code: must not be empty");
  EXPECT_EQ(PlanRows("th", "broken"), 0);
}

TEST_F(PlanApiTest, ImportIsAllOrNothingWhenTheDatabaseRefusesMidway) {
  // A title longer than the column is caught by validation; here a tree valid
  // to the manager fails in the database half-way (an organisation that does
  // not exist is found only after the plan row would be written).
  grpc::Status status;
  Import("nobody", "p", SmallTree(), &status);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "organisation organisations/nobody not found");
  EXPECT_EQ(PlanRows("nobody", "p"), 0);
}

TEST_F(PlanApiTest, DuplicateCodesInATreeAreRefusedWithBothPaths) {
  v1::PlanTree tree = SmallTree();
  tree.mutable_priorities(0)->mutable_outcomes(1)->set_code("1.1");
  grpc::Status status;
  Import("th", "dup", tree, &status);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "tree.priorities[0].outcomes[1].code: duplicates tree.priorities[0].outcomes[0].code "
            "('1.1'): codes must be unique under the same parent");
  EXPECT_EQ(PlanRows("th", "dup"), 0);
}

TEST_F(PlanApiTest, ImportTwiceIsRefusedUnlessReplacingWhichKeepsIds) {
  v1::PlanTree first = Import("th", "twice", SmallTree());
  grpc::Status status;
  Import("th", "twice", SmallTree(), &status);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message(),
            "plan organisations/th/plans/twice already exists (\"Strategic Plan 2017/18\"); "
            "import with replace=true to replace its tree");

  // A dry run answers as the real import would, and writes nothing.
  v1::ImportPlanRequest dry;
  dry.set_parent("organisations/th");
  dry.set_plan_id("twice");
  *dry.mutable_tree() = SmallTree();
  dry.set_validate_only(true);
  v1::PlanTree preview;
  EXPECT_EQ(Stub()->ImportPlan(As("th").get(), dry, &preview).error_code(),
            StatusCode::ALREADY_EXISTS);
  dry.set_plan_id("never-written");
  ASSERT_TRUE(Stub()->ImportPlan(As("th").get(), dry, &preview).ok());
  EXPECT_EQ(PlanRows("th", "never-written"), 0);

  v1::PlanTree changed = SmallTree();
  changed.mutable_priorities(0)->mutable_outcomes(0)->mutable_activities(0)->set_title("Renamed");
  changed.mutable_priorities(1)->mutable_outcomes()->RemoveLast();
  v1::PlanTree second = Import("th", "twice", changed, nullptr, true);
  EXPECT_EQ(second.priorities(0).outcomes(0).activities(0).name(),
            first.priorities(0).outcomes(0).activities(0).name());
  EXPECT_EQ(second.priorities(0).outcomes(0).activities(0).title(), "Renamed");
  EXPECT_EQ(second.priorities(1).outcomes_size(), 1);
  // 2 priorities + 2 measures + 3 outcomes + 12 activities, plus the plan row.
  EXPECT_EQ(PlanRows("th", "twice"), 1 + 2 + 2 + 3 + 12);
}

TEST_F(PlanApiTest, AnotherOrganisationsPlanIsNotFoundExactlyLikeAMissingOne) {
  Import("th", "secret", SmallTree());
  auto stub = Stub();
  v1::GetPlanRequest get;
  v1::Plan plan;
  get.set_name("organisations/th/plans/secret");
  grpc::Status foreign = stub->GetPlan(As("other").get(), get, &plan);
  get.set_name("organisations/th/plans/missing");
  grpc::Status missing = stub->GetPlan(As("th").get(), get, &plan);
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), "plan organisations/th/plans/secret not found");
  EXPECT_EQ(missing.error_message(), "plan organisations/th/plans/missing not found");

  v1::GetPlanTreeRequest tree_request;
  tree_request.set_name("organisations/th/plans/secret");
  v1::PlanTree tree;
  EXPECT_EQ(stub->GetPlanTree(As("other").get(), tree_request, &tree).error_code(),
            StatusCode::NOT_FOUND);
  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name("organisations/th/plans/secret");
  update.mutable_plan()->set_title("hijacked");
  update.mutable_update_mask()->add_paths("title");
  EXPECT_EQ(stub->UpdatePlan(As("other").get(), update, &plan).error_code(), StatusCode::NOT_FOUND);
  v1::ListActivitiesRequest list;
  list.set_parent("organisations/th/plans/secret");
  v1::ListActivitiesResponse activities;
  EXPECT_EQ(stub->ListActivities(As("other").get(), list, &activities).error_code(),
            StatusCode::NOT_FOUND);
  v1::ListPlansRequest plans;
  plans.set_parent("organisations/th");
  v1::ListPlansResponse listed;
  EXPECT_EQ(stub->ListPlans(As("other").get(), plans, &listed).error_code(), StatusCode::NOT_FOUND);
  // Nothing changed.
  get.set_name("organisations/th/plans/secret");
  ASSERT_TRUE(stub->GetPlan(As("th").get(), get, &plan).ok());
  EXPECT_EQ(plan.title(), "Strategic Plan 2017/18");
}

TEST_F(PlanApiTest, ListPlansPagesThroughEveryPlanOnce) {
  EnsureOrganisation("many");
  auto stub = Stub();
  for (int i = 0; i < 250; ++i) {
    v1::CreatePlanRequest request;
    request.set_parent("organisations/many");
    char id[16];
    std::snprintf(id, sizeof(id), "p-%03d", i);
    request.set_plan_id(id);
    *request.mutable_plan() = MakePlan(std::string("Plan ") + id);
    v1::Plan plan;
    ASSERT_TRUE(stub->CreatePlan(As("many").get(), request, &plan).ok());
  }
  std::set<std::string> seen;
  v1::ListPlansRequest request;
  request.set_parent("organisations/many");
  request.set_page_size(100);
  std::vector<int> page_sizes;
  do {
    v1::ListPlansResponse response;
    ASSERT_TRUE(stub->ListPlans(As("many").get(), request, &response).ok());
    page_sizes.push_back(response.plans_size());
    for (const auto& plan : response.plans()) {
      EXPECT_TRUE(seen.insert(plan.name()).second) << "twice: " << plan.name();
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && page_sizes.size() < 10);
  EXPECT_EQ(page_sizes, (std::vector<int>{100, 100, 50}));
  EXPECT_EQ(seen.size(), 250u);

  v1::ListPlansResponse response;
  request.set_page_token("");
  request.set_page_size(-1);
  grpc::Status negative = stub->ListPlans(As("many").get(), request, &response);
  EXPECT_EQ(negative.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(negative.error_message(), "page_size: must not be negative, got -1");
  request.set_page_size(1000000);
  ASSERT_TRUE(stub->ListPlans(As("many").get(), request, &response).ok());
  EXPECT_EQ(response.plans_size(), 250);  // clamped to 1000, so all of them
  EXPECT_TRUE(response.next_page_token().empty());

  request.set_page_size(10);
  request.set_page_token("not-a-token");
  EXPECT_EQ(stub->ListPlans(As("many").get(), request, &response).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(PlanApiTest, UpdateHonoursEtagAndMask) {
  auto stub = Stub();
  v1::CreatePlanRequest create;
  create.set_parent("organisations/th");
  create.set_plan_id("masked");
  *create.mutable_plan() = MakePlan("Original title");
  create.mutable_plan()->set_description("Original description");
  v1::Plan created;
  ASSERT_TRUE(stub->CreatePlan(As("th").get(), create, &created).ok());
  EXPECT_EQ(created.state(), v1::DRAFT);

  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(created.name());
  update.mutable_plan()->set_etag(created.etag());
  update.mutable_plan()->set_title("New title");
  update.mutable_plan()->set_description("this must not be written");
  update.mutable_update_mask()->add_paths("title");
  v1::Plan updated;
  ASSERT_TRUE(stub->UpdatePlan(As("th").get(), update, &updated).ok());
  EXPECT_EQ(updated.title(), "New title");
  EXPECT_EQ(updated.description(), "Original description");
  EXPECT_NE(updated.etag(), created.etag());

  // The old etag is stale now.
  update.mutable_plan()->set_title("Lost update");
  grpc::Status stale = stub->UpdatePlan(As("th").get(), update, &updated);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED);
  v1::GetPlanRequest get;
  get.set_name(created.name());
  v1::Plan current;
  ASSERT_TRUE(stub->GetPlan(As("th").get(), get, &current).ok());
  EXPECT_EQ(current.title(), "New title");

  update.mutable_plan()->set_etag(current.etag());
  update.mutable_update_mask()->set_paths(0, "nonsense");
  grpc::Status bad_mask = stub->UpdatePlan(As("th").get(), update, &updated);
  EXPECT_EQ(bad_mask.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_mask.error_message(),
            "update_mask.paths[0]: 'nonsense' is not an updatable field of Plan; use title, "
            "description, period_start, period_end, state, source");
}

TEST_F(PlanApiTest, BadInputGetsASpecificCodeNamingFieldAndRule) {
  auto stub = Stub();
  struct Case {
    std::string label;
    std::function<void(v1::CreatePlanRequest&)> mutate;
    StatusCode code;
    std::string message;
  };
  std::vector<Case> cases = {
      {"empty title", [](auto& r) { r.mutable_plan()->set_title(""); },
       StatusCode::INVALID_ARGUMENT, "plan.title: must not be empty"},
      {"blank title", [](auto& r) { r.mutable_plan()->set_title("   "); },
       StatusCode::INVALID_ARGUMENT, "plan.title: must not be empty"},
      {"long title", [](auto& r) { r.mutable_plan()->set_title(std::string(301, 'x')); },
       StatusCode::INVALID_ARGUMENT, "plan.title: must be at most 300 characters, got 301"},
      {"end before start", [](auto& r) { r.mutable_plan()->set_period_end("2017-03-31"); },
       StatusCode::INVALID_ARGUMENT,
       "plan.period_end: must not be before period_start (2017-04-01), got 2017-03-31"},
      {"bad date", [](auto& r) { r.mutable_plan()->set_period_start("31/03/2017"); },
       StatusCode::INVALID_ARGUMENT,
       "plan.period_start: must be a date YYYY-MM-DD, got '31/03/2017'"},
      {"unknown state",
       [](auto& r) { r.mutable_plan()->set_state(static_cast<v1::PlanState>(17)); },
       StatusCode::INVALID_ARGUMENT,
       "plan.state: unknown value 17; use one of DRAFT, ACTIVE, CLOSED"},
      {"bad plan id", [](auto& r) { r.set_plan_id("Plan 2017"); }, StatusCode::INVALID_ARGUMENT,
       "plan_id: must contain only a-z, 0-9 and '-', got 'Plan 2017'"},
      {"bad parent", [](auto& r) { r.set_parent("orgs/th"); }, StatusCode::INVALID_ARGUMENT,
       "parent: must look like organisations/{organisation}, got 'orgs/th'"},
      {"oversized", [](auto& r) { r.mutable_plan()->set_description(std::string(5 << 20, 'x')); },
       StatusCode::RESOURCE_EXHAUSTED, ""},
  };
  for (const Case& c : cases) {
    v1::CreatePlanRequest request;
    request.set_parent("organisations/th");
    request.set_plan_id("bad-input");
    *request.mutable_plan() = MakePlan("Valid");
    c.mutate(request);
    v1::Plan plan;
    grpc::Status status = stub->CreatePlan(As("th").get(), request, &plan);
    EXPECT_EQ(status.error_code(), c.code) << c.label << ": " << status.error_message();
    if (!c.message.empty()) {
      EXPECT_EQ(status.error_message(), c.message) << c.label;
    }
  }
  EXPECT_EQ(PlanRows("th", "bad-input"), 0);
}

TEST_F(PlanApiTest, ItemsCrudWithDuplicateCodesAndChildren) {
  auto stub = Stub();
  v1::PlanTree tree = Import("th", "items", SmallTree());
  const std::string priority = tree.priorities(0).name();

  v1::CreateOutcomeRequest create;
  create.set_parent(priority);
  create.mutable_outcome()->set_code("1.3");
  create.mutable_outcome()->set_title("Third outcome");
  v1::Outcome outcome;
  ASSERT_TRUE(stub->CreateOutcome(As("th").get(), create, &outcome).ok());
  EXPECT_EQ(outcome.position(), 2);  // appended after 1.1 and 1.2
  EXPECT_EQ(outcome.parent(), priority);

  grpc::Status duplicate = stub->CreateOutcome(As("th").get(), create, &outcome);
  EXPECT_EQ(duplicate.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(duplicate.error_message(), "outcome code '1.3' already exists under " + priority +
                                           "; codes must be unique under a parent");

  v1::CreateActivityRequest activity_request;
  activity_request.set_parent(outcome.name());
  activity_request.mutable_activity()->set_code("1.3.1");
  activity_request.mutable_activity()->set_title("New activity");
  activity_request.mutable_activity()->set_reported_percent_complete(140);
  v1::Activity activity;
  grpc::Status bad = stub->CreateActivity(As("th").get(), activity_request, &activity);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "activity.reported_percent_complete: must be 0..100, got 140");
  activity_request.mutable_activity()->set_reported_percent_complete(10);
  ASSERT_TRUE(stub->CreateActivity(As("th").get(), activity_request, &activity).ok());

  v1::UpdateActivityRequest update;
  update.mutable_activity()->set_name(activity.name());
  update.mutable_activity()->set_lead_officer("Andy Scott");
  update.mutable_activity()->set_title("not written");
  update.mutable_update_mask()->add_paths("lead_officer");
  v1::Activity updated;
  ASSERT_TRUE(stub->UpdateActivity(As("th").get(), update, &updated).ok());
  EXPECT_EQ(updated.lead_officer(), "Andy Scott");
  EXPECT_EQ(updated.title(), "New activity");
  EXPECT_EQ(updated.reported_percent_complete(), 10);

  v1::ListActivitiesRequest list;
  list.set_parent(outcome.name());
  v1::ListActivitiesResponse listed;
  ASSERT_TRUE(stub->ListActivities(As("th").get(), list, &listed).ok());
  ASSERT_EQ(listed.activities_size(), 1);
  EXPECT_EQ(listed.activities(0).name(), activity.name());

  v1::DeleteOutcomeRequest delete_outcome;
  delete_outcome.set_name(outcome.name());
  google::protobuf::Empty empty;
  grpc::Status has_children = stub->DeleteOutcome(As("th").get(), delete_outcome, &empty);
  EXPECT_EQ(has_children.error_code(), StatusCode::FAILED_PRECONDITION);
  v1::DeleteActivityRequest delete_activity;
  delete_activity.set_name(activity.name());
  ASSERT_TRUE(stub->DeleteActivity(As("th").get(), delete_activity, &empty).ok());
  ASSERT_TRUE(stub->DeleteOutcome(As("th").get(), delete_outcome, &empty).ok());
  v1::GetOutcomeRequest get;
  get.set_name(outcome.name());
  EXPECT_EQ(stub->GetOutcome(As("th").get(), get, &outcome).error_code(), StatusCode::NOT_FOUND);
  // An activity name used as an outcome name is simply not found.
  get.set_name(tree.priorities(0).outcomes(0).activities(0).name());
  EXPECT_EQ(stub->GetOutcome(As("th").get(), get, &outcome).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(PlanApiTest, MeasureValuesAreDatedAndOrdered) {
  auto stub = Stub();
  v1::PlanTree tree = Import("th", "measures", SmallTree());
  const std::string measure = tree.priorities(0).measures(0).name();
  for (const char* date : {"2017-09-30", "2017-06-30", "2017-12-31"}) {
    v1::CreateMeasureValueRequest request;
    request.set_parent(measure);
    request.mutable_value()->set_date(date);
    request.mutable_value()->set_value(71.5);
    v1::MeasureValue value;
    ASSERT_TRUE(stub->CreateMeasureValue(As("th").get(), request, &value).ok());
    EXPECT_EQ(value.name(), measure + "/values/" + date);
  }
  v1::ListMeasureValuesRequest list;
  list.set_parent(measure);
  v1::ListMeasureValuesResponse values;
  ASSERT_TRUE(stub->ListMeasureValues(As("th").get(), list, &values).ok());
  ASSERT_EQ(values.values_size(), 3);
  EXPECT_EQ(values.values(0).date(), "2017-06-30");
  EXPECT_EQ(values.values(2).date(), "2017-12-31");
}

TEST_F(PlanApiTest, CreatePlanIsIdempotentByRequestId) {
  auto stub = Stub();
  v1::CreatePlanRequest request;
  request.set_parent("organisations/th");
  request.set_plan_id("idem");
  request.set_request_id("req-1");
  *request.mutable_plan() = MakePlan("Once");
  v1::Plan first;
  v1::Plan again;
  ASSERT_TRUE(stub->CreatePlan(As("th").get(), request, &first).ok());
  ASSERT_TRUE(stub->CreatePlan(As("th").get(), request, &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, again));
  request.mutable_plan()->set_title("Different body");
  grpc::Status reused = stub->CreatePlan(As("th").get(), request, &again);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reused.error_message(),
            "request_id: 'req-1' was already used for a different request; use a new request_id "
            "for a new request");
}

TEST_F(PlanApiTest, MetricsCountCallsByCode) {
  auto stub = Stub();
  v1::GetPlanRequest get;
  get.set_name("organisations/th/plans/never-there");
  v1::Plan plan;
  stub->GetPlan(As("th").get(), get, &plan);
  std::string metrics = HttpGet(host_->metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("grpc_server_handled_total{grpc_code=\"NotFound\",grpc_method=\"GetPlan\","
                         "grpc_service=\"goldenthread.v1.PlanService\",grpc_type=\"unary\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("goldenthread_db_query_seconds_bucket{operation=\"GetPlan\""),
            std::string::npos);
}

}  // namespace
}  // namespace gt::plan

namespace gt::plan {
namespace {

using importers::testing::kMonitoring2017;
using importers::testing::ReadSeed;

// Issue acceptance: the structure of the Strategic Plan 2017/18 monitoring
// document goes in through ImportPlan and comes back from GetPlanTree
// identical and in document order.
TEST_F(PlanApiTest, Seed2017StructureRoundTripsThroughImportAndTree) {
  auto read = importers::ReadMonitoring2017(ReadSeed(kMonitoring2017));
  ASSERT_TRUE(read.ok()) << read.status();
  const v1::PlanTree& document = read->tree;
  v1::PlanTree imported = Import("th", "2017-18", document);
  v1::GetPlanTreeRequest request;
  request.set_name("organisations/th/plans/2017-18");
  v1::PlanTree tree;
  ASSERT_TRUE(Stub()->GetPlanTree(As("th").get(), request, &tree).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(imported, tree));

  ASSERT_EQ(tree.priorities_size(), document.priorities_size());
  int activities = 0;
  for (int p = 0; p < document.priorities_size(); ++p) {
    const auto& want_p = document.priorities(p);
    const auto& got_p = tree.priorities(p);
    EXPECT_EQ(got_p.code(), want_p.code());
    EXPECT_EQ(got_p.title(), want_p.title());
    ASSERT_EQ(got_p.outcomes_size(), want_p.outcomes_size());
    for (int o = 0; o < want_p.outcomes_size(); ++o) {
      const auto& want_o = want_p.outcomes(o);
      const auto& got_o = got_p.outcomes(o);
      EXPECT_EQ(got_o.code(), want_o.code());
      EXPECT_EQ(got_o.title(), want_o.title());
      ASSERT_EQ(got_o.activities_size(), want_o.activities_size());
      for (int a = 0; a < want_o.activities_size(); ++a) {
        const auto& want = want_o.activities(a);
        const auto& got = got_o.activities(a);
        EXPECT_EQ(got.code(), want.code());
        EXPECT_EQ(got.title(), want.title());
        EXPECT_EQ(got.lead_member(), want.lead_member());
        EXPECT_EQ(got.deadline(), want.deadline());
        EXPECT_EQ(got.reported_status(), want.reported_status());
        EXPECT_EQ(got.reported_percent_complete(), want.reported_percent_complete());
        EXPECT_EQ(got.reported_comment(), want.reported_comment());
        EXPECT_EQ(got.position(), a);
        ++activities;
      }
    }
  }
  // What a reader of the document counts: 3 priority outcomes, 50 activities,
  // the first being 1.1.1 led by two cabinet members, due 31/03/18.
  EXPECT_EQ(tree.priorities_size(), 3);
  EXPECT_EQ(activities, 50);
  const auto& first = tree.priorities(0).outcomes(0).activities(0);
  EXPECT_EQ(first.code(), "1.1.1");
  EXPECT_EQ(
      first.lead_member(),
      "Cabinet Member for Work and Economic Growth, Cabinet Member for Strategic Development");
  EXPECT_EQ(first.deadline(), "2018-03-31");
  EXPECT_EQ(first.reported_status(), v1::ON_TARGET);
  EXPECT_EQ(first.reported_percent_complete(), 75);
  EXPECT_EQ(tree.priorities(1).outcomes(3).activities(0).code(), "2.4.1");
  EXPECT_EQ(tree.priorities(1).outcomes(3).activities(0).reported_status(), v1::DELAYED);
}

}  // namespace
}  // namespace gt::plan
