// What the readers guessed: every inference is an ImportWarning, and these
// tests list them for each seed, so that a reader which starts guessing
// something new (or stops saying so) fails here. Expected lists were taken
// by reading the documents at the lines named, not from the readers:
//   000: every activity COMPLETED at 100% by the appendix's title; line 547
//     lists 05.04.03a under objective 05.04.02.
//   001: every row DELAYED, no % column; Deadline later than the text's
//     month on 44, 159, 173, 268 (whose text names two months), 359;
//     "31/04/2007" on 322 beside "from May 2007"; 364 repeats objective
//     05.01.16; 424-426 have no Deadline.
//   002: a plan being set (NOT_STARTED, month deadlines); doubled title
//     lines 14, 193, 198, 230; no "Strategic Priority" line above the table
//     on 26; "(from April 2012)" 112; two months 125, 246; "(Higger 2012)"
//     175; "(March 2012)" before the plan 198, 303; no lead 246; no
//     deadline 301.
//   003: "1.3." 65; "1st 31/7/17 2nd 31/12/17" 219; "31/09/17" 283;
//     "Priority three" 383 with no outcome headings (385); "01/02/17" before
//     the plan 390; "31/04/17" 414; blank % Comp 431.
//   004: priority 3 titled differently in the overview and its section (537).
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "common/importers/date_util.h"
#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::goldenthread::v1::COMPLETED;
using ::goldenthread::v1::DELAYED;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// "kind@line" in line order, kinds on one line in name order.
std::vector<std::string> Kinds(const ImportedPlan& plan) {
  std::vector<ImportWarning> sorted = plan.warnings;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::tie(a.line_number, a.kind) < std::tie(b.line_number, b.kind);
  });
  std::vector<std::string> kinds;
  for (const ImportWarning& w : sorted) {
    kinds.push_back(w.kind + "@" + std::to_string(w.line_number));
  }
  return kinds;
}

const ImportWarning* FindWarning(const ImportedPlan& plan, std::string_view kind, int line) {
  for (const ImportWarning& w : plan.warnings) {
    if (w.kind == kind && w.line_number == line) {
      return &w;
    }
  }
  return nullptr;
}

int CountDeadlinesAssumed(const ImportedPlan& plan) {
  int n = 0;
  for (const ImportedMilestone& m : plan.milestones) {
    n += m.milestone.deadline_assumed() ? 1 : 0;
  }
  return n;
}

// The readers' warnings are already in line order.
void ExpectInLineOrder(const ImportedPlan& plan) {
  EXPECT_TRUE(
      std::is_sorted(plan.warnings.begin(), plan.warnings.end(),
                     [](const auto& a, const auto& b) { return a.line_number < b.line_number; }));
  for (const ImportWarning& w : plan.warnings) {
    EXPECT_FALSE(w.what_was_read.empty()) << w.kind << "@" << w.line_number;
    EXPECT_FALSE(w.assumed.empty()) << w.kind << "@" << w.line_number;
    EXPECT_TRUE(w.source.empty()) << w.kind << "@" << w.line_number;
  }
}

using Completed2007Warnings = SeedTest<ReadCompletedActivities2007, kCompleted2007>;
using Overdue2007Warnings = SeedTest<ReadOverdueActivities2007, kOverdue2007>;
using ActionPlan2012Warnings = SeedTest<ReadActionPlan2012, kActionPlan2012>;
using Monitoring2017Warnings = SeedTest<ReadMonitoring2017, kMonitoring2017>;
using StrategicPlan2019Warnings = SeedTest<ReadStrategicPlan2019, kStrategicPlan2019>;

TEST_F(Completed2007Warnings, EveryGuessIsListed) {
  EXPECT_THAT(Kinds(*plan_), ElementsAre("status-from-document@0", "placed-by-code@547"));
  ExpectInLineOrder(*plan_);
  const ImportWarning* status = FindWarning(*plan_, "status-from-document", 0);
  ASSERT_NE(status, nullptr);
  EXPECT_THAT(status->what_was_read, HasSubstr("Completed Activities"));
  EXPECT_THAT(status->assumed, HasSubstr("278 key activities COMPLETED at 100%"));
  EXPECT_EQ(CountDeadlinesAssumed(*plan_), 0);
}

TEST_F(Overdue2007Warnings, EveryGuessIsListed) {
  EXPECT_THAT(Kinds(*plan_),
              ElementsAre("percent-not-reported@0", "status-from-document@0", "deadline-revised@44",
                          "deadline-revised@159", "deadline-revised@173", "deadline-revised@268",
                          "deadline-two-dates@268", "date-clamped@322", "deadline-text-later@322",
                          "deadline-revised@359", "repeat-merged@364", "deadline-from-title@424",
                          "deadline-from-title@425", "deadline-from-title@426"));
  ExpectInLineOrder(*plan_);
  const ImportWarning* clamped = FindWarning(*plan_, "date-clamped", 322);
  ASSERT_NE(clamped, nullptr);
  EXPECT_EQ(clamped->what_was_read, "31/04/2007");
  EXPECT_THAT(clamped->assumed, HasSubstr("2007-04-30"));
  const ImportWarning* from_title = FindWarning(*plan_, "deadline-from-title", 425);
  ASSERT_NE(from_title, nullptr);
  EXPECT_THAT(from_title->what_was_read, HasSubstr("June 2007"));
  EXPECT_THAT(from_title->assumed, HasSubstr("2007-06-30"));
  // 5 revisions (baseline from the text), 3 from the text alone, 1 clamped.
  EXPECT_EQ(CountDeadlinesAssumed(*plan_), 9);
}

bool DeadlineAssumed(const ImportedPlan& plan, const goldenthread::v1::Milestone& milestone) {
  for (const ImportedMilestone& m : plan.milestones) {
    if (m.milestone.title() == milestone.title()) {
      return m.milestone.deadline_assumed();
    }
  }
  ADD_FAILURE() << "no milestone " << milestone.title();
  return false;
}

TEST_F(Overdue2007Warnings, DeadlineAssumedMarksTheMilestone) {
  for (const ImportedMilestone& m : plan_->milestones) {
    if (m.milestone.baseline_deadline() != m.milestone.current_deadline()) {
      EXPECT_TRUE(m.milestone.deadline_assumed()) << m.milestone.title();  // baseline from the text
    }
  }
  auto research = MilestonesOf(*plan_, "05.03.01", "05.03.01d");  // no Deadline (424-426)
  ASSERT_EQ(research.size(), 3u);
  EXPECT_TRUE(DeadlineAssumed(*plan_, research[0]));
  auto health = MilestonesOf(*plan_, "05.01.11", "05.01.11c");  // 31/04/2007 (322)
  ASSERT_EQ(health.size(), 1u);
  EXPECT_TRUE(DeadlineAssumed(*plan_, health[0]));
  auto zones = MilestonesOf(*plan_, "01.01.10", "01.01.10g");  // Deadline as the text says
  ASSERT_EQ(zones.size(), 4u);
  EXPECT_FALSE(DeadlineAssumed(*plan_, zones[3]));
}

TEST_F(ActionPlan2012Warnings, EveryGuessIsListed) {
  EXPECT_THAT(
      Kinds(*plan_),
      ElementsAre("deadline-month-end@0", "status-from-document@0", "duplicate-text-dropped@14",
                  "node-synthesised@26", "deadline-from-start@112", "deadline-two-dates@125",
                  "deadline-not-a-date@175", "duplicate-text-dropped@193",
                  "deadline-before-plan@198", "duplicate-text-dropped@198",
                  "duplicate-text-dropped@230", "deadline-two-dates@246", "lead-missing@246",
                  "deadline-missing@301", "deadline-before-plan@303"));
  ExpectInLineOrder(*plan_);
  const ImportWarning* two = FindWarning(*plan_, "deadline-two-dates", 125);
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->what_was_read, "(September 12; March 13)");
  EXPECT_THAT(two->assumed, HasSubstr("2013-03-31"));
  const ImportWarning* early = FindWarning(*plan_, "deadline-before-plan", 303);
  ASSERT_NE(early, nullptr);
  EXPECT_THAT(early->assumed, HasSubstr("2012-03-31"));
  const ImportWarning* months = FindWarning(*plan_, "deadline-month-end", 0);
  ASSERT_NE(months, nullptr);
  EXPECT_THAT(months->assumed, HasSubstr("242 milestones"));
  // "(from April 2012)" and the two with two months.
  EXPECT_EQ(CountDeadlinesAssumed(*plan_), 3);
}

TEST_F(Monitoring2017Warnings, EveryGuessIsListed) {
  EXPECT_THAT(Kinds(*plan_),
              ElementsAre("code-normalised@65", "deadline-two-dates@219", "date-clamped@283",
                          "code-from-words@383", "node-synthesised@385", "deadline-before-plan@390",
                          "date-clamped@414", "percent-blank@431"));
  ExpectInLineOrder(*plan_);
  const ImportWarning* clamped = FindWarning(*plan_, "date-clamped", 414);
  ASSERT_NE(clamped, nullptr);
  EXPECT_EQ(clamped->what_was_read, "31/04/17");
  EXPECT_THAT(clamped->assumed, HasSubstr("2017-04-30"));
  const ImportWarning* blank = FindWarning(*plan_, "percent-blank", 431);
  ASSERT_NE(blank, nullptr);
  EXPECT_EQ(blank->assumed, "0%");
  // Two dates on 219, clamped on 283 and 414: all three deliverables.
  EXPECT_EQ(CountDeadlinesAssumed(*plan_), 3);
  auto surveys = MilestonesOf(*plan_, "2.1", "2.1.1");
  ASSERT_FALSE(surveys.empty());
  EXPECT_TRUE(DeadlineAssumed(*plan_, surveys[0]));
  EXPECT_FALSE(DeadlineAssumed(*plan_, surveys[1]));
}

TEST_F(StrategicPlan2019Warnings, EveryGuessIsListed) {
  EXPECT_THAT(Kinds(*plan_), ElementsAre("title-conflict@537"));
  ExpectInLineOrder(*plan_);
  EXPECT_TRUE(plan_->milestones.empty());
}

// The one date rule: a day past its month's end is that month's last day,
// in every function and every reader that reads d/m/y dates.
TEST(DateRuleTest, ImpossibleDayIsTheMonthsLastDay) {
  bool clamped = false;
  EXPECT_EQ(ParseDayMonthYear("31/04/17", &clamped), absl::CivilDay(2017, 4, 30));
  EXPECT_TRUE(clamped);
  EXPECT_EQ(ParseDayMonthYear("31/04/2007", &clamped), absl::CivilDay(2007, 4, 30));
  EXPECT_TRUE(clamped);
  EXPECT_EQ(ParseDayMonthYear("29/02/19", &clamped), absl::CivilDay(2019, 2, 28));
  EXPECT_TRUE(clamped);
  EXPECT_EQ(ParseDayMonthYear("29/02/20", &clamped), absl::CivilDay(2020, 2, 29));
  EXPECT_FALSE(clamped);
  EXPECT_EQ(ParseDayMonthYear("32/04/17", &clamped), std::nullopt);
  std::vector<FoundDate> found = FindDayMonthYears("1st 31/04/17 2nd 31/06/17");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].day, absl::CivilDay(2017, 4, 30));
  EXPECT_EQ(found[1].day, absl::CivilDay(2017, 6, 30));
  EXPECT_TRUE(found[0].clamped && found[1].clamped);
  DateCell cell = ReadDateCell("by 31/04/17");
  EXPECT_EQ(cell.day, absl::CivilDay(2017, 4, 30));
  EXPECT_TRUE(cell.clamped);
  EXPECT_FALSE(cell.whole);
  EXPECT_EQ(ReadDateCell("TBC").dates, 0);
}

const ImportedMilestone* OnlyMilestone(const ImportedPlan& plan) {
  EXPECT_EQ(plan.milestones.size(), 1u);
  return plan.milestones.empty() ? nullptr : &plan.milestones[0];
}

TEST(DateRuleTest, EveryReaderOfDatesReads31AprilAs30April) {
  // 2007/08 overdue appendix: the Deadline column, beside a text naming a
  // later month (as seed 001's line 322 does).
  auto overdue = ReadOverdueActivities2007(
      "1. LIVING SAFELY\n"
      "01.01.01 To reduce crime\n"
      "01.01.01d Provide support to offenders\n"
      "Progress Milestone\tDeadline\tComments\n"
      "1. New contracts from May 2018\t31/04/2018\tLate.\n");
  ASSERT_TRUE(overdue.ok()) << overdue.status();
  // 2017/18 monitoring: an activity and a deliverable.
  auto monitoring = ReadMonitoring2017(
      "Priority Outcome 1: A great place to live\n"
      "1.1 Homes\n"
      "1.1.1 1. Build homes\tCllr Ann Smith\t31/04/2018\tOn Target\t50%\tGoing well\n"
      "Our key deliverables\tLead Officer\tDeadline\tStatus\t% Comp\tComments\n"
      "Agree the programme\tOwen Whalley (PLACE)\t31/04/18\tOn Target\t50%\tAgreed\n");
  ASSERT_TRUE(monitoring.ok()) << monitoring.status();

  const ImportedMilestone* a = OnlyMilestone(*overdue);
  const ImportedMilestone* b = OnlyMilestone(*monitoring);
  ASSERT_TRUE(a != nullptr && b != nullptr);
  for (const ImportedMilestone* m : {a, b}) {
    EXPECT_EQ(m->milestone.baseline_deadline(), "2018-04-30");
    EXPECT_EQ(m->milestone.current_deadline(), "2018-04-30");
    EXPECT_TRUE(m->milestone.deadline_assumed());
  }
  const auto* activity = FindActivity(monitoring->tree, "1.1", "1.1.1");
  ASSERT_NE(activity, nullptr);
  EXPECT_EQ(activity->deadline(), "2018-04-30");

  EXPECT_THAT(Kinds(*overdue), ElementsAre("percent-not-reported@0", "status-from-document@0",
                                           "date-clamped@5", "deadline-text-later@5"));
  EXPECT_THAT(Kinds(*monitoring), ElementsAre("date-clamped@3", "date-clamped@5"));
  for (const ImportedPlan* plan : {&*overdue, &*monitoring}) {
    for (const ImportWarning& w : plan->warnings) {
      if (w.kind == "date-clamped") {
        EXPECT_THAT(w.what_was_read, HasSubstr("31/04/"));
        EXPECT_THAT(w.assumed, HasSubstr("2018-04-30"));
      }
    }
  }
}

TEST(DateRuleTest, TwoDatesInOneCellTakeTheLastEverywhere) {
  auto overdue = ReadOverdueActivities2007(
      "1. LIVING SAFELY\n"
      "01.01.01 To reduce crime\n"
      "01.01.01d Provide support to offenders\n"
      "1. New contracts signed\t1st 31/7/17 2nd 31/12/17\tLate.\n");
  auto monitoring = ReadMonitoring2017(
      "Priority Outcome 1: A great place to live\n"
      "1.1 Homes\n"
      "1.1.1 1. Build homes\tCllr Ann Smith\t31/03/2018\tOn Target\t50%\tGoing well\n"
      "Agree the programme\tOwen Whalley (PLACE)\t1st 31/7/17 2nd 31/12/17\tOn Target\t\tOk\n");
  ASSERT_TRUE(overdue.ok() && monitoring.ok());
  EXPECT_EQ(OnlyMilestone(*overdue)->milestone.current_deadline(), "2017-12-31");
  EXPECT_EQ(OnlyMilestone(*monitoring)->milestone.current_deadline(), "2017-12-31");
  EXPECT_THAT(Kinds(*overdue), ElementsAre("percent-not-reported@0", "status-from-document@0",
                                           "deadline-two-dates@4"));
  EXPECT_THAT(Kinds(*monitoring), ElementsAre("deadline-two-dates@4", "percent-blank@4"));
}

// Seeds 000 and 001: 03.01.01h is completed in one and overdue in the other.
TEST(MergeWarningsTest, SeedsCarryTheirWarningsAndTheContradiction) {
  auto completed = ReadCompletedActivities2007(ReadSeed(kCompleted2007));
  auto overdue = ReadOverdueActivities2007(ReadSeed(kOverdue2007));
  ASSERT_TRUE(completed.ok() && overdue.ok());
  ImportedPlan merged = *completed;
  ASSERT_TRUE(MergeInto(merged, *overdue).ok());
  ASSERT_EQ(merged.warnings.size(), completed->warnings.size() + overdue->warnings.size() + 1);
  for (size_t i = 0; i < completed->warnings.size(); ++i) {
    EXPECT_EQ(merged.warnings[i].kind, completed->warnings[i].kind);
    EXPECT_EQ(merged.warnings[i].source, "");
  }
  for (size_t i = 0; i < overdue->warnings.size(); ++i) {
    const ImportWarning& w = merged.warnings[completed->warnings.size() + i];
    EXPECT_EQ(w.kind, overdue->warnings[i].kind);
    EXPECT_EQ(w.line_number, overdue->warnings[i].line_number);
    EXPECT_EQ(w.source, overdue->tree.plan().source());
  }
  const ImportWarning& contradiction = merged.warnings.back();
  EXPECT_EQ(contradiction.kind, "merge-status-conflict");
  EXPECT_EQ(contradiction.source, "merge");
  EXPECT_THAT(contradiction.what_was_read, HasSubstr("03.01.01h reported status: COMPLETED in"));
  EXPECT_THAT(contradiction.what_was_read, HasSubstr("DELAYED in 'Appendix 3b"));
  EXPECT_THAT(contradiction.assumed, HasSubstr("COMPLETED kept"));
  EXPECT_EQ(CountDeadlinesAssumed(merged), CountDeadlinesAssumed(*overdue));
}

// One activity with one milestone, as a reader would give it.
ImportedPlan OneMilestonePlan(std::string source, goldenthread::v1::MilestoneStatus status,
                              int percent, std::string deadline, bool deadline_assumed) {
  ImportedPlan plan;
  auto* p = plan.tree.mutable_plan();
  p->set_title("Strategic Plan 2017/18");
  p->set_period_start("2017-04-01");
  p->set_period_end("2018-03-31");
  p->set_source(std::move(source));
  auto* priority = plan.tree.add_priorities();
  priority->set_code("1");
  priority->set_title("A great place to live");
  auto* outcome = priority->add_outcomes();
  outcome->set_code("1.1");
  outcome->set_title("Homes");
  auto* activity = outcome->add_activities();
  activity->set_code("1.1.1");
  activity->set_title("Build homes");
  activity->set_reported_status(status);
  activity->set_reported_percent_complete(percent);
  ImportedMilestone m;
  m.activity_path = {0, 0, 0};
  m.milestone.set_ordinal(1);
  m.milestone.set_title("Agree the programme");
  m.milestone.set_status(status);
  m.milestone.set_current_deadline(deadline);
  m.milestone.set_baseline_deadline(deadline);
  m.milestone.set_deadline_assumed(deadline_assumed);
  plan.milestones.push_back(std::move(m));
  plan.warnings.push_back({7, "percent-blank", "an empty % Comp cell", "0%", ""});
  return plan;
}

TEST(MergeWarningsTest, ContradictionsAreWarnedNotResolvedSilently) {
  ImportedPlan base = OneMilestonePlan("report A", COMPLETED, 100, "2017-12-31", false);
  ImportedPlan more = OneMilestonePlan("report B", DELAYED, 40, "2017-12-31", true);
  ASSERT_TRUE(MergeInto(base, more).ok());
  EXPECT_THAT(Kinds(base),
              ElementsAre("merge-conflict@0", "merge-duplicate@0", "merge-status-conflict@0",
                          "merge-status-conflict@0", "percent-blank@7", "percent-blank@7"));
  std::vector<std::string> merge_reads;
  for (const ImportWarning& w : base.warnings) {
    if (w.source == "merge") {
      merge_reads.push_back(w.kind + ": " + w.what_was_read);
    }
  }
  EXPECT_THAT(merge_reads,
              ElementsAre("merge-status-conflict: activity 1.1.1, milestone 1 status: COMPLETED "
                          "in 'report A', DELAYED in 'report B'",
                          "merge-duplicate: activity 1.1.1, milestone 1",
                          "merge-status-conflict: priority 1, outcome 1.1, activity 1.1.1 "
                          "reported status: COMPLETED in 'report A', DELAYED in 'report B'",
                          "merge-conflict: priority 1, outcome 1.1, activity 1.1.1 reported % "
                          "complete: 100% in 'report A', 40% in 'report B'"));
  // The first document's values are kept, as before; both milestones too.
  const auto* activity = FindActivity(base.tree, "1.1", "1.1.1");
  ASSERT_NE(activity, nullptr);
  EXPECT_EQ(activity->reported_status(), COMPLETED);
  EXPECT_EQ(activity->reported_percent_complete(), 100);
  ASSERT_EQ(base.milestones.size(), 2u);
  EXPECT_FALSE(base.milestones[0].milestone.deadline_assumed());
  EXPECT_TRUE(base.milestones[1].milestone.deadline_assumed());
  EXPECT_EQ(base.warnings[0].source, "");
  EXPECT_EQ(base.warnings[1].source, "report B");
}

TEST(MergeWarningsTest, AgreeingDocumentsOnlyNoteTheDuplicate) {
  ImportedPlan base = OneMilestonePlan("report A", DELAYED, 40, "2017-12-31", false);
  ImportedPlan more = OneMilestonePlan("report B", DELAYED, 40, "2017-12-31", false);
  more.warnings.clear();
  ASSERT_TRUE(MergeInto(base, more).ok());
  EXPECT_THAT(Kinds(base), ElementsAre("merge-duplicate@0", "percent-blank@7"));
  ImportedPlan later = OneMilestonePlan("report C", DELAYED, 40, "2018-01-31", false);
  later.warnings.clear();
  ImportedPlan again = OneMilestonePlan("report A", DELAYED, 40, "2017-12-31", false);
  ASSERT_TRUE(MergeInto(again, later).ok());
  EXPECT_THAT(Kinds(again),
              ElementsAre("merge-conflict@0", "merge-duplicate@0", "percent-blank@7"));
}

}  // namespace
}  // namespace gt::importers::testing
