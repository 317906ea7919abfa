// Issue 19, a measure's RAG tolerance and period targets, over the real
// service and MariaDB: they round-trip through Create/Get/List/Update (with
// its mask), GetPlanTree and ImportPlan, and bad ones are refused naming the
// field and the rule with nothing written. Also the migration that turns the
// old measure_values rows into history.
#include <google/protobuf/util/message_differencer.h>
#include <prometheus/registry.h>

#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "measure_fixture.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using google::protobuf::util::MessageDifferencer;
using grpc::StatusCode;

v1::MeasureTarget Target(const std::string& from, const std::string& to,
                         std::optional<double> value, const std::string& text = "",
                         const std::string& label = "") {
  v1::MeasureTarget target;
  target.set_from_date(from);
  target.set_to_date(to);
  if (value.has_value()) {
    target.set_value(*value);
  }
  target.set_text(text);
  target.set_label(label);
  return target;
}

class MeasureTargetsTest : public MeasureTest {
 protected:
  v1::Measure Get(const std::string& name) {
    v1::GetMeasureRequest request;
    request.set_name(name);
    v1::Measure out;
    grpc::Status status = Stub()->GetMeasure(As(kOrg).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status Update(const v1::Measure& measure, const std::vector<std::string>& paths,
                      v1::Measure* out) {
    v1::UpdateMeasureRequest request;
    *request.mutable_measure() = measure;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return Stub()->UpdateMeasure(As(kOrg).get(), request, out);
  }

  v1::PlanTree Tree(const std::string& plan) {
    v1::GetPlanTreeRequest request;
    request.set_name(plan);
    v1::PlanTree out;
    grpc::Status status = Stub()->GetPlanTree(As(kOrg).get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  using MeasureTest::Tree;
};

std::string Diff(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  return differencer.Compare(a, b) ? "" : report;
}

TEST_F(MeasureTargetsTest, ToleranceAndTargetsRoundTripThroughEveryMethod) {
  v1::PlanTree tree = Import("t-round");
  const std::string plan = tree.plan().name();
  v1::CreateMeasureRequest create;
  create.set_parent(tree.priorities(0).outcomes(1).name());
  v1::Measure& wanted = *create.mutable_measure();
  wanted.set_code("NI 15");
  wanted.set_title("Serious violent crime");
  wanted.set_direction(v1::LOWER_IS_BETTER);
  wanted.set_target(100);
  wanted.set_amber_within_percent(5);
  *wanted.add_targets() = Target("2017-04-01", "2017-06-30", 30, "", "Q1 2017/18");
  *wanted.add_targets() = Target("2017-07-01", "2017-09-30", 55.5, "", "Q2 2017/18");
  *wanted.add_targets() = Target("2017-04-01", "2018-03-31", std::nullopt, "top quartile");
  v1::Measure created;
  grpc::Status status = Stub()->CreateMeasure(As(kOrg).get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.amber_within_percent(), 5);
  EXPECT_FALSE(created.has_amber_within_units());
  ASSERT_EQ(created.targets_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Diff(created.targets(i), wanted.targets(i)), "") << i;
  }
  EXPECT_FALSE(created.targets(2).has_value());
  EXPECT_EQ(Rows("measure_targets", "t-round", IdOf(created.name())), 3);

  EXPECT_EQ(Diff(Get(created.name()), created), "");
  v1::ListMeasuresRequest list;
  list.set_parent(plan);
  v1::ListMeasuresResponse listed;
  ASSERT_TRUE(Stub()->ListMeasures(As(kOrg).get(), list, &listed).ok());
  ASSERT_EQ(listed.measures_size(), 5);
  bool seen = false;
  for (const auto& m : listed.measures()) {
    if (m.name() == created.name()) {
      seen = true;
      EXPECT_EQ(Diff(m, created), "");
    } else {
      EXPECT_EQ(m.targets_size(), 0) << m.name();
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(Diff(Tree(plan).priorities(0).outcomes(1).measures(1), created), "");

  // The mask names targets: they are replaced as a whole, the rest kept.
  v1::Measure change;
  change.set_name(created.name());
  *change.add_targets() = Target("2017-10-01", "2017-12-31", 80, "", "Q3");
  change.set_amber_within_percent(50);  // set, but not named: not written
  v1::Measure updated;
  status = Update(change, {"targets"}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(updated.targets_size(), 1);
  EXPECT_EQ(updated.targets(0).label(), "Q3");
  EXPECT_EQ(updated.amber_within_percent(), 5);
  EXPECT_EQ(updated.code(), "NI 15");
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(Rows("measure_targets", "t-round", IdOf(created.name())), 1);
  EXPECT_EQ(Diff(Get(created.name()), updated), "");

  // Naming both tolerances switches from one to the other.
  change.Clear();
  change.set_name(created.name());
  change.set_amber_within_units(2.5);
  status = Update(change, {"amber_within_percent", "amber_within_units"}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(updated.has_amber_within_percent());
  EXPECT_EQ(updated.amber_within_units(), 2.5);
  ASSERT_EQ(updated.targets_size(), 1);

  // Without a mask, the fields set are written: a percentage beside the
  // units is both, refused, and nothing changes.
  change.Clear();
  change.set_name(created.name());
  change.set_amber_within_percent(10);
  v1::Measure refused;
  status = Update(change, {}, &refused);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldOf(status), "measure.amber_within_units");
  EXPECT_EQ(Diff(Get(created.name()), updated), "");
  // Targets alone, no mask: replaced.
  change.Clear();
  change.set_name(created.name());
  *change.add_targets() = Target("2018-01-01", "2018-03-31", std::nullopt, "maintain");
  *change.add_targets() = Target("2017-04-01", "2018-03-31", 90);
  status = Update(change, {}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(updated.targets_size(), 2);
  EXPECT_EQ(updated.targets(0).text(), "maintain");
  EXPECT_EQ(updated.amber_within_units(), 2.5);
  EXPECT_EQ(Diff(Tree(plan).priorities(0).outcomes(1).measures(1), updated), "");

  // "*" replaces every field: what is not sent is cleared.
  change.Clear();
  change.set_name(created.name());
  change.set_title("Serious violent crime");
  status = Update(change, {"*"}, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.targets_size(), 0);
  EXPECT_FALSE(updated.has_amber_within_units());
  EXPECT_EQ(Rows("measure_targets", "t-round", IdOf(created.name())), 0);

  // Deleting the measure takes its targets and values with it.
  change.Clear();
  change.set_name(created.name());
  *change.add_targets() = Target("2017-04-01", "2018-03-31", 90);
  ASSERT_TRUE(Update(change, {"targets"}, &updated).ok());
  v1::CreateMeasureValueRequest value;
  value.set_parent(created.name());
  value.mutable_value()->set_date("2017-06-30");
  value.mutable_value()->set_value(20);
  v1::MeasureValue recorded;
  ASSERT_TRUE(Stub()->CreateMeasureValue(As(kOrg).get(), value, &recorded).ok());
  v1::DeleteMeasureRequest remove;
  remove.set_name(created.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(Stub()->DeleteMeasure(As(kOrg).get(), remove, &empty).ok());
  EXPECT_EQ(Rows("measure_targets", "t-round", IdOf(created.name())), 0);
  EXPECT_EQ(Rows("measure_value_history", "t-round", IdOf(created.name())), 0);
}

TEST_F(MeasureTargetsTest, ImportPlanCarriesTargetsAndAReimportReplacesThem) {
  v1::PlanTree tree = Tree();
  v1::Measure* measure = tree.mutable_priorities(0)->mutable_outcomes(0)->mutable_measures(0);
  measure->set_amber_within_units(3);
  *measure->add_targets() = Target("2017-04-01", "2017-06-30", 10, "", "Q1");
  *measure->add_targets() = Target("2017-07-01", "2017-09-30", std::nullopt, "maintain", "Q2");
  v1::PlanTree imported = Import("t-import", tree);
  const v1::Measure& got = imported.priorities(0).outcomes(0).measures(0);
  EXPECT_EQ(got.amber_within_units(), 3);
  ASSERT_EQ(got.targets_size(), 2);
  EXPECT_EQ(Diff(got.targets(1), measure->targets(1)), "");
  EXPECT_EQ(Diff(Tree(imported.plan().name()), imported), "");
  EXPECT_EQ(Rows("measure_targets", "t-import"), 2);

  // Replacing: the measure keeps its name, its targets are the new ones
  // (not added to the old), its tolerance too.
  measure->clear_amber_within_units();
  measure->set_amber_within_percent(7.5);
  measure->clear_targets();
  *measure->add_targets() = Target("2017-04-01", "2018-03-31", 42, "", "Year");
  *tree.mutable_priorities(1)->mutable_measures(0)->add_targets() =
      Target("2017-04-01", "2018-03-31", 1);
  v1::PlanTree again = Import("t-import", tree, nullptr, true);
  const v1::Measure& replaced = again.priorities(0).outcomes(0).measures(0);
  EXPECT_EQ(replaced.name(), got.name());
  EXPECT_EQ(replaced.amber_within_percent(), 7.5);
  EXPECT_FALSE(replaced.has_amber_within_units());
  ASSERT_EQ(replaced.targets_size(), 1);
  EXPECT_EQ(replaced.targets(0).label(), "Year");
  EXPECT_EQ(again.priorities(1).measures(0).targets_size(), 1);
  EXPECT_EQ(Rows("measure_targets", "t-import"), 2);
  EXPECT_EQ(Diff(Tree(imported.plan().name()), again), "");

  // A bad target deep in the tree names its path; nothing is written.
  (*measure->mutable_targets(0)).set_to_date("2017-03-31");
  grpc::Status status;
  Import("t-import-bad", tree, &status);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "tree.priorities[0].outcomes[0].measures[0].targets[0].to_date: must not be before "
            "from_date (2017-04-01), got 2017-03-31");
  EXPECT_EQ(Rows("plans", "t-import-bad") + Rows("plan_items", "t-import-bad") +
                Rows("measure_targets", "t-import-bad"),
            0);
}

TEST_F(MeasureTargetsTest, BadToleranceOrTargetsAreRefusedNamingFieldAndRuleAndWriteNothing) {
  v1::PlanTree tree = Import("t-bad");
  struct Case {
    std::string label;
    std::function<void(v1::Measure&)> mutate;
    std::string field;
    std::string message;  // empty: only the field is checked
  };
  auto three = [](v1::Measure& m) {
    *m.add_targets() = Target("2017-04-01", "2017-06-30", 1);
    *m.add_targets() = Target("2017-07-01", "2017-09-30", 2);
    *m.add_targets() = Target("2017-10-01", "2017-12-31", 3);
  };
  const std::vector<Case> cases = {
      {"negative percent", [](auto& m) { m.set_amber_within_percent(-1); },
       "measure.amber_within_percent",
       "measure.amber_within_percent: must be a finite number, 0 or more, got -1"},
      {"negative units", [](auto& m) { m.set_amber_within_units(-0.5); },
       "measure.amber_within_units",
       "measure.amber_within_units: must be a finite number, 0 or more, got -0.5"},
      {"NaN percent", [](auto& m) { m.set_amber_within_percent(std::nan("")); },
       "measure.amber_within_percent", ""},
      {"infinite units", [](auto& m) { m.set_amber_within_units(HUGE_VAL); },
       "measure.amber_within_units", ""},
      {"both tolerances",
       [](auto& m) {
         m.set_amber_within_percent(5);
         m.set_amber_within_units(2);
       },
       "measure.amber_within_units",
       "measure.amber_within_units: must not be set together with amber_within_percent: a "
       "measure's tolerance is a percentage or a number of units, not both"},
      {"from after to",
       [&](auto& m) {
         three(m);
         m.mutable_targets(2)->set_to_date("2017-09-30");
       },
       "measure.targets[2].to_date",
       "measure.targets[2].to_date: must not be before from_date (2017-10-01), got 2017-09-30"},
      {"no from date", [&](auto& m) { three(m), m.mutable_targets(1)->clear_from_date(); },
       "measure.targets[1].from_date", "measure.targets[1].from_date: must not be empty"},
      {"bad from date",
       [&](auto& m) { three(m), m.mutable_targets(0)->set_from_date("2017-13-01"); },
       "measure.targets[0].from_date", ""},
      {"bad to date", [&](auto& m) { three(m), m.mutable_targets(0)->set_to_date("31/03/2018"); },
       "measure.targets[0].to_date", ""},
      {"value and text", [&](auto& m) { three(m), m.mutable_targets(1)->set_text("maintain"); },
       "measure.targets[1].value",
       "measure.targets[1].value: exactly one of value and text must be set, got both"},
      {"neither value nor text", [&](auto& m) { three(m), m.mutable_targets(2)->clear_value(); },
       "measure.targets[2].value",
       "measure.targets[2].value: exactly one of value and text must be set, got neither"},
      {"NaN target", [&](auto& m) { three(m), m.mutable_targets(0)->set_value(std::nan("")); },
       "measure.targets[0].value", ""},
      {"long label",
       [&](auto& m) { three(m), m.mutable_targets(2)->set_label(std::string(101, 'q')); },
       "measure.targets[2].label",
       "measure.targets[2].label: must be at most 100 characters, got 101"},
      {"101 targets",
       [](auto& m) {
         for (int i = 0; i < 101; ++i) {
           *m.add_targets() = Target("2017-04-01", "2018-03-31", i);
         }
       },
       "measure.targets", "measure.targets: a measure has at most 100 targets, got 101"},
  };
  const std::string priority = tree.priorities(0).name();
  const v1::Measure existing = tree.priorities(0).measures(0);
  auto items = [&] { return Rows("plan_items", "t-bad") + Rows("measure_targets", "t-bad"); };
  const int before = items();
  for (const Case& c : cases) {
    v1::CreateMeasureRequest create;
    create.set_parent(priority);
    create.mutable_measure()->set_title("Refused");
    c.mutate(*create.mutable_measure());
    v1::Measure out;
    grpc::Status status = Stub()->CreateMeasure(As(kOrg).get(), create, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
        << c.label << ": " << status.error_message();
    EXPECT_EQ(FieldOf(status), c.field) << c.label << ": " << status.error_message();
    if (!c.message.empty()) {
      EXPECT_EQ(status.error_message(), c.message) << c.label;
    }
    // The same through UpdateMeasure, every field named.
    v1::Measure change = existing;
    c.mutate(change);
    status = Update(change, {"amber_within_percent", "amber_within_units", "targets"}, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
        << c.label << " (update): " << status.error_message();
    EXPECT_EQ(FieldOf(status), c.field) << c.label << " (update): " << status.error_message();
  }
  EXPECT_EQ(items(), before);
  EXPECT_EQ(Diff(Get(existing.name()), existing), "");

  // At the limits: 100 targets, a 100-character label, a zero tolerance.
  v1::CreateMeasureRequest create;
  create.set_parent(priority);
  create.mutable_measure()->set_title("At the limits");
  create.mutable_measure()->set_amber_within_units(0);
  for (int i = 0; i < 100; ++i) {
    *create.mutable_measure()->add_targets() =
        Target("2017-04-01", "2018-03-31", i, "", std::string(100, 'L'));
  }
  v1::Measure out;
  grpc::Status status = Stub()->CreateMeasure(As(kOrg).get(), create, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.targets_size(), 100);
  EXPECT_TRUE(out.has_amber_within_units());
  EXPECT_EQ(Diff(Get(out.name()), out), "");
}

// The migration (0004) over a database that has values in the old table:
// each becomes revision 1 of its date, recorded when it was created, in
// recorded order; the old table stays as it was.
TEST(PlanMigrationTest, OldMeasureValuesBecomeTheFirstRevisionOfTheirDates) {
  TestDatabase db("planmig");
  prometheus::Registry registry;
  ConnectionPool pool(db.uri(), PoolOptions{}, registry);
  std::vector<Migration> before;
  for (const Migration& m : PlanMigrations()) {
    if (m.version <= 3) {
      before.push_back(m);
    }
  }
  ASSERT_EQ(before.size(), 3u);
  absl::Status migrated = ApplyMigrations(pool, before);
  ASSERT_TRUE(migrated.ok()) << migrated;
  db.Execute(
      "INSERT INTO organisations VALUES ('th', 'Tower Hamlets', 3, 1, '2017-01-01', "
      "'2017-01-01')");
  db.Execute(
      "INSERT INTO plans VALUES ('th', '2017-18', 'Plan', '', '2017-04-01', '2018-03-31', 1, '', "
      "1, '2017-01-01', '2017-01-01')");
  db.Execute(
      "INSERT INTO plan_items (org_id, plan_id, item_id, kind, parent_kind, parent_id, code, "
      "title, position, lead_member, lead_officer, directorate, reported_status, "
      "reported_comment, unit, direction, target_text, version) VALUES "
      "('th', '2017-18', 1, 1, 0, 0, '1', 'Priority', 0, '', '', '', 0, '', '', 0, '', 1), "
      "('th', '2017-18', 2, 4, 1, 1, NULL, 'Measure', 0, '', '', '', 0, '', '%', 1, '', 1)");
  db.Execute(
      "INSERT INTO measure_values VALUES "
      "('th', '2017-18', 2, '2017-09-30', 75.5, 'Q2', '2017-10-05 09:00:00.250000'), "
      "('th', '2017-18', 2, '2017-06-30', 70, '', '2017-07-04 12:00:00')");
  migrated = ApplyMigrations(pool, PlanMigrations());
  ASSERT_TRUE(migrated.ok()) << migrated;

  MysqlPlanRepository repository(pool);
  PlanManager manager(repository);
  v1::ListMeasureValuesRequest request;
  request.set_parent("organisations/th/plans/2017-18/measures/2");
  request.set_all_revisions(true);
  auto listed = manager.ListMeasureValues(Caller{}, request);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->values_size(), 2);
  const v1::MeasureValue& june = listed->values(0);
  EXPECT_EQ(june.name(), "organisations/th/plans/2017-18/measures/2/values/2017-06-30");
  EXPECT_EQ(june.value(), 70);
  EXPECT_EQ(june.revision(), 1);
  EXPECT_EQ(june.create_time().seconds(), 1499169600);  // 2017-07-04T12:00:00Z
  const v1::MeasureValue& september = listed->values(1);
  EXPECT_EQ(september.value(), 75.5);
  EXPECT_EQ(september.note(), "Q2");
  EXPECT_EQ(september.revision(), 1);
  EXPECT_EQ(september.create_time().nanos(), 250000000);
  EXPECT_FALSE(september.withdrawn());
  EXPECT_EQ(db.QueryScalar("SELECT value_date FROM measure_value_history ORDER BY value_id "
                           "LIMIT 1"),
            "2017-06-30");
  EXPECT_EQ(db.QueryScalar("SELECT COUNT(*) FROM measure_values"), "2");
  // A correction of a migrated date is its second revision.
  v1::CreateMeasureValueRequest create;
  create.set_parent("organisations/th/plans/2017-18/measures/2");
  create.mutable_value()->set_date("2017-09-30");
  create.mutable_value()->set_value(76);
  auto corrected = manager.CreateMeasureValue(Caller{}, create);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->revision(), 2);
}

}  // namespace
}  // namespace gt::plan
