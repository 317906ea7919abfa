// gtctl end to end, bulk changes (issue 15): a progress round from an
// edited export (`updates apply`) and a re-import (`import --replace`) keep
// every milestone's id and history and write exactly what changed, once.
#include <gmock/gmock.h>
#include <signal.h>

#include <set>

#include "goldenthread/v1/report.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtctl_e2e_fixture.h"
#include "interchange.h"

namespace gt::gtctl {
namespace {

using namespace e2e;  // NOLINT: the fixture's helpers

class GtctlBulkTest : public GtctlTest {
 protected:
  static int HistoryRows(const std::string& plan) {
    return std::stoi(milestone_db_->QueryScalar(
        absl::StrCat("SELECT COUNT(*) FROM milestone_updates WHERE plan_id = '", plan, "'")));
  }
  static goldenthread::gtctl::v1::PlanDocument Export(const std::string& plan) {
    Result r = Gtctl(absl::StrCat("export ", plan, " --format json"));
    EXPECT_EQ(r.code, 0) << r;
    auto document = ParseDocumentJson(r.out);
    EXPECT_TRUE(document.ok()) << document.status();
    return *document;
  }
  static std::string WriteCsv(const std::string& name,
                              const goldenthread::gtctl::v1::PlanDocument& document) {
    std::string path = Tmp(name);
    std::ofstream(path, std::ios::binary) << ToCsv(document);
    return path;
  }
  static std::set<std::string> Names(const std::string& plan) {
    std::set<std::string> names;
    for (const auto& m : Milestones(plan)) {
      names.insert(m.name());
    }
    return names;
  }
};

TEST_F(GtctlBulkTest, AnEditedExportAppliesExactlyItsChangesOnce) {
  ASSERT_EQ(
      Gtctl(absl::StrCat("import ", Seed("003"), " --plan round --effective 2017-09-30")).code, 0);
  const std::set<std::string> ids = Names("round");
  const int rows_before = HistoryRows("round");
  auto document = Export("round");
  ASSERT_GE(document.milestones_size(), 40);
  // 20 rows edited: 5 statuses, 5 percentages, 5 comments, 5 deadlines.
  for (int i = 0; i < 20; ++i) {
    auto* m = document.mutable_milestones(i * 2);
    switch (i / 5) {
      case 0:
        m->set_status(m->status() == v1::COMPLETED ? v1::ON_TARGET : v1::COMPLETED);
        m->set_percent_complete(m->status() == v1::COMPLETED ? 100 : 50);
        break;
      case 1:
        m->set_status(v1::ON_TARGET);
        m->set_percent_complete(m->percent_complete() == 37 ? 38 : 37);
        break;
      case 2:
        m->set_comment(absl::StrCat("Q3: reviewed, row ", i));
        break;
      default:
        m->set_current_deadline(absl::StrCat("2018-0", 1 + i % 5, "-15"));
        m->set_revision_reason(absl::StrCat("moved at the Q3 review, row ", i));
    }
  }
  std::string csv = WriteCsv("round.csv", document);

  Result dry = Gtctl(absl::StrCat("updates apply ", csv, " --plan round --dry-run"));
  ASSERT_EQ(dry.code, 0) << dry;
  EXPECT_TRUE(absl::StrContains(dry.out, "dry run: nothing written. Would append 20")) << dry;
  EXPECT_EQ(HistoryRows("round"), rows_before);

  Result applied =
      Gtctl(absl::StrCat("updates apply ", csv, " --plan round --effective 2017-12-31"));
  ASSERT_EQ(applied.code, 0) << applied;
  EXPECT_TRUE(absl::StrContains(applied.out, "appended 20 history row(s) to 20 milestone(s)"))
      << applied;
  EXPECT_EQ(HistoryRows("round"), rows_before + 20);
  EXPECT_EQ(Names("round"), ids);
  // As of the effective date the report shows the new values.
  auto after = Export("round");
  for (int i = 0; i < 20; ++i) {
    const auto& want = document.milestones(i * 2);
    const auto& got = after.milestones(i * 2);
    EXPECT_EQ(got.status(), want.status()) << i;
    EXPECT_EQ(got.comment(), want.comment()) << i;
    EXPECT_EQ(got.current_deadline(),
              want.current_deadline().empty() ? got.current_deadline() : want.current_deadline())
        << i;
  }
  EXPECT_EQ(after.milestones(30).revision_reason(), "moved at the Q3 review, row 15");
  // The changes report between the two dates names exactly those 20.
  Result changes =
      Gtctl("report render changes round --from 2017-09-30 --to 2017-12-31 --format json");
  ASSERT_EQ(changes.code, 0) << changes;
  v1::ChangesReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(changes.out, &report).ok())
      << changes.out.substr(0, 500);
  std::set<std::string> changed;
  for (const auto& c : report.changes()) {
    changed.insert(c.milestone());
  }
  EXPECT_EQ(changed.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(changed.count(document.milestones(i * 2).name()), 1u) << i;
  }

  // The same file again: nothing to append; a fresh export likewise.
  Result again = Gtctl(absl::StrCat("updates apply ", csv, " --plan round"));
  EXPECT_EQ(again.code, 0) << again;
  EXPECT_TRUE(absl::StrContains(again.out, "no changes")) << again;
  EXPECT_EQ(HistoryRows("round"), rows_before + 20);
}

TEST_F(GtctlBulkTest, BadRowsWriteNothingUnlessPartial) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan round-bad")).code, 0);
  const int rows_before = HistoryRows("round-bad");
  auto document = Export("round-bad");
  document.mutable_milestones(0)->set_comment("a good change");
  document.mutable_milestones(1)->set_name("organisations/th/plans/round-bad/milestones/999999");
  document.mutable_milestones(2)->set_current_deadline("2019-01-31");  // no reason
  document.mutable_milestones(3)->set_status(v1::DELAYED);             // server: needs a comment
  document.mutable_milestones(3)->set_comment("");
  std::string csv = WriteCsv("round-bad.csv", document);
  Result refused = Gtctl(absl::StrCat("updates apply ", csv, " --plan round-bad"));
  EXPECT_EQ(refused.code, 4) << refused;
  EXPECT_TRUE(absl::StrContains(refused.err, absl::StrCat(csv, ":3: milestone"))) << refused;
  EXPECT_TRUE(absl::StrContains(refused.err, absl::StrCat(csv, ":4: current_deadline moves")))
      << refused;
  EXPECT_EQ(HistoryRows("round-bad"), rows_before);

  // A formula cell, a row of 11 columns and invalid UTF-8: by line, nothing.
  std::string text = ReadText(csv);
  std::string broken = Tmp("round-broken.csv");
  std::ofstream(broken, std::ios::binary)
      << text
      << "organisations/th/plans/round-bad/milestones/1,x,1,=cmd|' /C calc'!A0,,,,,,0,,,\r\n"
      << "a,b,c,d,e,f,g,h,i,j,k\r\n"
      << "organisations/th/plans/round-bad/milestones/1,1 / 1.1 / 1.1.1,1,T,,,,,,0,bad \xff "
         "byte,,\r\n";
  Result formula = Gtctl(absl::StrCat("updates apply ", broken, " --plan round-bad"));
  EXPECT_EQ(formula.code, 4) << formula;
  EXPECT_TRUE(absl::StrContains(formula.err, "spreadsheet formula")) << formula;
  EXPECT_TRUE(absl::StrContains(formula.err, "expected 13 fields, got 11")) << formula;
  EXPECT_TRUE(absl::StrContains(formula.err, "field 11 is not valid UTF-8")) << formula;
  // A file past 20 MiB is refused before it is read.
  std::string huge = Tmp("round-huge.csv");
  {
    std::ofstream out(huge, std::ios::binary);
    out << text;
    const std::string filler(1 << 20, ' ');
    for (int i = 0; i < 21; ++i) {
      out << filler;
    }
  }
  Result too_big = Gtctl(absl::StrCat("updates apply ", huge, " --plan round-bad"));
  EXPECT_EQ(too_big.code, 4) << too_big;
  EXPECT_TRUE(absl::StrContains(too_big.err, "at most 20 MiB")) << too_big;
  EXPECT_EQ(HistoryRows("round-bad"), rows_before);
  std::string bad_header = Tmp("round-header.csv");
  std::ofstream(bad_header) << "milestone,status\r\nx,y\r\n";
  Result header = Gtctl(absl::StrCat("updates apply ", bad_header, " --plan round-bad"));
  EXPECT_EQ(header.code, 4) << header;
  EXPECT_TRUE(absl::StrContains(header.err, ":1: the header must be exactly")) << header;

  // --partial: the good row is written, the server's refusal named by line.
  Result partial = Gtctl(absl::StrCat("updates apply ", csv, " --plan round-bad --partial"));
  EXPECT_EQ(partial.code, 4) << partial;
  EXPECT_TRUE(absl::StrContains(partial.err, absl::StrCat(csv, ":5: "))) << partial;
  EXPECT_EQ(HistoryRows("round-bad"), rows_before + 1);
}

TEST_F(GtctlBulkTest, AReImportKeepsIdsAndHistoryAndChangesOnlyWhatTheFileChanges) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan reimport")).code, 0);
  const std::set<std::string> ids = Names("reimport");
  auto document = Export("reimport");
  std::string csv = WriteCsv("reimport.csv", document);
  int rows_before = HistoryRows("reimport");
  Result unchanged = Gtctl(absl::StrCat("import ", csv, " --plan reimport --replace"));
  ASSERT_EQ(unchanged.code, 0) << unchanged;
  EXPECT_TRUE(absl::StrContains(unchanged.out, " 0 edited, 0 created, 0 removed")) << unchanged;
  EXPECT_EQ(HistoryRows("reimport"), rows_before);
  EXPECT_EQ(Names("reimport"), ids);

  // A file with no rows would remove everything: refused unless asked.
  std::string empty = Tmp("reimport-empty.csv");
  std::ofstream(empty) << kCsvHeader << "\r\n";
  Result refused = Gtctl(absl::StrCat("import ", empty, " --plan reimport --replace"));
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(absl::StrContains(refused.err, "--remove-all")) << refused;
  EXPECT_EQ(Names("reimport"), ids);

  // The source document itself, again: the tree is written in three steps
  // (keep, reconcile, prune) and nothing changes.
  Result document_again = Gtctl(absl::StrCat("import ", Seed("003"), " --plan reimport --replace"));
  ASSERT_EQ(document_again.code, 0) << document_again;
  EXPECT_TRUE(absl::StrContains(document_again.out, " 0 edited, 0 created, 0 removed"))
      << document_again;
  EXPECT_EQ(Names("reimport"), ids);
  EXPECT_EQ(HistoryRows("reimport"), rows_before);

  // 5 titles edited, 3 added, 2 removed.
  for (int i = 0; i < 5; ++i) {
    document.mutable_milestones(i)->set_title(absl::StrCat("Edited title ", i));
  }
  const std::string removed_a = document.milestones(10).name();
  const std::string removed_b = document.milestones(11).name();
  document.mutable_milestones()->DeleteSubrange(10, 2);
  for (int i = 0; i < 3; ++i) {
    auto* added = document.add_milestones();
    *added = document.milestones(0);
    added->clear_name();
    added->set_title(absl::StrCat("A new deliverable ", i));
    added->set_ordinal(100 + i);
  }
  std::string edited = WriteCsv("reimport-edited.csv", document);
  Result replaced = Gtctl(absl::StrCat("import ", edited, " --plan reimport --replace"));
  ASSERT_EQ(replaced.code, 0) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.out, " 5 edited, 3 created, 2 removed")) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.out, " 0 history rows appended")) << replaced;
  std::set<std::string> now = Names("reimport");
  EXPECT_EQ(now.size(), ids.size() + 1);
  EXPECT_EQ(now.count(removed_a) + now.count(removed_b), 0u);
  for (const auto& name : ids) {
    if (name != removed_a && name != removed_b) {
      EXPECT_EQ(now.count(name), 1u) << name;
    }
  }
  // The removed keep their history.
  EXPECT_GE(std::stoi(milestone_db_->QueryScalar(absl::StrCat(
                "SELECT COUNT(*) FROM milestone_updates WHERE plan_id = 'reimport' AND "
                "milestone_id = ",
                removed_a.substr(removed_a.rfind('/') + 1)))),
            1);
  // A document whose tree lost an activity: the activity's milestones are
  // removed (history kept) before the activity is.
  auto shrunk = Export("reimport");
  auto* activities =
      shrunk.mutable_tree()->mutable_priorities(0)->mutable_outcomes(0)->mutable_activities();
  ASSERT_GE(activities->size(), 2);
  const std::string gone_code = activities->Get(activities->size() - 1).code();
  activities->RemoveLast();
  int gone = 0;
  for (int i = shrunk.milestones_size() - 1; i >= 0; --i) {
    if (shrunk.milestones(i).activity_code() == gone_code &&
        shrunk.milestones(i).outcome_code() == shrunk.tree().priorities(0).outcomes(0).code() &&
        shrunk.milestones(i).priority_code() == shrunk.tree().priorities(0).code()) {
      shrunk.mutable_milestones()->DeleteSubrange(i, 1);
      ++gone;
    }
  }
  std::string shrunk_json = Tmp("reimport-shrunk.json");
  std::ofstream(shrunk_json) << ToJson(shrunk);
  const size_t live_before = Names("reimport").size();
  Result pruned = Gtctl(absl::StrCat("import ", shrunk_json, " --plan reimport --replace"));
  ASSERT_EQ(pruned.code, 0) << pruned;
  EXPECT_TRUE(absl::StrContains(pruned.out, absl::StrCat(" ", gone, " removed"))) << pruned;
  EXPECT_EQ(Names("reimport").size(), live_before - gone);
  Result shown = Gtctl("plans show reimport --output json");
  ASSERT_EQ(shown.code, 0) << shown;
  EXPECT_EQ(Export("reimport").tree().priorities(0).outcomes(0).activities_size(),
            activities->size());

  // Through a gateway that allows 1 call a second: waited out, written once.
  Running tight = Start(GATEWAY_BIN, gateway_db_->uri_string(),
                        {"--rate_limit_per_second=1", "--rate_limit_burst=1",
                         absl::StrCat("--plan_service_addr=", plan_->address()),
                         absl::StrCat("--milestone_service_addr=", milestone_->address()),
                         absl::StrCat("--report_service_addr=", report_->address())});
  ASSERT_TRUE(WaitUntil([&] { return Serving(tight.address()); }, absl::Seconds(30)));
  auto round = Export("reimport");
  round.mutable_milestones(0)->set_comment("applied through the rate limit");
  std::string one = WriteCsv("reimport-one.csv", round);
  rows_before = HistoryRows("reimport");
  Result slow = Gtctl(absl::StrCat("updates apply ", one, " --plan reimport"), "", tight.address());
  EXPECT_EQ(slow.code, 0) << slow;
  EXPECT_EQ(HistoryRows("reimport"), rows_before + 1);
}

// milestone-service killed while a document re-import runs: the tree step
// has happened, the milestone step cannot. The plan stays readable with no
// milestone under a missing activity (the dropped activity is kept until
// the milestones have moved off it), and running the import again
// completes it.
TEST_F(GtctlBulkTest, AReImportCutBetweenTheServicesStaysReadableAndARerunCompletesIt) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan cut-between")).code, 0);
  auto shrunk = Export("cut-between");
  auto* outcome = shrunk.mutable_tree()->mutable_priorities(0)->mutable_outcomes(0);
  const std::string gone = outcome->activities(outcome->activities_size() - 1).code();
  outcome->mutable_activities()->RemoveLast();
  int dropped = 0;
  for (int i = shrunk.milestones_size() - 1; i >= 0; --i) {
    const auto& m = shrunk.milestones(i);
    if (m.priority_code() == shrunk.tree().priorities(0).code() &&
        m.outcome_code() == outcome->code() && m.activity_code() == gone) {
      shrunk.mutable_milestones()->DeleteSubrange(i, 1);
      ++dropped;
    }
  }
  ASSERT_GT(dropped, 0);
  outcome->set_title("Retitled by the re-import");
  std::string json = Tmp("cut-between.json");
  std::ofstream(json) << ToJson(shrunk);

  const int port = milestone_->port;
  milestone_->process->Signal(SIGKILL);
  milestone_->process->Wait(absl::Seconds(10));
  Result cut =
      Gtctl(absl::StrCat("import ", json, " --plan cut-between --replace --retry_seconds 2"));
  EXPECT_NE(cut.code, 0) << cut;
  *milestone_ = Start(MILESTONE_SERVICE_BIN, milestone_db_->uri_string(),
                      {absl::StrCat("--plan_service_addr=", plan_->address())}, port);
  ASSERT_TRUE(WaitUntil([] { return Serving(milestone_->address()); }, absl::Seconds(30)))
      << milestone_->process->Log();

  // Readable, and every milestone is under an activity of the tree.
  auto between = Export("cut-between");
  std::set<std::string> activities;
  for (const auto& p : between.tree().priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        activities.insert(absl::StrCat(p.code(), "/", o.code(), "/", a.code()));
      }
    }
  }
  for (const auto& m : between.milestones()) {
    EXPECT_EQ(activities.count(
                  absl::StrCat(m.priority_code(), "/", m.outcome_code(), "/", m.activity_code())),
              1u)
        << m.title();
  }
  Result rerun = Gtctl(absl::StrCat("import ", json, " --plan cut-between --replace"));
  ASSERT_EQ(rerun.code, 0) << rerun;
  EXPECT_TRUE(absl::StrContains(rerun.out, absl::StrCat(" ", dropped, " removed"))) << rerun;
  auto after = Export("cut-between");
  EXPECT_EQ(after.tree().priorities(0).outcomes(0).activities_size(), outcome->activities_size());
  EXPECT_EQ(after.milestones_size(), shrunk.milestones_size());
}

// A 2,000-row round killed (SIGKILL) at several points: each time the plan
// has none of the changes or all of them; run again, every change is there
// exactly once.
TEST_F(GtctlBulkTest, AKilledRoundLeavesNoneOrAllAndARerunCompletesItOnce) {
  goldenthread::gtctl::v1::PlanDocument document;
  document.set_format(kFormat);
  auto* plan = document.mutable_tree()->mutable_plan();
  plan->set_title("Two thousand");
  plan->set_period_start("2020-04-01");
  plan->set_period_end("2021-03-31");
  auto* outcome = document.mutable_tree()->add_priorities();
  outcome->set_code("1");
  outcome->set_title("Priority");
  auto* o = outcome->add_outcomes();
  o->set_code("1.1");
  o->set_title("Outcome");
  for (int a = 0; a < 20; ++a) {
    auto* activity = o->add_activities();
    activity->set_code(absl::StrCat("1.1.", a + 1));
    activity->set_title(absl::StrCat("Activity ", a + 1));
    for (int m = 0; m < 100; ++m) {
      auto* milestone = document.add_milestones();
      milestone->set_priority_code("1");
      milestone->set_outcome_code("1.1");
      milestone->set_activity_code(activity->code());
      milestone->set_ordinal(m + 1);
      milestone->set_title(absl::StrCat("Deliverable ", a + 1, ".", m + 1));
      milestone->set_baseline_deadline("2021-03-31");
      milestone->set_current_deadline("2021-03-31");
      milestone->set_status(v1::ON_TARGET);
      milestone->set_percent_complete(10);
    }
  }
  std::string json = Tmp("two-thousand.json");
  std::ofstream(json) << ToJson(document);
  Result imported = Gtctl(absl::StrCat("import ", json, " --plan big-round"));
  ASSERT_EQ(imported.code, 0) << imported;
  auto exported = Export("big-round");
  ASSERT_EQ(exported.milestones_size(), 2000);
  for (auto& m : *exported.mutable_milestones()) {
    m.set_comment("Q1 round: every row changed");
    m.set_percent_complete(20);
  }
  std::string csv = WriteCsv("big-round.csv", exported);
  const int before = HistoryRows("big-round");
  for (int delay_ms : {50, 150, 300, 600, 1200}) {
    ChildProcess apply({GTCTL_BIN, "updates", "apply", csv, "--plan", "big-round"},
                       {{"GT_ADDR", gateway_->address()}, {"GT_TOKEN", *admin_}, {"GT_ORG", ""}},
                       Tmp(absl::StrCat("killed-", delay_ms, ".log")));
    absl::SleepFor(absl::Milliseconds(delay_ms));
    apply.Signal(SIGKILL);
    apply.Wait(absl::Seconds(10));
    // The server may still be committing the batch the client left.
    absl::SleepFor(absl::Milliseconds(500));
    int delta = HistoryRows("big-round") - before;
    EXPECT_TRUE(delta == 0 || delta == 2000) << "after a kill at " << delay_ms << " ms: " << delta;
  }
  Result rerun = Gtctl(absl::StrCat("updates apply ", csv, " --plan big-round"));
  EXPECT_EQ(rerun.code, 0) << rerun;
  EXPECT_EQ(HistoryRows("big-round") - before, 2000);
  Result again = Gtctl(absl::StrCat("updates apply ", csv, " --plan big-round"));
  EXPECT_TRUE(absl::StrContains(again.out, "no changes")) << again;
  EXPECT_EQ(HistoryRows("big-round") - before, 2000);
}

// A monitoring round from the command line (issue 18): quarters, open, what
// is due, return and approve, publish, and the pack written exactly as stored.
TEST_F(GtctlBulkTest, AMonitoringRoundFromTheCommandLine) {
  ASSERT_EQ(
      Gtctl(absl::StrCat("import ", Seed("003"), " --plan rounds --effective 2017-06-30")).code, 0);
  Result quarters = Gtctl("periods quarters rounds --due-days 14 --output json");
  ASSERT_EQ(quarters.code, 0) << quarters;
  EXPECT_THAT(quarters.out,
              ::testing::HasSubstr("\"organisations/th/plans/rounds/periods/rounds-q4\""));
  // Run again: the same request id, answered once (no second set).
  Result rerun = Gtctl("periods quarters rounds --due-days 14 --output json");
  EXPECT_EQ(rerun.code, 0) << rerun;
  EXPECT_EQ(rerun.out, quarters.out);
  Result overlap = Gtctl(
      "periods create rounds extra --start 2017-09-01 --as-of 2017-10-31 --due 2017-11-14 "
      "--title Extra");
  EXPECT_EQ(overlap.code, 1) << overlap;
  EXPECT_THAT(overlap.err, ::testing::HasSubstr("overlaps period"));
  ASSERT_EQ(Gtctl("periods open rounds rounds-q2").code, 0);
  Result twice = Gtctl("periods open rounds rounds-q2");
  EXPECT_EQ(twice.code, 1) << twice;
  EXPECT_THAT(twice.err, ::testing::HasSubstr("only a PLANNED period can be opened"));

  // Due: every milestone not finished before the quarter began (the import
  // speaks for 2017-06-30).
  int live = 0;
  std::string first;
  for (const auto& m : Milestones("rounds")) {
    if (m.status() != v1::COMPLETED && m.status() != v1::DEFERRED && m.status() != v1::CANCELLED) {
      ++live;
      if (first.empty()) {
        first = m.name();
      }
    }
  }
  Result due = Gtctl("due rounds rounds-q2 --state missing --output json");
  ASSERT_EQ(due.code, 0) << due;
  EXPECT_THAT(due.out, ::testing::HasSubstr(absl::StrCat("\"total\": ", live)));
  EXPECT_EQ(Gtctl("due rounds rounds-q2 --state LATE").code, 2);

  ASSERT_EQ(Gtctl(absl::StrCat("milestones update ", first,
                               " --status ON_TARGET --percent 60 --effective 2017-09-30"))
                .code,
            0);
  v1::ListDueUpdatesResponse submitted;
  Result listed = Gtctl("due rounds rounds-q2 --state SUBMITTED --output json");
  ASSERT_EQ(listed.code, 0) << listed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.out, &submitted).ok());
  ASSERT_EQ(submitted.due_size(), 1);
  const std::string update = submitted.due(0).update();
  EXPECT_EQ(Gtctl(absl::StrCat("return ", update)).code, 2);  // --reason required
  ASSERT_EQ(Gtctl(absl::StrCat("return ", update, " --reason 'say why 60%'")).code, 0);
  Result returned = Gtctl("due rounds rounds-q2 --state RETURNED");
  EXPECT_THAT(returned.out, ::testing::HasSubstr("say why 60%"));
  ASSERT_EQ(Gtctl(absl::StrCat("approve ", update)).code, 0);

  Result published = Gtctl("periods publish rounds rounds-q2");
  ASSERT_EQ(published.code, 0) << published;
  EXPECT_THAT(published.out, ::testing::HasSubstr("PUBLISHED"));
  // Run again (a cut-off publication retried): answered, not made twice.
  EXPECT_EQ(Gtctl("periods publish rounds rounds-q2").code, 0);
  const std::string dir = Tmp("pack");
  Result pack = Gtctl(absl::StrCat("pack get rounds rounds-q2 --out ", dir));
  ASSERT_EQ(pack.code, 0) << pack;
  EXPECT_EQ(std::system(absl::StrCat("cd '", dir, "' && sha256sum --quiet -c SHA256SUMS").c_str()),
            0);
  EXPECT_THAT(ReadText(dir + "/progress.md"), ::testing::HasSubstr("progress report"));
  Result periods = Gtctl("periods list rounds");
  EXPECT_THAT(periods.out, ::testing::HasSubstr("PUBLISHED"));
  EXPECT_EQ(Gtctl("periods cancel rounds rounds-q2 --reason 'too late'").code, 1);
}

}  // namespace
}  // namespace gt::gtctl
