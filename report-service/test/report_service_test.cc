// Service tests: report-service in-process over plan-service and
// milestone-service on real MariaDB. As published, organisation scoping,
// reports before a plan's period, and the bound on backend calls.
#include <set>

#include "google/protobuf/util/message_differencer.h"
#include "gt/dates.h"
#include "gt/sql_util.h"
#include "gt/test_http.h"
#include "report_fixture.h"

namespace gt::report::testing {

namespace {
ReportWorld* world = nullptr;
}  // namespace

ReportWorld& World() {
  if (world == nullptr) {
    world = new ReportWorld();
  }
  return *world;
}

void DestroyWorld() {
  delete world;
  world = nullptr;
}

namespace {

class WorldEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { DestroyWorld(); }
};
[[maybe_unused]] auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new WorldEnvironment);

using google::protobuf::util::MessageDifferencer;
using grpc::StatusCode;

google::protobuf::Timestamp At(int y, int m, int d, int hh = 12) {
  return ToTimestamp(absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::UTCTimeZone()));
}

// A report with its generation time cleared: what a reader compares.
template <typename Report>
Report Content(Report report) {
  report.mutable_header()->clear_generated_at();
  return report;
}

v1::Milestone PostProgress(const std::string& name, v1::MilestoneStatus status, int percent,
                           const std::string& comment, google::protobuf::Timestamp effective) {
  v1::UpdateMilestoneProgressRequest request;
  request.set_name(name);
  request.set_status(status);
  request.set_percent_complete(percent);
  request.set_comment(comment);
  *request.mutable_effective_at() = effective;
  v1::Milestone out;
  grpc::Status s = World().services.stub_->UpdateMilestoneProgress(
      milestone::MilestoneWorld::As("th").get(), request, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

const v1::ReportMilestone* FindListed(const v1::EndOfYearReport& r, const std::string& name) {
  for (const auto& p : r.overdue()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        for (const auto& m : a.milestones()) {
          if (m.name() == name) {
            return &m;
          }
        }
      }
    }
  }
  return nullptr;
}

TEST(ReportServiceTest, PublishedReportStaysAsPublishedAndChangesNameTheBackdatedUpdate) {
  ReportWorld& w = World();
  w.CreateOrganisation("th", "London Borough of Tower Hamlets");
  auto activities = w.services.MakePlan("th", "published");
  const std::string plan = "organisations/th/plans/published";
  v1::Milestone a = w.services.Create("th", "published", activities[0], "Open the new library",
                                      "CLC", "2018-03-31", 1);
  v1::Milestone b = w.services.Create("th", "published", activities[1], "Consult on parking",
                                      "PLACE", "2017-12-31", 1);
  PostProgress(a.name(), v1::ON_TARGET, 50, "On track for opening", At(2018, 2, 28));
  PostProgress(b.name(), v1::ON_TARGET, 80, "Consultation running", At(2018, 2, 28));

  // Published: everything recorded so far, and nothing after.
  const google::protobuf::Timestamp published = ToTimestamp(absl::Now());
  v1::ReportRequest at_publication = ReportWorld::Request(plan, "2018-03-31");
  *at_publication.mutable_published_at() = published;
  auto before = EndOfYear(at_publication);
  ASSERT_TRUE(before.status.ok()) << before.status.error_message();
  v1::ProgressReportRequest progress_request;
  *progress_request.mutable_report() = at_publication;
  auto progress_before = Progress(progress_request);
  ASSERT_TRUE(progress_before.status.ok());
  auto revisions_before = Revisions(at_publication);
  ASSERT_TRUE(revisions_before.status.ok());
  const v1::ReportMilestone* listed = FindListed(before.value, a.name());
  ASSERT_NE(listed, nullptr);  // due 31 March and not completed: overdue at its close
  EXPECT_EQ(listed->latest_comment(), "On track for opening");

  // Later, an officer restates March: backdated, recorded after publication.
  PostProgress(a.name(), v1::DELAYED, 20, "Slipped: the contractor went into administration",
               At(2018, 3, 30));
  v1::ReviseDeadlineRequest revise;
  revise.set_name(b.name());
  revise.set_new_deadline("2018-06-30");
  revise.set_reason("Consultation extended at members' request");
  *revise.mutable_effective_at() = At(2018, 3, 30);
  v1::Milestone revised;
  ASSERT_TRUE(
      w.services.stub_->ReviseDeadline(milestone::MilestoneWorld::As("th").get(), revise, &revised)
          .ok());

  // The report as published is exactly what it was.
  auto again = EndOfYear(at_publication);
  ASSERT_TRUE(again.status.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(Content(before.value), Content(again.value)))
      << again.value.DebugString();
  auto progress_again = Progress(progress_request);
  EXPECT_TRUE(
      MessageDifferencer::Equals(Content(progress_before.value), Content(progress_again.value)));
  auto revisions_again = Revisions(at_publication);
  EXPECT_TRUE(
      MessageDifferencer::Equals(Content(revisions_before.value), Content(revisions_again.value)));
  EXPECT_EQ(revisions_again.value.milestone_count(), 0);

  // The current report shows the restatement.
  auto now = EndOfYear(ReportWorld::Request(plan, "2018-03-31"));
  ASSERT_TRUE(now.status.ok());
  listed = FindListed(now.value, a.name());
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->status(), v1::DELAYED);
  EXPECT_EQ(listed->percent_complete(), 20);
  EXPECT_EQ(listed->latest_comment(), "Slipped: the contractor went into administration");
  auto revisions_now = Revisions(ReportWorld::Request(plan, "2018-03-31"));
  ASSERT_EQ(revisions_now.value.directorates_size(), 1);
  const auto& moved = revisions_now.value.directorates(0).milestones(0);
  EXPECT_EQ(moved.name(), b.name());
  EXPECT_EQ(moved.days_slipped(), 181);
  EXPECT_EQ(moved.revisions(0).reason(), "Consultation extended at members' request");

  // And the changes report names every restated field.
  v1::ChangesReportRequest changes;
  *changes.mutable_from() = at_publication;
  *changes.mutable_to() = ReportWorld::Request(plan, "2018-03-31");
  auto diff = Changes(changes);
  ASSERT_TRUE(diff.status.ok()) << diff.status.error_message();
  std::vector<std::string> seen;
  for (const auto& c : diff.value.changes()) {
    seen.push_back(absl::StrCat(c.milestone() == a.name() ? "a" : "b", " ", c.field(), ": ",
                                c.before(), " -> ", c.after()));
  }
  EXPECT_THAT(seen, ::testing::ElementsAre(
                        "a status: ON_TARGET -> DELAYED", "a percent_complete: 50 -> 20",
                        "a latest_comment: On track for opening -> Slipped: the contractor went "
                        "into administration",
                        "b current_deadline: 2017-12-31 -> 2018-06-30"));
  EXPECT_EQ(diff.value.changes(0).activity_code(), "1.1.1");
}

TEST(ReportServiceTest, AnotherOrganisationsPlanIsNotFound) {
  ReportWorld& w = World();
  w.CreateOrganisation("other", "Another Council");
  w.services.MakePlan("other", "theirs");
  const std::string theirs = "organisations/other/plans/theirs";
  // As "th": their plan, and a plan of ours that does not exist, answer alike.
  auto other = EndOfYear(ReportWorld::Request(theirs, "2018-03-31"), "th");
  EXPECT_EQ(other.status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(other.status.error_message(), "plan " + theirs + " not found");
  auto missing = EndOfYear(ReportWorld::Request("organisations/th/plans/nope", "2018-03-31"), "th");
  EXPECT_EQ(missing.status.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.status.error_message(), "plan organisations/th/plans/nope not found");
  v1::RenderReportRequest render;
  *render.mutable_action_plan() = ReportWorld::Request(theirs, "");
  render.set_format(v1::HTML);
  EXPECT_EQ(Render(render, "th").status.error_code(), StatusCode::NOT_FOUND);
  v1::ChangesReportRequest changes;
  *changes.mutable_from() = ReportWorld::Request(theirs, "2018-01-01");
  *changes.mutable_to() = ReportWorld::Request(theirs, "2018-03-31");
  EXPECT_EQ(Changes(changes, "th").status.error_code(), StatusCode::NOT_FOUND);
  // Their own caller reads it.
  EXPECT_TRUE(EndOfYear(ReportWorld::Request(theirs, "2018-03-31"), "other").status.ok());
}

TEST(ReportServiceTest, BeforeThePlansPeriodNothingHasStarted) {
  World().Plan2007();
  const std::string plan = "organisations/th/plans/2007-08";
  auto eoy = EndOfYear(ReportWorld::Request(plan, "2007-01-01"));
  ASSERT_TRUE(eoy.status.ok()) << eoy.status.error_message();
  EXPECT_EQ(eoy.value.completed_activity_count(), 0);
  EXPECT_EQ(eoy.value.overdue_activity_count(), 0);
  EXPECT_EQ(eoy.value.overdue_size(), 0);
  ASSERT_EQ(eoy.value.milestone_status_counts_size(), 1);
  EXPECT_EQ(eoy.value.milestone_status_counts(0).status(), v1::NOT_STARTED);
  EXPECT_EQ(eoy.value.milestone_status_counts(0).count(), 117);

  for (auto subject : {v1::MILESTONES, v1::ACTIVITIES}) {
    v1::ProgressReportRequest request;
    *request.mutable_report() = ReportWorld::Request(plan, "2007-01-01");
    request.set_subject(subject);
    auto progress = Progress(request);
    ASSERT_TRUE(progress.status.ok());
    ASSERT_EQ(progress.value.totals_size(), 1) << progress.value.ShortDebugString();
    EXPECT_EQ(progress.value.totals(0).status(), v1::NOT_STARTED);
    EXPECT_EQ(progress.value.overdue(), 0);
    EXPECT_EQ(progress.value.mean_percent_complete(), 0.0);
  }
  auto revisions = Revisions(ReportWorld::Request(plan, "2007-01-01"));
  ASSERT_TRUE(revisions.status.ok());
  EXPECT_EQ(revisions.value.milestone_count(), 0);
}

TEST(ReportServiceTest, BackendCallsStayFixedFor2000Milestones) {
  ReportWorld& w = World();
  w.CreateOrganisation("big", "Big Council");
  // 4 priorities x 5 outcomes x 10 activities, 10 milestones each.
  v1::ImportPlanRequest import;
  import.set_parent("organisations/big");
  import.set_plan_id("large");
  auto* tree = import.mutable_tree();
  tree->mutable_plan()->set_title("Large plan");
  tree->mutable_plan()->set_period_start("2017-04-01");
  tree->mutable_plan()->set_period_end("2018-03-31");
  for (int p = 1; p <= 4; ++p) {
    auto* priority = tree->add_priorities();
    priority->set_code(absl::StrCat(p));
    priority->set_title(absl::StrCat("Priority ", p));
    for (int o = 1; o <= 5; ++o) {
      auto* outcome = priority->add_outcomes();
      outcome->set_code(absl::StrCat(p, ".", o));
      outcome->set_title("Outcome");
      for (int a = 1; a <= 10; ++a) {
        auto* activity = outcome->add_activities();
        activity->set_code(absl::StrCat(p, ".", o, ".", a));
        activity->set_title("Activity");
        activity->set_lead_member(absl::StrCat("Cabinet Member ", a % 3));
      }
    }
  }
  v1::PlanTree imported;
  ASSERT_TRUE(w.services.plan_stub_
                  ->ImportPlan(milestone::MilestoneWorld::As("big").get(), import, &imported)
                  .ok());
  v1::BatchCreateMilestonesRequest batch;
  batch.set_parent(imported.plan().name());
  const char* directorates[] = {"CLC", "CS", "PLACE", "RES", "HAC"};
  const v1::MilestoneStatus statuses[] = {v1::ON_TARGET, v1::DELAYED, v1::COMPLETED, v1::ON_TARGET};
  int n = 0;
  for (const auto& p : imported.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        for (int i = 1; i <= 10; ++i, ++n) {
          auto* r = batch.add_requests();
          auto* m = r->mutable_milestone();
          m->set_activity(a.name());
          m->set_ordinal(i);
          m->set_title(absl::StrCat("Milestone ", n));
          m->set_directorate(directorates[n % 5]);
          m->set_lead_officer(absl::StrCat("Officer ", n % 17));
          m->set_baseline_deadline(n % 2 == 0 ? "2017-12-31" : "2018-03-31");
          m->set_current_deadline(n % 10 == 0 ? "2018-06-30" : m->baseline_deadline());
          if (n % 10 == 0) {
            r->set_revision_reason("Moved by the programme board");
          }
          m->set_status(statuses[n % 4]);
          m->set_percent_complete(statuses[n % 4] == v1::COMPLETED ? 100 : n % 90);
          m->set_latest_comment(absl::StrCat("Comment on milestone ", n, ", with a comma"));
          *r->mutable_effective_at() = At(2018, 1, 15);
        }
      }
    }
  }
  ASSERT_EQ(n, 2000);
  v1::BatchCreateMilestonesResponse created;
  grpc::Status s = w.services.stub_->BatchCreateMilestones(
      milestone::MilestoneWorld::As("big").get(), batch, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();

  const std::string plan = imported.plan().name();
  auto expect_calls = [&](const std::string& what, int trees, int as_of, int max_history) {
    EXPECT_EQ(w.calls.Count("GetPlanTree"), trees) << what;
    EXPECT_EQ(w.calls.Count("GetMilestonesAsOf"), as_of) << what;
    EXPECT_LE(w.calls.Count("ListMilestoneUpdates"), max_history) << what;
    // Besides: the organisation's name, and its directorate table for the
    // reports that group by directorate.
    EXPECT_LE(w.calls.Total(), trees + 2 + as_of + max_history) << what;
    // Every backend call carried the caller's organisation and a deadline.
    EXPECT_EQ(w.calls.Organisations(), (std::map<std::string, int>{{"big", w.calls.Total()}}))
        << what;
    EXPECT_EQ(w.calls.WithoutDeadline(), 0) << what;
    w.calls.Reset();
  };
  v1::ReportRequest request = ReportWorld::Request(plan, "2018-03-31");
  w.calls.Reset();
  auto eoy = EndOfYear(request, "big");
  ASSERT_TRUE(eoy.status.ok()) << eoy.status.error_message();
  int listed = eoy.value.overdue_milestone_count() +
               eoy.value.overdue_against_baseline_only_count() + eoy.value.delayed_not_due_count();
  // Every unfinished one was due by 31 March; a tenth of them has since been
  // moved to June.
  EXPECT_EQ(listed, 1500);
  EXPECT_EQ(eoy.value.overdue_against_baseline_only_count(), 100);
  expect_calls("end of year", 1, 1, 0);

  v1::ProgressReportRequest progress;
  *progress.mutable_report() = request;
  progress.set_group_by(v1::BY_DIRECTORATE);
  auto p = Progress(progress, "big");
  ASSERT_TRUE(p.status.ok());
  ASSERT_EQ(p.value.groups_size(), 5);
  EXPECT_EQ(p.value.groups(0).total(), 400);
  expect_calls("progress", 1, 1, 0);

  auto r = Revisions(request, "big");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.value.milestone_count(), 200);
  // 2,000 creation rows and 200 revisions: three pages of a thousand.
  expect_calls("deadline revisions", 1, 1, 3);

  ASSERT_TRUE(ActionPlan(request, "big").status.ok());
  expect_calls("action plan", 1, 1, 0);

  v1::ChangesReportRequest changes;
  *changes.mutable_from() = ReportWorld::Request(plan, "2018-01-01");
  *changes.mutable_to() = request;
  auto c = Changes(changes, "big");
  ASSERT_TRUE(c.status.ok());
  EXPECT_GT(c.value.changes_size(), 2000);
  expect_calls("changes", 1, 2, 0);

  v1::RenderReportRequest render;
  *render.mutable_progress() = progress;
  render.set_format(v1::HTML);
  auto html = Render(render, "big");
  ASSERT_TRUE(html.status.ok()) << html.status.error_message();
  expect_calls("rendered progress", 1, 1, 0);
}

}  // namespace
}  // namespace gt::report::testing

namespace gt::report::testing {
namespace {

// Issue 14: "overdue now" is one answer from the gauge, ListMilestones,
// CountOverdue without a date, and a report without as_of — on the same
// plan at the same moment. Today has not closed: a milestone due today is
// not overdue yet; one due yesterday is; one completed today is not.
TEST(ReportServiceTest, OverdueTodayInAReportIsWhatEveryOtherViewSays) {
  ReportWorld& w = World();
  w.CreateOrganisation("today", "Today Council");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::ImportPlanRequest import;
  import.set_parent("organisations/today");
  import.set_plan_id("now");
  auto* tree = import.mutable_tree();
  tree->mutable_plan()->set_title("Now");
  tree->mutable_plan()->set_period_start(FormatDate(today - 400));
  tree->mutable_plan()->set_period_end(FormatDate(today + 400));
  auto* outcome = tree->add_priorities()->add_outcomes();
  tree->mutable_priorities(0)->set_code("1");
  tree->mutable_priorities(0)->set_title("One");
  outcome->set_code("1.1");
  outcome->set_title("One one");
  outcome->add_activities()->set_code("1.1.1");
  outcome->mutable_activities(0)->set_title("The activity");
  v1::PlanTree imported;
  ASSERT_TRUE(w.services.plan_stub_
                  ->ImportPlan(milestone::MilestoneWorld::As("today").get(), import, &imported)
                  .ok());
  const std::string activity = imported.priorities(0).outcomes(0).activities(0).name();
  const std::vector<std::pair<std::string, bool>> deadlines = {{FormatDate(today - 30), false},
                                                               {FormatDate(today - 1), false},
                                                               {FormatDate(today), false},
                                                               {FormatDate(today + 1), false},
                                                               {FormatDate(today - 30), true}};
  for (size_t i = 0; i < deadlines.size(); ++i) {
    v1::Milestone m = w.services.Create("today", "now", activity, absl::StrCat("M", i), "OD",
                                        deadlines[i].first, static_cast<int>(i) + 1);
    if (deadlines[i].second) {
      v1::UpdateMilestoneProgressRequest done;
      done.set_name(m.name());
      done.set_status(v1::COMPLETED);
      v1::Milestone out;
      ASSERT_TRUE(
          w.services.stub_
              ->UpdateMilestoneProgress(milestone::MilestoneWorld::As("today").get(), done, &out)
              .ok());
    }
  }
  const int expected = 2;  // due 30 days ago (not completed) and yesterday
  const std::string plan = imported.plan().name();

  v1::ProgressReportRequest request;
  request.mutable_report()->set_plan(plan);
  request.set_subject(v1::MILESTONES);
  auto report = Progress(request, "today");
  ASSERT_TRUE(report.status.ok()) << report.status.error_message();
  EXPECT_EQ(report.value.overdue(), expected);

  v1::CountOverdueRequest count;
  count.set_parent(plan);
  v1::CountOverdueResponse counted;
  ASSERT_TRUE(
      w.services.stub_->CountOverdue(milestone::MilestoneWorld::As("today").get(), count, &counted)
          .ok());
  EXPECT_EQ(counted.total_overdue(), expected);

  v1::ListMilestonesRequest list;
  list.set_parent(plan);
  v1::ListMilestonesResponse listed;
  ASSERT_TRUE(
      w.services.stub_->ListMilestones(milestone::MilestoneWorld::As("today").get(), list, &listed)
          .ok());
  int flagged = 0;
  for (const auto& m : listed.milestones()) {
    flagged += m.overdue() ? 1 : 0;
  }
  EXPECT_EQ(flagged, expected);

  std::string metrics = HttpGet(w.services.host_->metrics_port(), "/metrics");
  EXPECT_NE(
      metrics.find("goldenthread_milestones_overdue{directorate=\"OD\",organisation=\"today\","
                   "plan=\"now\"} 2"),
      std::string::npos);
}

}  // namespace
}  // namespace gt::report::testing

namespace gt::report::testing {
namespace {

// gt-load --replace (scripts/load-demo.sh on every run.sh) reconciles like
// gtctl import --replace: loading the same document again keeps every id
// and every history row, adds none, and an officer's update made between
// the loads survives. It used to delete every milestone and create it anew.
TEST(ReportServiceTest, ReloadingADocumentKeepsIdsAndHistory) {
  ReportWorld& w = World();
  w.CreateOrganisation("th", "London Borough of Tower Hamlets");
  importers::LoadResult first =
      w.Load("reload-2017", absl::CivilDay(2017, 9, 30), {kMonitoring2017});
  ASSERT_GT(first.milestones.size(), 100u);
  const std::string officer_update = first.milestones[7].name();
  PostProgress(officer_update, v1::DELAYED, 40, "Contractor late", At(2017, 10, 15));
  auto history_rows = [&] {
    return std::stoi(w.services.milestone_db_.QueryScalar(
        "SELECT COUNT(*) FROM milestone_updates WHERE org_id = 'th' AND plan_id = 'reload-2017'"));
  };
  const int rows_before = history_rows();

  importers::LoadResult second =
      w.Load("reload-2017", absl::CivilDay(2017, 9, 30), {kMonitoring2017}, /*replace=*/true);
  std::set<std::string> before, after;
  for (const auto& m : first.milestones) {
    before.insert(m.name());
  }
  for (const auto& m : second.milestones) {
    after.insert(m.name());
  }
  EXPECT_EQ(before, after);
  EXPECT_EQ(history_rows(), rows_before);
  v1::ListMilestoneUpdatesRequest list;
  list.set_parent(officer_update);
  v1::ListMilestoneUpdatesResponse updates;
  ASSERT_TRUE(w.services.stub_
                  ->ListMilestoneUpdates(milestone::MilestoneWorld::As("th").get(), list, &updates)
                  .ok());
  bool kept = false;
  for (const auto& u : updates.updates()) {
    kept = kept || u.comment() == "Contractor late";
  }
  EXPECT_TRUE(kept) << updates.DebugString();
  // The officer's later update is still the milestone's state.
  v1::GetMilestoneRequest get;
  get.set_name(officer_update);
  v1::Milestone now;
  ASSERT_TRUE(
      w.services.stub_->GetMilestone(milestone::MilestoneWorld::As("th").get(), get, &now).ok());
  EXPECT_EQ(now.status(), v1::DELAYED);
  EXPECT_EQ(now.percent_complete(), 40);
}

}  // namespace
}  // namespace gt::report::testing
