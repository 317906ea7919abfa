// AIP-134 and AIP-155 on every Update and Create of plan-service, over the
// real service and MariaDB: an update that sets one field and sends no mask
// changes that field and keeps every other; "*" replaces them all; a create
// repeated with its request_id writes once and answers the first answer.
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "plan_service_fixture.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::MessageDifferencer;
using grpc::StatusCode;

class UpdateMaskTest : public PlanServiceTest {
 protected:
  void SetUp() override { EnsureOrganisation("mask"); }

  // Sends `changed`'s `field` alone (name + that field, no mask) through
  // `update` and expects the answer to equal `changed`: the one field new,
  // every other as in `before`. Also refuses the same call with nothing set.
  template <typename Msg>
  void ExpectOneFieldUpdateKeepsTheRest(
      const Msg& before, const Msg& changed, const std::string& field,
      const std::function<grpc::Status(const Msg& resource, bool star, Msg* out)>& update) {
    SCOPED_TRACE(absl::StrCat(Msg::descriptor()->name(), ".", field));
    Msg resource;
    google::protobuf::FieldMask one;
    one.add_paths(field);
    one.add_paths("name");
    FieldMaskUtil::MergeMessageTo(changed, one, FieldMaskUtil::MergeOptions(), &resource);
    Msg after;
    grpc::Status status = update(resource, false, &after);
    ASSERT_TRUE(status.ok()) << status.error_message();
    MessageDifferencer diff;
    const auto* d = Msg::descriptor();
    diff.IgnoreField(d->FindFieldByName("etag"));
    if (d->FindFieldByName("update_time") != nullptr) {
      diff.IgnoreField(d->FindFieldByName("update_time"));
    }
    std::string report;
    diff.ReportDifferencesToString(&report);
    EXPECT_TRUE(diff.Compare(changed, after)) << report;
    EXPECT_NE(after.etag(), before.etag());

    Msg nothing;
    nothing.set_name(before.name());
    Msg ignored;
    grpc::Status refused = update(nothing, false, &ignored);
    EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(refused.error_message().rfind("update_mask: omitted, and no updatable field of ", 0),
              0u)
        << refused.error_message();
  }

  v1::PlanTree ImportTree(const std::string& plan_id) {
    v1::ImportPlanRequest request;
    request.set_parent("organisations/mask");
    request.set_plan_id(plan_id);
    auto* tree = request.mutable_tree();
    v1::Plan* plan = tree->mutable_plan();
    plan->set_title("Masked plan");
    plan->set_description("kept");
    plan->set_period_start("2017-04-01");
    plan->set_period_end("2018-03-31");
    plan->set_source("seed 003");
    auto* priority = tree->add_priorities();
    priority->set_code("1");
    priority->set_title("Living safely");
    auto* measure = priority->add_measures();
    measure->set_code("NI 15");
    measure->set_title("Serious violent crime");
    measure->set_unit("number");
    measure->set_direction(v1::LOWER_IS_BETTER);
    measure->set_baseline(120);
    measure->set_target(100);
    measure->set_target_text("top quartile");
    auto* outcome = priority->add_outcomes();
    outcome->set_code("1.1");
    outcome->set_title("Safer streets");
    auto* activity = outcome->add_activities();
    activity->set_code("1.1.1");
    activity->set_title("Street lighting");
    activity->set_lead_member("Cabinet Member for Environment");
    activity->set_lead_officer("Owen Whalley");
    activity->set_directorate("PLACE");
    activity->set_deadline("2018-03-31");
    activity->set_reported_status(v1::ON_TARGET);
    activity->set_reported_percent_complete(75);
    activity->set_reported_comment("On track");
    v1::PlanTree out;
    grpc::Status status = Stub()->ImportPlan(As("mask").get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
};

TEST_F(UpdateMaskTest, AnOmittedMaskChangesOnlyTheFieldsThatAreSet) {
  v1::PlanTree tree = ImportTree("one-field");
  ASSERT_EQ(tree.priorities_size(), 1);
  auto stub = Stub();

  // Plan: strip the tree-only parts so the answer compares as a Plan.
  v1::Plan plan = tree.plan();
  v1::Plan plan_changed = plan;
  plan_changed.set_title("Renamed plan");
  ExpectOneFieldUpdateKeepsTheRest<v1::Plan>(
      plan, plan_changed, "title", [&](const v1::Plan& r, bool, v1::Plan* out) {
        v1::UpdatePlanRequest request;
        *request.mutable_plan() = r;
        return stub->UpdatePlan(As("mask").get(), request, out);
      });

  auto clear_tree = [](auto msg) {
    msg.clear_outcomes();
    msg.clear_measures();
    return msg;
  };
  v1::Priority priority = clear_tree(tree.priorities(0));
  v1::Priority priority_changed = priority;
  priority_changed.set_title("Living safely in the borough");
  ExpectOneFieldUpdateKeepsTheRest<v1::Priority>(
      priority, priority_changed, "title", [&](const v1::Priority& r, bool, v1::Priority* out) {
        v1::UpdatePriorityRequest request;
        *request.mutable_priority() = r;
        return stub->UpdatePriority(As("mask").get(), request, out);
      });

  v1::Outcome outcome = tree.priorities(0).outcomes(0);
  outcome.clear_activities();
  outcome.clear_measures();
  v1::Outcome outcome_changed = outcome;
  outcome_changed.set_code("1.1a");
  ExpectOneFieldUpdateKeepsTheRest<v1::Outcome>(
      outcome, outcome_changed, "code", [&](const v1::Outcome& r, bool, v1::Outcome* out) {
        v1::UpdateOutcomeRequest request;
        *request.mutable_outcome() = r;
        return stub->UpdateOutcome(As("mask").get(), request, out);
      });

  v1::Activity activity = tree.priorities(0).outcomes(0).activities(0);
  auto update_activity = [&](const v1::Activity& r, bool star, v1::Activity* out) {
    v1::UpdateActivityRequest request;
    *request.mutable_activity() = r;
    if (star) {
      request.mutable_update_mask()->add_paths("*");
    }
    return stub->UpdateActivity(As("mask").get(), request, out);
  };
  // Before the one-field updates the activity must have every field set, so
  // that a wiped field would show.
  ASSERT_FALSE(activity.lead_member().empty());
  ASSERT_TRUE(activity.has_reported_percent_complete());
  for (const std::string& field : {"lead_officer", "reported_percent_complete", "deadline"}) {
    v1::Activity changed = activity;
    if (field == "lead_officer") {
      changed.set_lead_officer("Andy Scott");
    } else if (field == "reported_percent_complete") {
      changed.set_reported_percent_complete(80);
    } else {
      changed.set_deadline("2018-06-30");
    }
    ExpectOneFieldUpdateKeepsTheRest<v1::Activity>(activity, changed, field, update_activity);
    v1::GetActivityRequest get;
    get.set_name(activity.name());
    ASSERT_TRUE(stub->GetActivity(As("mask").get(), get, &activity).ok());
  }

  v1::Measure measure = tree.priorities(0).measures(0);
  v1::Measure measure_changed = measure;
  measure_changed.set_target(90);
  ExpectOneFieldUpdateKeepsTheRest<v1::Measure>(
      measure, measure_changed, "target", [&](const v1::Measure& r, bool, v1::Measure* out) {
        v1::UpdateMeasureRequest request;
        *request.mutable_measure() = r;
        return stub->UpdateMeasure(As("mask").get(), request, out);
      });

  v1::CreateDirectorateRequest create;
  create.set_parent("organisations/mask");
  create.set_directorate_id("csf");
  create.mutable_directorate()->set_code("CSF");
  create.mutable_directorate()->set_display_name("Children, Schools and Families");
  create.mutable_directorate()->add_aliases("CS&F");
  v1::Directorate directorate;
  ASSERT_TRUE(stub->CreateDirectorate(As("mask").get(), create, &directorate).ok());
  v1::Directorate directorate_changed = directorate;
  directorate_changed.set_display_name("Children's Services");
  ExpectOneFieldUpdateKeepsTheRest<v1::Directorate>(
      directorate, directorate_changed, "display_name",
      [&](const v1::Directorate& r, bool, v1::Directorate* out) {
        v1::UpdateDirectorateRequest request;
        *request.mutable_directorate() = r;
        return stub->UpdateDirectorate(As("mask").get(), request, out);
      });
}

TEST_F(UpdateMaskTest, StarReplacesEveryUpdatableFieldAndANamedFieldCanBeCleared) {
  v1::PlanTree tree = ImportTree("star");
  auto stub = Stub();
  v1::Activity activity = tree.priorities(0).outcomes(0).activities(0);

  // Naming a field with an empty value clears it.
  v1::UpdateActivityRequest clear;
  clear.mutable_activity()->set_name(activity.name());
  clear.mutable_update_mask()->add_paths("reported_comment");
  v1::Activity cleared;
  ASSERT_TRUE(stub->UpdateActivity(As("mask").get(), clear, &cleared).ok());
  EXPECT_EQ(cleared.reported_comment(), "");
  EXPECT_EQ(cleared.lead_officer(), "Owen Whalley");

  // "*" is a full replacement: what is not sent is cleared.
  v1::UpdateActivityRequest star;
  star.mutable_activity()->set_name(activity.name());
  star.mutable_activity()->set_code("1.1.1");
  star.mutable_activity()->set_title("Street lighting");
  star.mutable_update_mask()->add_paths("*");
  v1::Activity replaced;
  ASSERT_TRUE(stub->UpdateActivity(As("mask").get(), star, &replaced).ok());
  EXPECT_EQ(replaced.lead_officer(), "");
  EXPECT_EQ(replaced.deadline(), "");
  EXPECT_FALSE(replaced.has_reported_percent_complete());

  star.mutable_update_mask()->add_paths("title");
  v1::Activity ignored;
  grpc::Status mixed = stub->UpdateActivity(As("mask").get(), star, &ignored);
  EXPECT_EQ(mixed.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(mixed.error_message(),
            "update_mask.paths[0]: \"*\" must be the only path when it is given");
}

TEST_F(UpdateMaskTest, CreatesOfTreeNodesAreIdempotentByRequestId) {
  v1::PlanTree tree = ImportTree("idempotent");
  auto stub = Stub();
  const std::string outcome = tree.priorities(0).outcomes(0).name();
  auto count = [&] {
    return db_->QueryScalar(
        "SELECT COUNT(*) FROM plan_items WHERE org_id = 'mask' AND plan_id = 'idempotent'", {});
  };
  std::string rows_before = count();

  v1::CreateActivityRequest request;
  request.set_parent(outcome);
  request.set_request_id("create-activity-1");
  request.mutable_activity()->set_code("1.1.2");
  request.mutable_activity()->set_title("CCTV");
  v1::Activity first;
  ASSERT_TRUE(stub->CreateActivity(As("mask").get(), request, &first).ok());
  // The activity changes after the create: a repeat still answers the first
  // answer and writes nothing.
  v1::UpdateActivityRequest rename;
  rename.mutable_activity()->set_name(first.name());
  rename.mutable_activity()->set_title("CCTV in town centres");
  v1::Activity renamed;
  ASSERT_TRUE(stub->UpdateActivity(As("mask").get(), rename, &renamed).ok());
  v1::Activity second;
  ASSERT_TRUE(stub->CreateActivity(As("mask").get(), request, &second).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, second))
      << first.DebugString() << second.DebugString();
  EXPECT_EQ(std::stoi(count()), std::stoi(rows_before) + 1);

  // The same id with another request is refused, and writes nothing.
  request.mutable_activity()->set_code("1.1.3");
  v1::Activity ignored;
  grpc::Status reused = stub->CreateActivity(As("mask").get(), request, &ignored);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT) << reused.error_message();
  EXPECT_EQ(std::stoi(count()), std::stoi(rows_before) + 1);

  // Every other node create takes one too.
  v1::CreatePriorityRequest priority;
  priority.set_parent(tree.plan().name());
  priority.set_request_id("create-priority-1");
  priority.mutable_priority()->set_code("2");
  priority.mutable_priority()->set_title("Prosperity");
  v1::Priority p1, p2;
  ASSERT_TRUE(stub->CreatePriority(As("mask").get(), priority, &p1).ok());
  ASSERT_TRUE(stub->CreatePriority(As("mask").get(), priority, &p2).ok());
  EXPECT_EQ(p1.name(), p2.name());
  v1::CreateOutcomeRequest outcome_request;
  outcome_request.set_parent(p1.name());
  outcome_request.set_request_id("create-outcome-1");
  outcome_request.mutable_outcome()->set_code("2.1");
  outcome_request.mutable_outcome()->set_title("Jobs");
  v1::Outcome o1, o2;
  ASSERT_TRUE(stub->CreateOutcome(As("mask").get(), outcome_request, &o1).ok());
  ASSERT_TRUE(stub->CreateOutcome(As("mask").get(), outcome_request, &o2).ok());
  EXPECT_EQ(o1.name(), o2.name());
  v1::CreateMeasureRequest measure;
  measure.set_parent(o1.name());
  measure.set_request_id("create-measure-1");
  measure.mutable_measure()->set_title("Employment rate");
  v1::Measure m1, m2;
  ASSERT_TRUE(stub->CreateMeasure(As("mask").get(), measure, &m1).ok());
  ASSERT_TRUE(stub->CreateMeasure(As("mask").get(), measure, &m2).ok());
  EXPECT_EQ(m1.name(), m2.name());
  EXPECT_EQ(std::stoi(count()), std::stoi(rows_before) + 4);
}

}  // namespace
}  // namespace gt::plan
