// Reports group directorates by the organisation's directorate table
// (plan-service's ListDirectorates): "CS&F" with "CSF", a joint lead
// "PLACE/HAC" with "HAC/PLACE", while each item keeps the code as written.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gt/sql_util.h"
#include "report_fixture.h"

namespace gt::report::testing {
namespace {

constexpr char kOrg[] = "dirs";

void AddDirectorate(const std::string& id, const std::string& code,
                    const std::vector<std::string>& aliases) {
  v1::CreateDirectorateRequest request;
  request.set_parent(absl::StrCat("organisations/", kOrg));
  request.set_directorate_id(id);
  request.mutable_directorate()->set_code(code);
  request.mutable_directorate()->set_display_name(code);
  for (const auto& alias : aliases) {
    request.mutable_directorate()->add_aliases(alias);
  }
  v1::Directorate created;
  grpc::Status s = World().services.plan_stub_->CreateDirectorate(
      milestone::MilestoneWorld::As(kOrg).get(), request, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

// Group key -> (items, the directorates the items were written with).
std::map<std::string, std::multiset<std::string>> Groups(const v1::ProgressReport& report) {
  std::map<std::string, std::multiset<std::string>> groups;
  for (const auto& group : report.groups()) {
    EXPECT_EQ(group.label(), group.key());
    for (const auto& item : group.items()) {
      groups[group.key()].insert(item.directorate());
    }
  }
  return groups;
}

TEST(ReportDirectoratesTest, ProgressAndRevisionsGroupThroughTheOrganisationsTable) {
  ReportWorld& w = World();
  w.CreateOrganisation(kOrg, "Directorates Council");
  v1::ImportPlanRequest import;
  import.set_parent(absl::StrCat("organisations/", kOrg));
  import.set_plan_id("p");
  auto* tree = import.mutable_tree();
  tree->mutable_plan()->set_title("Plan");
  tree->mutable_plan()->set_period_start("2017-04-01");
  tree->mutable_plan()->set_period_end("2018-03-31");
  auto* activity = tree->add_priorities()->add_outcomes()->add_activities();
  tree->mutable_priorities(0)->set_code("1");
  tree->mutable_priorities(0)->set_title("Priority");
  tree->mutable_priorities(0)->mutable_outcomes(0)->set_code("1.1");
  tree->mutable_priorities(0)->mutable_outcomes(0)->set_title("Outcome");
  activity->set_code("1.1.1");
  activity->set_title("Activity");
  v1::PlanTree imported;
  ASSERT_TRUE(w.services.plan_stub_
                  ->ImportPlan(milestone::MilestoneWorld::As(kOrg).get(), import, &imported)
                  .ok());
  const std::string plan = imported.plan().name();
  const std::string activity_name = imported.priorities(0).outcomes(0).activities(0).name();

  v1::BatchCreateMilestonesRequest batch;
  batch.set_parent(plan);
  const char* written[] = {"CS&F", "CSF", "PLACE/HAC", "HAC/PLACE", "Resource", "Resources"};
  int ordinal = 0;
  for (const char* directorate : written) {
    auto* r = batch.add_requests();
    auto* m = r->mutable_milestone();
    m->set_activity(activity_name);
    m->set_ordinal(++ordinal);
    m->set_title(absl::StrCat("Milestone ", ordinal));
    m->set_directorate(directorate);
    m->set_baseline_deadline("2017-12-31");
    // The two CSF ones moved their deadline.
    m->set_current_deadline(ordinal <= 2 ? "2018-02-28" : "2017-12-31");
    if (ordinal <= 2) {
      r->set_revision_reason("Moved by the board");
    }
    m->set_status(v1::ON_TARGET);
    *r->mutable_effective_at() =
        ToTimestamp(absl::FromCivil(absl::CivilDay(2017, 6, 1), absl::UTCTimeZone()));
  }
  v1::BatchCreateMilestonesResponse created;
  grpc::Status s = w.services.stub_->BatchCreateMilestones(
      milestone::MilestoneWorld::As(kOrg).get(), batch, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::ProgressReportRequest progress;
  *progress.mutable_report() = ReportWorld::Request(plan, "2018-03-31");
  progress.set_group_by(v1::BY_DIRECTORATE);
  // No table yet: every spelling is a group of its own.
  auto before = Progress(progress, kOrg);
  ASSERT_TRUE(before.status.ok()) << before.status.error_message();
  EXPECT_EQ(Groups(before.value).size(), 6u);

  AddDirectorate("csf", "CSF", {"CS&F"});
  AddDirectorate("resources", "Resources", {"Resource"});
  AddDirectorate("place", "PLACE", {});
  AddDirectorate("hac", "HAC", {});
  auto after = Progress(progress, kOrg);
  ASSERT_TRUE(after.status.ok()) << after.status.error_message();
  using Set = std::multiset<std::string>;
  // Grouped by canonical code; each item keeps the code it was written with.
  EXPECT_EQ(Groups(after.value), (std::map<std::string, Set>{
                                     {"CSF", Set{"CS&F", "CSF"}},
                                     {"HAC/PLACE", Set{"HAC/PLACE", "PLACE/HAC"}},
                                     {"Resources", Set{"Resource", "Resources"}},
                                 }));
  ASSERT_EQ(after.value.groups_size(), 3);
  EXPECT_EQ(after.value.groups(0).total(), 2);

  auto revisions = Revisions(ReportWorld::Request(plan, "2018-03-31"), kOrg);
  ASSERT_TRUE(revisions.status.ok()) << revisions.status.error_message();
  ASSERT_EQ(revisions.value.directorates_size(), 1);
  EXPECT_EQ(revisions.value.directorates(0).directorate(), "CSF");
  EXPECT_EQ(revisions.value.directorates(0).milestone_count(), 2);
}

}  // namespace
}  // namespace gt::report::testing
