// Unit tests of plan-service's rules: PlanManager against a mocked
// PlanRepository. No database, no gRPC — this binary links plan_domain
// (gt_base only) and gMock, which is itself the proof that the rules stand
// apart from the edge. What SQL does is plan_service_test's business.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "gt/status.h"
#include "plan_manager.h"
#include "plan_repository.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using ::testing::_;
using ::testing::Invoke;
using ::testing::IsNull;
using ::testing::NotNull;
using ::testing::Return;
using ::testing::StrictMock;

class MockPlanRepository : public PlanRepository {
 public:
  MOCK_METHOD(absl::StatusOr<v1::Organisation>, CreateOrganisation,
              (const std::string&, const v1::Organisation&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Organisation>, GetOrganisation, (const std::string&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Organisation>>, ListOrganisations,
              (const std::string&, int, const std::string&), (override));
  MOCK_METHOD(absl::StatusOr<v1::Plan>, CreatePlan,
              (const PlanKey&, const v1::Plan&, const RequestKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Plan>, GetPlan, (const PlanKey&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Plan>>, ListPlans,
              (const std::string&, const std::string&, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Plan>, UpdatePlan,
              (const PlanKey&, const std::function<absl::Status(v1::Plan&)>&), (override));
  MOCK_METHOD(absl::Status, DeletePlan,
              (const PlanKey&, const std::function<absl::Status(const v1::Plan&)>&), (override));
  MOCK_METHOD(absl::Status, CreateItem,
              (const PlanKey&, ItemRow, const RequestKey*, const absl::Status&,
               google::protobuf::Message&, const std::function<void(const ItemRow&)>&),
              (override));
  MOCK_METHOD(absl::StatusOr<ItemRow>, GetItem, (const ItemKey&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<ItemRow>>, ListItems,
              (const PlanKey&, ItemKind, const std::optional<ItemKey>&, const ItemCursor&, int),
              (override));
  MOCK_METHOD(absl::StatusOr<ItemRow>, UpdateItem,
              (const ItemKey&, const std::function<absl::Status(ItemRow&)>&), (override));
  MOCK_METHOD(absl::Status, DeleteItem,
              (const ItemKey&, const std::function<absl::Status(const ItemRow&)>&), (override));
  MOCK_METHOD(absl::StatusOr<v1::MeasureValue>, CreateMeasureValue,
              (const ItemKey&, const v1::MeasureValue&, const RequestKey*,
               const std::function<absl::Status(const v1::Plan&)>&),
              (override));
  MOCK_METHOD(absl::StatusOr<std::vector<ValueRow>>, ListMeasureValues,
              (const ValueQuery&, const std::optional<ValueCursor>&, int), (override));
  MOCK_METHOD(absl::Status, DeleteMeasureValue,
              (const ItemKey&, const std::string&, const std::string&), (override));
  MOCK_METHOD(absl::StatusOr<v1::PlanTree>, GetPlanTree, (const PlanKey&), (override));
  MOCK_METHOD(absl::StatusOr<v1::PlanTree>, ImportPlan,
              (const PlanKey&, const v1::PlanTree&, bool, bool, const RequestKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Directorate>, CreateDirectorate,
              (const DirectorateKey&, const v1::Directorate&, const RequestKey*), (override));
  MOCK_METHOD(absl::StatusOr<v1::Directorate>, GetDirectorate, (const DirectorateKey&), (override));
  MOCK_METHOD(absl::StatusOr<std::vector<v1::Directorate>>, ListDirectorates,
              (const std::string&, const std::string&, int), (override));
  MOCK_METHOD(absl::StatusOr<v1::Directorate>, UpdateDirectorate,
              (const DirectorateKey&, const std::function<absl::Status(v1::Directorate&)>&),
              (override));
  MOCK_METHOD(absl::Status, DeleteDirectorate,
              (const DirectorateKey&, const std::function<absl::Status(const v1::Directorate&)>&),
              (override));
};

Caller Of(const std::string& organisation) {
  Caller caller;
  caller.organisation = organisation;
  caller.role = v1::ADMIN;
  return caller;
}

v1::Plan StoredPlan() {
  v1::Plan plan;
  plan.set_name("organisations/th/plans/2017-18");
  plan.set_title("Strategic Plan 2017/18");
  plan.set_description("Our plan");
  plan.set_period_start("2017-04-01");
  plan.set_period_end("2018-03-31");
  plan.set_state(v1::ACTIVE);
  plan.set_source("seed 003");
  plan.set_etag("\"3\"");
  return plan;
}

TEST(PlanManagerUnitTest, BadInputIsRefusedBeforeTheRepositoryIsAsked) {
  StrictMock<MockPlanRepository> repository;  // any call fails the test
  PlanManager manager(repository);
  v1::CreatePlanRequest request;
  request.set_parent("organisations/th");
  request.set_plan_id("2017-18");
  request.mutable_plan()->set_period_start("2017-04-01");
  request.mutable_plan()->set_period_end("2018-03-31");
  auto created = manager.CreatePlan(Of("th"), request);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(created.status().message(), "plan.title: must not be empty");

  request.mutable_plan()->set_title("Plan");
  request.set_plan_id("Plan 2017");
  EXPECT_EQ(manager.CreatePlan(Of("th"), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PlanManagerUnitTest, AnotherOrganisationIsNotFoundWithoutAskingTheRepository) {
  StrictMock<MockPlanRepository> repository;
  PlanManager manager(repository);
  v1::GetPlanRequest request;
  request.set_name("organisations/other/plans/2017-18");
  auto got = manager.GetPlan(Of("th"), request);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "plan organisations/other/plans/2017-18 not found");
}

// AIP-134 decided in the manager: the repository's read-modify-write sees
// only the populated field change.
TEST(PlanManagerUnitTest, AnUpdateWithoutMaskChangesOnlyTheFieldsThatAreSet) {
  MockPlanRepository repository;
  PlanManager manager(repository);
  EXPECT_CALL(repository, UpdatePlan(_, _))
      .WillOnce(Invoke([](const PlanKey& key, const std::function<absl::Status(v1::Plan&)>& mutate)
                           -> absl::StatusOr<v1::Plan> {
        EXPECT_EQ(key.organisation, "th");
        EXPECT_EQ(key.plan, "2017-18");
        v1::Plan stored = StoredPlan();
        absl::Status mutated = mutate(stored);
        if (!mutated.ok()) {
          return mutated;
        }
        return stored;
      }));
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name("organisations/th/plans/2017-18");
  request.mutable_plan()->set_title("Strategic Plan 2017/18 (revised)");
  auto updated = manager.UpdatePlan(Of("th"), request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  v1::Plan expected = StoredPlan();
  expected.set_title("Strategic Plan 2017/18 (revised)");
  EXPECT_EQ(updated->DebugString(), expected.DebugString());
}

TEST(PlanManagerUnitTest, AStaleEtagIsAbortedAndNothingChanges) {
  MockPlanRepository repository;
  PlanManager manager(repository);
  v1::Plan stored = StoredPlan();
  EXPECT_CALL(repository, UpdatePlan(_, _))
      .WillOnce(
          Invoke([&stored](const PlanKey&, const std::function<absl::Status(v1::Plan&)>& mutate)
                     -> absl::StatusOr<v1::Plan> {
            v1::Plan copy = stored;
            absl::Status mutated = mutate(copy);
            if (!mutated.ok()) {
              return mutated;
            }
            stored = copy;
            return stored;
          }));
  v1::UpdatePlanRequest request;
  request.mutable_plan()->set_name("organisations/th/plans/2017-18");
  request.mutable_plan()->set_etag("\"2\"");
  request.mutable_plan()->set_title("Lost update");
  auto updated = manager.UpdatePlan(Of("th"), request);
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(stored.title(), "Strategic Plan 2017/18");
}

// AIP-155 decided in the manager: a create with a request_id hands the
// repository a key naming the method and hashing the request without its id;
// without one, none.
TEST(PlanManagerUnitTest, ACreateWithARequestIdIsKeyedByMethodAndContent) {
  MockPlanRepository repository;
  PlanManager manager(repository);
  v1::PlanTree tree;
  tree.mutable_plan()->set_name("organisations/th/plans/2017-18");
  EXPECT_CALL(repository, GetPlanTree(_)).WillRepeatedly(Return(tree));
  std::vector<RequestKey> keys;
  EXPECT_CALL(repository, CreateItem(_, _, NotNull(), _, _, _))
      .Times(2)
      .WillRepeatedly(Invoke([&keys](const PlanKey& plan, ItemRow row, const RequestKey* key,
                                     const absl::Status& refuse_new, google::protobuf::Message&,
                                     const std::function<void(const ItemRow&)>& answered) {
        EXPECT_TRUE(refuse_new.ok());
        keys.push_back(*key);
        row.id = 41;
        answered(row);
        return absl::OkStatus();
      }));
  EXPECT_CALL(repository, CreateItem(_, _, IsNull(), _, _, _))
      .WillOnce(Invoke([](const PlanKey&, ItemRow row, const RequestKey*, const absl::Status&,
                          google::protobuf::Message&,
                          const std::function<void(const ItemRow&)>& answered) {
        row.id = 42;
        answered(row);
        return absl::OkStatus();
      }));
  v1::CreatePriorityRequest request;
  request.set_parent("organisations/th/plans/2017-18");
  request.set_request_id("create-1");
  request.mutable_priority()->set_code("1");
  request.mutable_priority()->set_title("Living safely");
  auto first = manager.CreateItem(Of("th"), request, request.priority());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "organisations/th/plans/2017-18/priorities/41");
  request.mutable_priority()->set_title("Living safely and well");
  ASSERT_TRUE(manager.CreateItem(Of("th"), request, request.priority()).ok());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].method, "CreatePriority");
  EXPECT_EQ(keys[0].request_id, "create-1");
  EXPECT_EQ(keys[0].organisation, "th");
  EXPECT_NE(keys[0].request_hash, keys[1].request_hash);

  request.clear_request_id();
  auto unkeyed = manager.CreateItem(Of("th"), request, request.priority());
  ASSERT_TRUE(unkeyed.ok()) << unkeyed.status();
  EXPECT_EQ(unkeyed->name(), "organisations/th/plans/2017-18/priorities/42");

  request.set_request_id("has a space");
  EXPECT_EQ(manager.CreateItem(Of("th"), request, request.priority()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A full tree refuses a new create before anything is written — but a
// retry of a create that was written (perhaps the one that filled the tree)
// must still get its first answer, so with a request_id the refusal goes to
// the repository, which answers a stored request first.
TEST(PlanManagerUnitTest, AFullTreeRefusesNewCreatesButNotTheRetryOfAWrittenOne) {
  StrictMock<MockPlanRepository> repository;
  PlanManager manager(repository);
  v1::PlanTree full;
  full.mutable_plan()->set_name("organisations/th/plans/2017-18");
  for (int i = 0; i < 5000; ++i) {
    full.add_priorities()->set_code(std::to_string(i));
  }
  EXPECT_CALL(repository, GetPlanTree(_)).WillRepeatedly(Return(full));
  v1::CreatePriorityRequest request;
  request.set_parent("organisations/th/plans/2017-18");
  request.mutable_priority()->set_code("5000");
  request.mutable_priority()->set_title("One too many");
  EXPECT_EQ(manager.CreateItem(Of("th"), request, request.priority()).status().code(),
            absl::StatusCode::kInvalidArgument);

  request.set_request_id("filled-it");
  EXPECT_CALL(repository, CreateItem(_, _, NotNull(), _, _, _))
      .WillOnce(
          Invoke([](const PlanKey&, ItemRow, const RequestKey*, const absl::Status& refuse_new,
                    google::protobuf::Message& answer, const std::function<void(const ItemRow&)>&) {
            EXPECT_EQ(refuse_new.code(), absl::StatusCode::kInvalidArgument);
            // As the SQL repository does for a stored request: the first answer.
            v1::Priority first;
            first.set_name("organisations/th/plans/2017-18/priorities/5001");
            answer.CopyFrom(first);
            return absl::OkStatus();
          }));
  auto retried = manager.CreateItem(Of("th"), request, request.priority());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), "organisations/th/plans/2017-18/priorities/5001");
}

// Issue 19: a value is checked before the repository is asked; what reaches
// it is what the caller may set plus who recorded it, keyed by request_id;
// the plan's period is checked against the plan the write's transaction reads.
TEST(PlanManagerUnitTest, AMeasureValueIsCheckedThenRecordedWithItsRecorderAndKey) {
  StrictMock<MockPlanRepository> repository;
  PlanManager manager(repository);
  Caller caller = Of("th");
  caller.subject = "officer-7";
  v1::CreateMeasureValueRequest request;
  request.set_parent("organisations/th/plans/2017-18/measures/9");
  request.mutable_value()->set_date("2017-06-31");
  request.mutable_value()->set_value(71);
  EXPECT_EQ(manager.CreateMeasureValue(caller, request).status().message(),
            "value.date: must be a date YYYY-MM-DD, got '2017-06-31'");
  request.mutable_value()->set_date("2017-06-30");
  request.mutable_value()->set_value(std::nan(""));
  EXPECT_EQ(manager.CreateMeasureValue(caller, request).status().message(),
            "value.value: must be a finite number");
  request.mutable_value()->set_value(71);
  request.mutable_value()->set_note(std::string(1001, 'n'));
  EXPECT_EQ(manager.CreateMeasureValue(caller, request).status().code(),
            absl::StatusCode::kInvalidArgument);

  request.mutable_value()->set_note("Q1");
  request.mutable_value()->set_revision(7);  // output only: not passed on
  request.set_request_id("value-1");
  EXPECT_CALL(repository, CreateMeasureValue(_, _, NotNull(), _))
      .Times(2)
      .WillRepeatedly(
          Invoke([](const ItemKey& measure, const v1::MeasureValue& value, const RequestKey* key,
                    const std::function<absl::Status(const v1::Plan&)>& check)
                     -> absl::StatusOr<v1::MeasureValue> {
            EXPECT_EQ(measure.id, 9);
            EXPECT_EQ(value.recorded_by(), "officer-7");
            EXPECT_EQ(value.revision(), 0);
            EXPECT_EQ(key->method, "CreateMeasureValue");
            EXPECT_EQ(key->request_id, "value-1");
            GT_RETURN_IF_ERROR(check(StoredPlan()));
            return value;
          }));
  auto recorded = manager.CreateMeasureValue(caller, request);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->note(), "Q1");
  request.mutable_value()->set_date("2018-04-01");
  EXPECT_EQ(manager.CreateMeasureValue(caller, request).status().message(),
            "value.date: must be within the period of plan organisations/th/plans/2017-18 "
            "(2017-04-01 .. 2018-03-31), got 2018-04-01");
}

}  // namespace
}  // namespace gt::plan
