// Unit tests: report rules and renderers on hand-made data, and the manager
// against a fake backend. No I/O.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "goldenthread/v1/milestone_mock.grpc.pb.h"
#include "goldenthread/v1/plan_mock.grpc.pb.h"
#include "grpc_report_backend.h"
#include "gt/sql_util.h"
#include "measure_status.h"
#include "render/renderers.h"
#include "report_builders.h"
#include "report_manager.h"

namespace gt::report {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPlan[] = "organisations/th/plans/p";

class FakeBackend : public ReportBackend {
 public:
  absl::StatusOr<v1::PlanTree> PlanTree(const CallDecorator&, const std::string& plan) override {
    ++calls;
    if (plan != kPlan) {
      return absl::NotFoundError(absl::StrCat("plan ", plan, " not found"));
    }
    return tree;
  }
  std::string OrganisationDisplayName(const CallDecorator&, const std::string&) override {
    ++calls;
    return "Test Borough";
  }
  absl::StatusOr<std::vector<v1::Milestone>> MilestonesAsOf(
      const CallDecorator&, const std::string&, absl::CivilDay as_of,
      std::optional<absl::Time> published_at) override {
    ++calls;
    asked_as_of.push_back(as_of);
    asked_published.push_back(published_at);
    return milestones;
  }
  absl::StatusOr<std::vector<v1::MilestoneUpdate>> DeadlineRevisions(const CallDecorator&,
                                                                     const std::string&) override {
    ++calls;
    return history;
  }
  absl::StatusOr<std::vector<v1::Directorate>> Directorates(const CallDecorator&,
                                                            const std::string&) override {
    ++calls;
    return directorates;
  }
  absl::StatusOr<std::vector<v1::MeasureValue>> MeasureValues(
      const CallDecorator&, const std::string&, std::optional<absl::Time> published_at) override {
    ++calls;
    // As plan-service answers: the latest row of each date recorded before
    // published_at.
    std::map<std::pair<std::string, std::string>, v1::MeasureValue> current;
    for (const v1::MeasureValue& v : measure_values) {
      if (published_at && FromTimestamp(v.create_time()) >= *published_at) {
        continue;
      }
      current[{v.name(), v.date()}] = v;
    }
    std::vector<v1::MeasureValue> out;
    for (auto& [key, v] : current) {
      out.push_back(v);
    }
    return out;
  }
  absl::StatusOr<std::vector<v1::Period>> Periods(const CallDecorator&,
                                                  const std::string&) override {
    ++calls;
    return periods;
  }
  absl::StatusOr<v1::Period> RecordPublication(
      const CallDecorator&, const v1::RecordPublicationRequest& request) override {
    ++calls;
    publications.push_back(request);
    if (!refuse.ok()) {
      return refuse;
    }
    v1::Period p = periods.back();
    if (!request.validate_only() || already_published) {
      p.set_state(v1::Period::PUBLISHED);
      *p.mutable_publish_time() = request.publish_time();
    }
    return p;
  }

  v1::PlanTree tree;
  std::vector<v1::Milestone> milestones;
  std::vector<v1::MilestoneUpdate> history;
  std::vector<v1::Directorate> directorates;
  std::vector<v1::Period> periods;
  std::vector<v1::MeasureValue> measure_values;  // every recorded row
  std::vector<v1::RecordPublicationRequest> publications;
  absl::Status refuse;
  bool already_published = false;
  int calls = 0;
  std::vector<absl::CivilDay> asked_as_of;
  std::vector<std::optional<absl::Time>> asked_published;
};

// Priority 1 > outcome 1.1 > activities A (two milestones), B (none,
// reported COMPLETED), C (none, reported DELAYED, deadline passed).
v1::PlanTree Tree() {
  v1::PlanTree tree;
  tree.mutable_plan()->set_name(kPlan);
  tree.mutable_plan()->set_title("Plan");
  tree.mutable_plan()->set_period_start("2017-04-01");
  tree.mutable_plan()->set_period_end("2018-03-31");
  auto* p = tree.add_priorities();
  p->set_name(absl::StrCat(kPlan, "/priorities/1"));
  p->set_code("1");
  p->set_title("LIVING SAFELY");
  auto* o = p->add_outcomes();
  o->set_name(absl::StrCat(kPlan, "/outcomes/1"));
  o->set_code("1.1");
  o->set_title("Safer streets");
  const char* codes[] = {"1.1.1", "1.1.2", "1.1.3"};
  for (int i = 0; i < 3; ++i) {
    auto* a = o->add_activities();
    a->set_name(absl::StrCat(kPlan, "/activities/", i + 1));
    a->set_code(codes[i]);
    a->set_title(absl::StrCat("Activity ", i + 1));
    a->set_lead_member("Cllr Example");
  }
  o->mutable_activities(1)->set_reported_status(v1::COMPLETED);
  o->mutable_activities(2)->set_reported_status(v1::DELAYED);
  o->mutable_activities(2)->set_deadline("2017-06-30");
  return tree;
}

v1::Milestone M(int id, int activity, v1::MilestoneStatus status, const std::string& baseline,
                const std::string& current, bool overdue, bool overdue_baseline,
                const std::string& directorate = "PLACE", int percent = 0) {
  v1::Milestone m;
  m.set_name(absl::StrCat(kPlan, "/milestones/", id));
  m.set_activity(absl::StrCat(kPlan, "/activities/", activity));
  m.set_ordinal(id);
  m.set_title(absl::StrCat("Milestone ", id));
  m.set_directorate(directorate);
  m.set_lead_officer(absl::StrCat("Officer ", directorate));
  m.set_baseline_deadline(baseline);
  m.set_current_deadline(current);
  m.set_status(status);
  m.set_percent_complete(status == v1::COMPLETED ? 100 : percent);
  m.set_latest_comment(absl::StrCat("comment ", id));
  m.set_overdue(overdue);
  m.set_overdue_against_baseline(overdue_baseline);
  return m;
}

ReportScope Scope(absl::CivilDay as_of) {
  return ReportScope{kPlan, "th", as_of, as_of, std::nullopt};
}

TEST(RollUpTest, FollowsTheMilestones) {
  auto roll = [](std::vector<v1::MilestoneStatus> statuses) {
    std::vector<v1::Milestone> ms;
    for (auto s : statuses) {
      ms.push_back(M(1, 1, s, "", "", false, false));
    }
    std::vector<const v1::Milestone*> ptrs;
    for (auto& m : ms) {
      ptrs.push_back(&m);
    }
    return RollUp(ptrs);
  };
  EXPECT_EQ(roll({v1::COMPLETED, v1::COMPLETED}), v1::COMPLETED);
  EXPECT_EQ(roll({v1::COMPLETED, v1::CANCELLED}), v1::COMPLETED);
  EXPECT_EQ(roll({v1::CANCELLED}), v1::CANCELLED);
  EXPECT_EQ(roll({v1::COMPLETED, v1::DELAYED, v1::ON_TARGET}), v1::DELAYED);
  EXPECT_EQ(roll({v1::COMPLETED, v1::DEFERRED}), v1::DEFERRED);
  EXPECT_EQ(roll({v1::NOT_STARTED, v1::NOT_STARTED}), v1::NOT_STARTED);
  EXPECT_EQ(roll({v1::NOT_STARTED, v1::COMPLETED}), v1::ON_TARGET);
}

TEST(EndOfYearTest, ListsOverdueBaselineOnlyAndDelayedNotDue) {
  PlanData data;
  data.tree = Tree();
  data.milestones = {
      M(1, 1, v1::DELAYED, "2018-03-31", "2018-03-31", true, true),      // overdue
      M(2, 1, v1::DELAYED, "2017-10-31", "2018-10-31", false, true),     // baseline only
      M(3, 1, v1::DELAYED, "2018-05-31", "2018-05-31", false, false),    // delayed, not due
      M(4, 1, v1::ON_TARGET, "2018-06-30", "2018-06-30", false, false),  // fine
      M(5, 1, v1::COMPLETED, "2017-06-30", "2017-06-30", false, false),  // done
  };
  ReportScope scope = Scope(absl::CivilDay(2018, 3, 31));
  PlanView view(data, scope);
  v1::EndOfYearReport r = BuildEndOfYear(view, MakeHeader(data, scope, "EOY", absl::Now()));
  ASSERT_EQ(r.overdue_size(), 1);
  const auto& listed = r.overdue(0).outcomes(0).activities();
  // Activity 1 with three listed milestones, activity 3 answering for itself.
  ASSERT_EQ(listed.size(), 2);
  EXPECT_EQ(listed[0].code(), "1.1.1");
  ASSERT_EQ(listed[0].milestones_size(), 3);
  EXPECT_EQ(listed[0].milestones(1).baseline_deadline(), "2017-10-31");
  EXPECT_EQ(listed[0].milestones(1).current_deadline(), "2018-10-31");
  EXPECT_EQ(listed[0].milestones(0).latest_comment(), "comment 1");
  EXPECT_EQ(listed[1].code(), "1.1.3");
  EXPECT_TRUE(listed[1].overdue());
  EXPECT_EQ(listed[1].status_source(), v1::REPORTED);
  EXPECT_EQ(r.overdue_milestone_count(), 1);
  EXPECT_EQ(r.overdue_against_baseline_only_count(), 1);
  EXPECT_EQ(r.delayed_not_due_count(), 1);
  EXPECT_EQ(r.overdue_activity_count(), 2);
  // Only activity 2 (reported COMPLETED, no milestones) is complete.
  ASSERT_EQ(r.completed_size(), 1);
  ASSERT_EQ(r.completed(0).outcomes(0).activities_size(), 1);
  EXPECT_EQ(r.completed(0).outcomes(0).activities(0).code(), "1.1.2");
  EXPECT_EQ(r.completed_activity_count(), 1);
  ASSERT_EQ(r.milestone_status_counts_size(), 3);
  EXPECT_EQ(r.milestone_status_counts(1).status(), v1::DELAYED);
  EXPECT_EQ(r.milestone_status_counts(1).count(), 3);
}

TEST(EndOfYearTest, BeforeThePeriodNothingHasStarted) {
  PlanData data;
  data.tree = Tree();
  ReportScope scope = Scope(absl::CivilDay(2017, 1, 1));
  PlanView view(data, scope);
  v1::EndOfYearReport r = BuildEndOfYear(view, MakeHeader(data, scope, "EOY", absl::Now()));
  EXPECT_EQ(r.completed_size(), 0);
  EXPECT_EQ(r.overdue_size(), 0);
  ActivityState b = view.StateOf(data.tree.priorities(0).outcomes(0).activities(1));
  EXPECT_EQ(b.status, v1::NOT_STARTED);
  EXPECT_EQ(b.reported_status, v1::MILESTONE_STATUS_UNSPECIFIED);
}

TEST(ProgressTest, GroupsByDirectorateAlphabeticallyWithUnassignedLast) {
  PlanData data;
  data.tree = Tree();
  data.milestones = {M(1, 1, v1::ON_TARGET, "2018-03-31", "2018-03-31", false, false, "RES", 50),
                     M(2, 1, v1::DELAYED, "2017-09-30", "2017-09-30", true, true, "", 10),
                     M(3, 1, v1::COMPLETED, "2017-06-30", "2017-06-30", false, false, "CS"),
                     M(4, 1, v1::ON_TARGET, "2017-09-30", "2017-09-30", true, true, "RES", 30)};
  ReportScope scope = Scope(absl::CivilDay(2017, 9, 30));
  PlanView view(data, scope);
  v1::ProgressReport r = BuildProgress(view, MakeHeader(data, scope, "P", absl::Now()),
                                       v1::BY_DIRECTORATE, v1::REPORT_SUBJECT_UNSPECIFIED);
  EXPECT_EQ(r.subject(), v1::MILESTONES);
  ASSERT_EQ(r.groups_size(), 3);
  EXPECT_EQ(r.groups(0).label(), "CS");
  EXPECT_EQ(r.groups(1).label(), "RES");
  EXPECT_EQ(r.groups(2).label(), "Not assigned");
  EXPECT_EQ(r.groups(1).total(), 2);
  EXPECT_EQ(r.groups(1).overdue(), 1);
  EXPECT_DOUBLE_EQ(r.groups(1).mean_percent_complete(), 40.0);
  EXPECT_EQ(r.overdue(), 2);
  EXPECT_DOUBLE_EQ(r.mean_percent_complete(), 47.5);
  ASSERT_EQ(r.totals_size(), 3);
  EXPECT_EQ(r.totals(0).status(), v1::ON_TARGET);
  EXPECT_EQ(r.totals(0).count(), 2);

  // Activities: rolled up where there are milestones, else their own.
  v1::ProgressReport a = BuildProgress(view, MakeHeader(data, scope, "P", absl::Now()),
                                       v1::BY_PRIORITY, v1::ACTIVITIES);
  ASSERT_EQ(a.groups_size(), 1);
  EXPECT_EQ(a.groups(0).label(), "1. LIVING SAFELY");
  ASSERT_EQ(a.groups(0).items_size(), 3);
  EXPECT_EQ(a.groups(0).items(0).status(), v1::DELAYED);
  EXPECT_EQ(a.groups(0).items(0).status_source(), v1::ROLLED_UP);
  EXPECT_EQ(a.groups(0).items(0).percent_complete(), 48);  // (50+10+100+30)/4 rounded
  EXPECT_EQ(a.groups(0).items(1).status(), v1::COMPLETED);
  EXPECT_EQ(a.groups(0).items(1).status_source(), v1::REPORTED);
  EXPECT_EQ(a.groups(0).items(1).percent_complete(), 100);
}

v1::MilestoneUpdate Revision(int milestone, const std::string& from, const std::string& to,
                             absl::CivilDay effective, absl::Time recorded) {
  v1::MilestoneUpdate u;
  u.set_milestone(absl::StrCat(kPlan, "/milestones/", milestone));
  u.set_kind(v1::DEADLINE_REVISION);
  u.set_previous_deadline(from);
  u.set_new_deadline(to);
  u.set_reason(absl::StrCat("moved to ", to));
  *u.mutable_effective_at() = ToTimestamp(absl::FromCivil(effective, absl::UTCTimeZone()));
  *u.mutable_recorded_at() = ToTimestamp(recorded);
  return u;
}

TEST(DeadlineRevisionsTest, CountsRevisionsInForceAndNetSlip) {
  PlanData data;
  data.tree = Tree();
  data.milestones = {M(1, 1, v1::DELAYED, "2017-10-31", "2018-01-31", true, true, "PLACE"),
                     M(2, 1, v1::ON_TARGET, "2017-12-31", "2017-12-31", false, false, "CS"),
                     M(3, 1, v1::ON_TARGET, "2017-12-31", "2018-02-28", false, false, "CS")};
  absl::Time recorded = absl::FromCivil(absl::CivilDay(2017, 12, 1), absl::UTCTimeZone());
  std::vector<v1::MilestoneUpdate> history = {
      Revision(1, "2017-10-31", "2017-12-31", absl::CivilDay(2017, 10, 1), recorded),
      Revision(1, "2017-12-31", "2018-01-31", absl::CivilDay(2017, 11, 1), recorded),
      Revision(3, "2017-12-31", "2018-02-28", absl::CivilDay(2017, 11, 1), recorded),
      // After as_of: not in force yet.
      Revision(2, "2017-12-31", "2018-06-30", absl::CivilDay(2018, 1, 15), recorded)};
  ReportScope scope = Scope(absl::CivilDay(2017, 12, 31));
  PlanView view(data, scope);
  v1::DeadlineRevisionReport r =
      BuildDeadlineRevisions(view, MakeHeader(data, scope, "R", absl::Now()), history);
  ASSERT_EQ(r.directorates_size(), 2);
  EXPECT_EQ(r.directorates(0).directorate(), "CS");
  EXPECT_EQ(r.directorates(0).milestone_count(), 1);
  EXPECT_EQ(r.directorates(1).directorate(), "PLACE");
  const auto& m = r.directorates(1).milestones(0);
  EXPECT_EQ(m.revision_count(), 2);
  EXPECT_EQ(m.days_slipped(), 92);  // 31 Oct 2017 -> 31 Jan 2018
  EXPECT_EQ(m.revisions(1).reason(), "moved to 2018-01-31");
  EXPECT_EQ(r.revision_count(), 3);
  EXPECT_EQ(r.total_days_slipped(), 92 + 59);

  // Published before the revisions were recorded: none of them.
  ReportScope published = scope;
  published.published_at = recorded - absl::Hours(1);
  PlanView early(data, published);
  EXPECT_EQ(BuildDeadlineRevisions(early, {}, history).directorates_size(), 0);
}

TEST(ChangesTest, NamesEachRestatedField) {
  PlanData before;
  before.tree = Tree();
  before.milestones = {M(1, 1, v1::ON_TARGET, "2018-03-31", "2018-03-31", false, false),
                       M(2, 1, v1::ON_TARGET, "2018-03-31", "2018-03-31", false, false)};
  PlanData after = before;
  after.milestones[0].set_status(v1::DELAYED);
  after.milestones[0].set_latest_comment("slipped");
  after.milestones[0].set_current_deadline("2018-06-30");
  after.milestones[0].set_percent_complete(20);
  after.milestones.pop_back();
  after.milestones.push_back(M(3, 1, v1::NOT_STARTED, "", "", false, false));
  ReportScope scope = Scope(absl::CivilDay(2018, 3, 31));
  PlanView from(before, scope);
  PlanView to(after, scope);
  v1::ChangesReport r = BuildChanges(from, to, {}, {}, {});
  std::vector<std::string> fields;
  for (const auto& c : r.changes()) {
    fields.push_back(absl::StrCat(c.field(), ":", c.before(), ">", c.after()));
  }
  EXPECT_THAT(fields, ::testing::ElementsAre("status:ON_TARGET>DELAYED", "percent_complete:0>20",
                                             "current_deadline:2018-03-31>2018-06-30",
                                             "latest_comment:comment 1>slipped",
                                             "milestone:>Milestone 3", "milestone:Milestone 2>"));
  EXPECT_EQ(r.changes(0).activity_code(), "1.1.1");
}

TEST(CsvTest, TablesAreRfc4180) {
  EXPECT_EQ(render::CsvTable({"a", "b"}, {{"1"}, {"2", "x,y"}}), "a,b\r\n1,\r\n2,\"x,y\"\r\n");
}

TEST(HtmlTest, EscapesTextAndFetchesNothing) {
  PlanData data;
  data.tree = Tree();
  data.tree.mutable_priorities(0)->set_title("<script>alert(1)</script> & \"more\"");
  data.milestones = {M(1, 1, v1::DELAYED, "2018-03-31", "2018-03-31", true, true)};
  data.milestones[0].set_latest_comment("line one\nline <b>two</b>");
  ReportScope scope = Scope(absl::CivilDay(2018, 3, 31));
  PlanView view(data, scope);
  auto report = BuildEndOfYear(view, MakeHeader(data, scope, "End of year report", absl::Now()));
  std::string html = render::RenderHtml(render::ToDocument(report));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
  EXPECT_THAT(html, HasSubstr("line one<br>line &lt;b&gt;two&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Progress milestone</th>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip chip-delayed\">Delayed</span>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip chip-overdue\">Overdue</span>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  // Self-contained: nothing to fetch (the SVG namespace is an identifier).
  for (const char* fetch : {"src=", "href=", "url(", "@import", "<link", "<script"}) {
    EXPECT_THAT(html, Not(HasSubstr(fetch))) << fetch;
  }
  std::string md = render::RenderMarkdown(render::ToDocument(report));
  EXPECT_THAT(md, HasSubstr("### 1. &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"more\""));
}

TEST(MarkdownTest, KeepsTableCellsOnOneLine) {
  render::Document doc;
  doc.title = "T";
  render::Table t;
  t.columns = {"A", "B"};
  t.rows = {{render::Cell::Text("x|y"), render::Cell::Text("one\ntwo")}};
  doc.AddTable(t);
  std::string md = render::RenderMarkdown(doc);
  EXPECT_THAT(md, HasSubstr("| x\\|y | one<br>two |"));
}

class ManagerTest : public ::testing::Test {
 protected:
  ManagerTest() : manager_(backend_, [] { return now_; }) { backend_.tree = Tree(); }
  static inline absl::Time now_ =
      absl::FromCivil(absl::CivilSecond(2018, 4, 2, 10, 0, 0), absl::UTCTimeZone());
  FakeBackend backend_;
  ReportManager manager_;
  Caller th_{"th", v1::VIEWER, "viewer", ""};
};

TEST_F(ManagerTest, AnotherOrganisationsPlanIsNotFoundWithoutAskingAnyone) {
  v1::ReportRequest request;
  request.set_plan("organisations/other/plans/p");
  auto r = manager_.GetEndOfYearReport(th_, {}, request);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "plan organisations/other/plans/p not found");
  EXPECT_EQ(backend_.calls, 0);
}

TEST_F(ManagerTest, ValidatesTheRequest) {
  v1::ReportRequest request;
  EXPECT_EQ(manager_.GetEndOfYearReport(th_, {}, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_plan(kPlan);
  request.set_as_of("2018-02-30");
  auto bad_date = manager_.GetEndOfYearReport(th_, {}, request);
  EXPECT_THAT(bad_date.status().message(), HasSubstr("as_of: must be a date YYYY-MM-DD"));
  request.set_as_of("");
  *request.mutable_published_at() = ToTimestamp(now_ + absl::Hours(1));
  auto future = manager_.GetEndOfYearReport(th_, {}, request);
  EXPECT_THAT(future.status().message(), HasSubstr("published_at: must not be in the future"));

  v1::ChangesReportRequest changes;
  changes.mutable_from()->set_plan(kPlan);
  changes.mutable_to()->set_plan("organisations/th/plans/q");
  EXPECT_THAT(manager_.GetChangesReport(th_, {}, changes).status().message(),
              HasSubstr("to.plan: must be the plan of from.plan"));

  v1::RenderReportRequest render;
  render.mutable_end_of_year()->set_plan(kPlan);
  EXPECT_THAT(manager_.RenderReport(th_, {}, render).status().message(),
              HasSubstr("format: must be MARKDOWN, HTML, CSV or JSON"));
  render.set_format(v1::HTML);
  render.mutable_end_of_year()->set_as_of("31/03/2008");
  EXPECT_THAT(manager_.RenderReport(th_, {}, render).status().message(),
              HasSubstr("end_of_year.as_of: must be a date YYYY-MM-DD, got '31/03/2008'"));
  render.clear_report();
  EXPECT_THAT(manager_.RenderReport(th_, {}, render).status().message(),
              HasSubstr("report: must be set"));
  EXPECT_EQ(backend_.calls, 0);
}

TEST_F(ManagerTest, DefaultsToTodayAndPassesPublicationOn) {
  v1::ReportRequest request;
  request.set_plan(kPlan);
  auto r = manager_.GetEndOfYearReport(th_, {}, request);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->header().as_of(), "2018-04-02");
  EXPECT_EQ(r->header().organisation_display_name(), "Test Borough");
  EXPECT_EQ(backend_.calls, 3);  // tree, organisation, one page of milestones
  absl::Time published = now_ - absl::Hours(24);
  *request.mutable_published_at() = ToTimestamp(published);
  request.set_as_of("2018-03-31");
  ASSERT_TRUE(manager_.GetEndOfYearReport(th_, {}, request).ok());
  EXPECT_EQ(backend_.asked_as_of.back(), absl::CivilDay(2018, 3, 31));
  EXPECT_EQ(backend_.asked_published.back(), published);
}

TEST_F(ManagerTest, RendersEveryReportInEveryFormat) {
  backend_.milestones = {M(1, 1, v1::DELAYED, "2018-03-31", "2018-03-31", true, true)};
  v1::ReportRequest base;
  base.set_plan(kPlan);
  base.set_as_of("2018-03-31");
  std::vector<v1::RenderReportRequest> requests(5);
  *requests[0].mutable_end_of_year() = base;
  *requests[1].mutable_progress()->mutable_report() = base;
  *requests[2].mutable_deadline_revisions() = base;
  *requests[3].mutable_action_plan() = base;
  *requests[4].mutable_changes()->mutable_from() = base;
  *requests[4].mutable_changes()->mutable_to() = base;
  for (auto& request : requests) {
    for (auto format : {v1::MARKDOWN, v1::HTML, v1::CSV, v1::JSON}) {
      request.set_format(format);
      auto rendered = manager_.RenderReport(th_, {}, request);
      ASSERT_TRUE(rendered.ok()) << rendered.status();
      EXPECT_FALSE(rendered->content().empty());
      EXPECT_THAT(rendered->filename(), ::testing::StartsWith("th-p-"));
      if (format == v1::CSV) {
        std::vector<std::string> lines = absl::StrSplit(rendered->content(), "\r\n");
        EXPECT_GE(lines.size(), 2u);
      }
      if (format == v1::JSON) {
        EXPECT_THAT(rendered->content(), HasSubstr("\"header\""));
      }
    }
  }
}

// A page too large for the wire is asked for again in halves; page tokens
// are followed to the end.
TEST(GrpcBackendTest, PagesAndHalvesOversizedPages) {
  v1::MockPlanServiceStub plans;
  v1::MockMilestoneServiceStub milestones;
  std::vector<int> sizes;
  EXPECT_CALL(milestones, GetMilestonesAsOf(_, _, _))
      .WillRepeatedly([&](grpc::ClientContext*, const v1::GetMilestonesAsOfRequest& request,
                          v1::GetMilestonesAsOfResponse* response) {
        sizes.push_back(request.page_size());
        EXPECT_EQ(request.as_of(), "2018-03-31");
        if (request.page_size() > 500) {
          return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too large");
        }
        int first = request.page_token().empty() ? 0 : std::stoi(request.page_token());
        for (int i = first; i < first + request.page_size() && i < 1200; ++i) {
          response->add_milestones()->set_ordinal(i);
        }
        if (first + request.page_size() < 1200) {
          response->set_next_page_token(absl::StrCat(first + request.page_size()));
        }
        return grpc::Status::OK;
      });
  GrpcReportBackend backend(plans, milestones);
  auto all = backend.MilestonesAsOf({}, kPlan, absl::CivilDay(2018, 3, 31), std::nullopt);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1200u);
  EXPECT_EQ(all->back().ordinal(), 1199);
  EXPECT_THAT(sizes, ::testing::ElementsAre(2000, 1000, 500, 500, 500));
}

TEST(GrpcBackendTest, UnavailableBackendSaysWhichAndToRetry) {
  v1::MockPlanServiceStub plans;
  v1::MockMilestoneServiceStub milestones;
  EXPECT_CALL(plans, GetPlanTree(_, _, _))
      .WillOnce(::testing::Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connect failed")));
  EXPECT_CALL(plans, GetOrganisation(_, _, _))
      .WillOnce(::testing::Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connect failed")));
  GrpcReportBackend backend(plans, milestones);
  auto tree = backend.PlanTree({}, kPlan);
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(tree.status().message(), "plan-service is unavailable; retry shortly");
  EXPECT_EQ(backend.OrganisationDisplayName({}, "th"), "");
}

v1::Period PeriodOf(const std::string& id, const std::string& start, const std::string& as_of,
                    v1::Period::State state) {
  v1::Period p;
  p.set_name(absl::StrCat(kPlan, "/periods/", id));
  p.set_title(absl::StrCat("Quarter ", id));
  p.set_start_date(start);
  p.set_as_of(as_of);
  p.set_state(state);
  return p;
}

TEST_F(ManagerTest, PublishingRendersThePackAsPublishedAtOneInstant) {
  backend_.milestones = {M(1, 1, v1::DELAYED, "2017-09-30", "2017-09-30", true, true)};
  v1::Period q1 = PeriodOf("q1", "2017-04-01", "2017-06-30", v1::Period::PUBLISHED);
  absl::Time q1_published = now_ - absl::Hours(24 * 90);
  *q1.mutable_publish_time() = ToTimestamp(q1_published);
  backend_.periods = {q1, PeriodOf("q2", "2017-07-01", "2017-09-30", v1::Period::IN_REVIEW)};
  v1::PublishPeriodRequest request;
  request.set_name(absl::StrCat(kPlan, "/periods/q2"));
  request.set_request_id("publish-q2");
  auto published = manager_.PublishPeriod(th_, {}, request);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::Period::PUBLISHED);
  // First the check, then the store: both for the same instant and request.
  ASSERT_EQ(backend_.publications.size(), 2u);
  const auto& check = backend_.publications[0];
  const auto& store = backend_.publications[1];
  EXPECT_TRUE(check.validate_only());
  EXPECT_EQ(check.files_size(), 0);
  EXPECT_FALSE(store.validate_only());
  EXPECT_EQ(store.request_id(), "publish-q2");
  EXPECT_EQ(FromTimestamp(store.publish_time()), now_);
  std::vector<std::string> names;
  for (const auto& f : store.files()) {
    names.push_back(f.filename());
    EXPECT_FALSE(f.content().empty()) << f.filename();
  }
  EXPECT_THAT(
      names,
      ::testing::ElementsAre(
          "progress.md", "progress.html", "progress.csv", "progress.json", "deadline-revisions.md",
          "deadline-revisions.html", "deadline-revisions.csv", "deadline-revisions.json",
          "changes-since-previous.md", "changes-since-previous.html", "changes-since-previous.csv",
          "changes-since-previous.json", "restated-since-last-publication.md",
          "restated-since-last-publication.html", "restated-since-last-publication.csv",
          "restated-since-last-publication.json"));
  // Every report read history as published at that instant; the restated
  // one read the last pack's date both as it was published and as now.
  bool saw_previous_as_published = false;
  for (size_t i = 0; i < backend_.asked_as_of.size(); ++i) {
    if (backend_.asked_as_of[i] == absl::CivilDay(2017, 6, 30) &&
        backend_.asked_published[i] == q1_published) {
      saw_previous_as_published = true;
    }
    EXPECT_TRUE(backend_.asked_published[i].has_value());
  }
  EXPECT_TRUE(saw_previous_as_published);
}

TEST_F(ManagerTest, ARetryOfAPublicationThatCommittedRendersNothing) {
  backend_.periods = {PeriodOf("q2", "2017-07-01", "2017-09-30", v1::Period::PUBLISHED)};
  backend_.already_published = true;
  v1::PublishPeriodRequest request;
  request.set_name(absl::StrCat(kPlan, "/periods/q2"));
  request.set_request_id("publish-q2");
  auto again = manager_.PublishPeriod(th_, {}, request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state(), v1::Period::PUBLISHED);
  EXPECT_EQ(backend_.publications.size(), 1u);  // the check answered it
  EXPECT_EQ(backend_.calls, 1);
}

TEST_F(ManagerTest, APublicationRefusedByTheRoundRendersNothing) {
  backend_.periods = {PeriodOf("q2", "2017-07-01", "2017-09-30", v1::Period::OPEN)};
  backend_.refuse = absl::FailedPreconditionError("requires approval");
  v1::PublishPeriodRequest request;
  request.set_name(absl::StrCat(kPlan, "/periods/q2"));
  EXPECT_EQ(manager_.PublishPeriod(th_, {}, request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(backend_.calls, 1);
  request.set_name("organisations/other/plans/p/periods/q2");
  EXPECT_EQ(manager_.PublishPeriod(th_, {}, request).status().code(), absl::StatusCode::kNotFound);
  request.set_name(absl::StrCat(kPlan, "/periods/Q 2"));
  EXPECT_EQ(manager_.PublishPeriod(th_, {}, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(backend_.calls, 1);
}

namespace measures {

v1::Measure Kpi(v1::MeasureDirection direction) {
  v1::Measure m;
  m.set_name(absl::StrCat(kPlan, "/measures/9"));
  m.set_code("SP 101");
  m.set_title("Residents satisfied");
  m.set_unit("%");
  m.set_direction(direction);
  m.set_target(80);
  return m;
}

// The rule, written out again independently of RagOf.
v1::Rag Expected(bool higher_better, double target, double tolerance, double actual) {
  double miss = higher_better ? target - actual : actual - target;
  if (miss <= 0) return v1::GREEN;
  if (miss <= tolerance) return v1::AMBER;
  return v1::RED;
}

TEST(MeasureRagTest, FollowsDirectionAndTolerance) {
  v1::Measure up = Kpi(v1::HIGHER_IS_BETTER);
  up.set_amber_within_units(5);
  for (double actual : {85.0, 80.0, 79.99, 76.0, 75.0, 74.9, 10.0}) {
    EXPECT_EQ(RagOf(up, 80, actual), Expected(true, 80, 5, actual)) << actual;
  }
  v1::Measure down = Kpi(v1::LOWER_IS_BETTER);
  down.set_amber_within_percent(10);  // of |10| = 1
  for (double actual : {9.0, 10.0, 10.5, 11.0, 11.5}) {
    EXPECT_EQ(RagOf(down, 10, actual), Expected(false, 10, 1, actual)) << actual;
  }
  v1::Measure none = Kpi(v1::HIGHER_IS_BETTER);  // no tolerance: green or red
  EXPECT_EQ(RagOf(none, 80, 79.5), v1::RED);
  EXPECT_EQ(RagOf(Kpi(v1::MEASURE_DIRECTION_UNSPECIFIED), 80, 90), v1::RAG_UNSPECIFIED);
  EXPECT_EQ(TrendOf(v1::LOWER_IS_BETTER, 12, 10), v1::IMPROVING);
  EXPECT_EQ(TrendOf(v1::HIGHER_IS_BETTER, 12, 10), v1::WORSENING);
  EXPECT_EQ(TrendOf(v1::HIGHER_IS_BETTER, 10, 10), v1::NO_CHANGE);
  EXPECT_EQ(TrendOf(v1::MEASURE_DIRECTION_UNSPECIFIED, 1, 2), v1::TREND_UNSPECIFIED);
}

// Quarterly targets, four quarters of actuals (and the same quarter a year
// before), one corrected after it was published: each quarter's report as of
// its end and as published at its publication shows that actual, its RAG
// against that quarter's target and its trend.
TEST_F(ManagerTest, KpiTableAsOfEachQuarterAndAsPublished) {
  v1::Measure kpi = Kpi(v1::HIGHER_IS_BETTER);
  kpi.set_amber_within_units(3);
  const char* ends[] = {"2017-06-30", "2017-09-30", "2017-12-31", "2018-03-31"};
  const char* starts[] = {"2017-04-01", "2017-07-01", "2017-10-01", "2018-01-01"};
  const double targets[] = {70, 74, 78, 80};
  for (int q = 0; q < 4; ++q) {
    v1::MeasureTarget* t = kpi.add_targets();
    t->set_from_date(starts[q]);
    t->set_to_date(ends[q]);
    t->set_value(targets[q]);
    t->set_label(absl::StrCat("Q", q + 1));
  }
  // The annual target, wider: a quarter's own target wins.
  v1::MeasureTarget* year = kpi.add_targets();
  year->set_from_date("2017-04-01");
  year->set_to_date("2018-03-31");
  year->set_value(80);
  *backend_.tree.mutable_priorities(0)->mutable_outcomes(0)->add_measures() = kpi;
  absl::Time t0 = absl::FromCivil(absl::CivilSecond(2018, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  auto value = [&](const std::string& date, double v, absl::Time recorded) {
    v1::MeasureValue mv;
    mv.set_name(absl::StrCat(kpi.name(), "/values/", date));
    mv.set_date(date);
    mv.set_value(v);
    *mv.mutable_create_time() = ToTimestamp(recorded);
    backend_.measure_values.push_back(mv);
  };
  value("2016-09-30", 60, t0);  // a year before Q2
  const double actuals[] = {71, 72, 80, 76};
  absl::Time published[4];
  for (int q = 0; q < 4; ++q) {
    value(ends[q], actuals[q], t0 + absl::Hours(24 * q));
    published[q] = t0 + absl::Hours(24 * q) + absl::Hours(1);
  }
  // Q2 corrected after its publication: 72 -> 68 (now red against 74).
  value(ends[1], 68, t0 + absl::Hours(24 * 10));

  auto row = [&](const std::string& as_of, std::optional<absl::Time> at) {
    v1::ReportRequest request;
    request.set_plan(kPlan);
    request.set_as_of(as_of);
    if (at) {
      *request.mutable_published_at() = ToTimestamp(*at);
    }
    auto report = manager_.GetActionPlanReport(th_, {}, request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report->priorities(0).outcomes(0).measures(0);
  };
  for (int q = 0; q < 4; ++q) {
    SCOPED_TRACE(ends[q]);
    const double now_actual = q == 1 ? 68 : actuals[q];
    for (bool as_published : {true, false}) {
      const double actual = as_published ? actuals[q] : now_actual;
      v1::ReportMeasure m =
          row(ends[q], as_published ? std::optional<absl::Time>(published[q]) : std::nullopt);
      ASSERT_TRUE(m.has_latest_value());
      EXPECT_EQ(m.latest_value(), actual);
      EXPECT_EQ(m.target(), targets[q]);
      EXPECT_EQ(m.target_label(), absl::StrCat("Q", q + 1));
      EXPECT_EQ(m.rag(), Expected(true, targets[q], 3, actual));
      if (q > 0) {
        const double before = q == 2 && !as_published ? 68 : actuals[q - 1];
        EXPECT_EQ(m.trend_previous(), actual > before
                                          ? v1::IMPROVING
                                          : (actual < before ? v1::WORSENING : v1::NO_CHANGE));
      } else {
        // Q1's value before it is the one of 2016-09-30 (60).
        EXPECT_EQ(m.trend_previous(), v1::IMPROVING);
      }
      EXPECT_EQ(m.trend_year(), q == 1 ? v1::IMPROVING : v1::TREND_UNSPECIFIED);
    }
  }
  // Rendered: the KPI table has its columns, RAG as colour and text; a
  // column with nothing in it is left out (no baseline, no note here).
  v1::RenderReportRequest render;
  render.mutable_action_plan()->set_plan(kPlan);
  render.mutable_action_plan()->set_as_of("2017-09-30");
  render.set_format(v1::HTML);
  auto html = manager_.RenderReport(th_, {}, render);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(html->content(), HasSubstr("chip-rag-red"));
  EXPECT_THAT(html->content(), HasSubstr(">Red<"));
  EXPECT_THAT(html->content(), HasSubstr("Year on year"));
  EXPECT_THAT(html->content(), ::testing::Not(HasSubstr("Baseline")));
  render.set_format(v1::MARKDOWN);
  auto md = manager_.RenderReport(th_, {}, render);
  ASSERT_TRUE(md.ok());
  EXPECT_THAT(md->content(), HasSubstr("| **Red** |"));
  render.set_format(v1::JSON);
  auto json = manager_.RenderReport(th_, {}, render);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(json->content(), HasSubstr("\"rag\": \"RED\""));

  // The progress report: the KPI table by outcome and RAG in its headline.
  v1::ProgressReportRequest progress;
  progress.mutable_report()->set_plan(kPlan);
  progress.mutable_report()->set_as_of("2017-12-31");
  auto report = manager_.GetProgressReport(th_, {}, progress);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->measures_size(), 1);
  EXPECT_EQ(report->measures(0).code(), "1.1");
  EXPECT_EQ(report->measures(0).measures(0).rag(), v1::GREEN);  // 80 against 78
  ASSERT_EQ(report->rag_counts_size(), 1);
  EXPECT_EQ(report->rag_counts(0).rag(), v1::GREEN);
  v1::RenderReportRequest render_progress;
  *render_progress.mutable_progress() = progress;
  render_progress.set_format(v1::MARKDOWN);
  auto progress_md = manager_.RenderReport(th_, {}, render_progress);
  ASSERT_TRUE(progress_md.ok());
  EXPECT_THAT(progress_md->content(), HasSubstr("Measures (RAG):** 1 green"));
}

TEST(MeasureRagTest, ATextTargetIsShownAndNeverRated) {
  v1::Measure kpi = Kpi(v1::HIGHER_IS_BETTER);
  kpi.clear_target();
  kpi.set_target_text("top quartile");
  v1::MeasureValue v;
  v.set_name(absl::StrCat(kpi.name(), "/values/2017-09-30"));
  v.set_date("2017-09-30");
  v.set_value(12);
  v1::ReportMeasure m = JudgeMeasure(kpi, {&v}, absl::CivilDay(2017, 9, 30));
  EXPECT_EQ(m.target_text(), "top quartile");
  EXPECT_EQ(m.latest_value(), 12);
  EXPECT_EQ(m.rag(), v1::RAG_UNSPECIFIED);
}

}  // namespace measures
}  // namespace
}  // namespace gt::report
