// Seed 003, Strategic Plan 2017/18 mid-year monitoring. The expected counts
// were taken by reading and grepping the document, not from the reader:
//   priority headings: "Priority Outcome 1:", "Priority Outcome 2:",
//     "Priority three:" (3);
//   outcome headings 1.1-1.5 (1.3 written "1.3."), 2.1-2.4 (9), and priority
//     3 has none: its activities are numbered 3.1-3.6;
//   activity rows (code, lead member, deadline, status): 6+2+6+7+4 under
//     priority 1, 5+5+3+6 under 2, 6 under 3 = 50; statuses 47 On Target,
//     1 Completed (3.6), 2 Delayed (2.4.1, 3.4);
//   deliverable rows (lead officer, deadline, status): 233 = 141 On Target,
//     52 Completed, 38 Delayed, 2 Overdue (lines 62, 144).
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::goldenthread::v1::COMPLETED;
using ::goldenthread::v1::DELAYED;
using ::goldenthread::v1::ON_TARGET;
using ::testing::ElementsAre;

using Monitoring2017Test = SeedTest<ReadMonitoring2017, kMonitoring2017>;

TEST_F(Monitoring2017Test, PlanHeader) {
  const auto& plan = plan_->tree.plan();
  EXPECT_EQ(plan.title(), "Strategic Plan 2017/18");
  EXPECT_EQ(plan.period_start(), "2017-04-01");
  EXPECT_EQ(plan.period_end(), "2018-03-31");
  EXPECT_FALSE(plan.source().empty());
}

TEST_F(Monitoring2017Test, Counts) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.priorities_size(), 3);
  EXPECT_EQ(CountOutcomes(tree), 10);  // 9 headings + 1 synthesised for priority 3
  EXPECT_EQ(CountActivities(tree), 50);
  EXPECT_EQ(plan_->milestones.size(), 233u);
  std::vector<int> per_outcome;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      per_outcome.push_back(o.activities_size());
    }
  }
  EXPECT_THAT(per_outcome, ElementsAre(6, 2, 6, 7, 4, 5, 5, 3, 6, 6));
  auto milestones = MilestoneStatuses(*plan_);
  EXPECT_EQ(milestones[ON_TARGET], 141);
  EXPECT_EQ(milestones[COMPLETED], 52);
  EXPECT_EQ(milestones[DELAYED], 40);  // 38 Delayed + 2 Overdue
  EXPECT_EQ(milestones.size(), 3u);
  auto activities = ActivityStatuses(tree);
  EXPECT_EQ(activities[ON_TARGET], 47);
  EXPECT_EQ(activities[COMPLETED], 1);
  EXPECT_EQ(activities[DELAYED], 2);
  EXPECT_EQ(activities.size(), 3u);
  ExpectCodesUniqueUnderParents(tree);
}

TEST_F(Monitoring2017Test, PrioritiesAndOutcomesAsWritten) {
  const auto& tree = plan_->tree;
  std::vector<std::string> codes;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      codes.push_back(o.code());
    }
  }
  EXPECT_THAT(codes,
              ElementsAre("1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3"));
  EXPECT_EQ(tree.priorities(0).title(),
            "Creating opportunity by supporting aspiration and tackling poverty");
  // "1.3." in the document.
  EXPECT_EQ(FindOutcome(tree, "1.3")->title(),
            "Children get the best start in life and young people realise their potential");
  // "Priority three: ..." and no outcome headings under it.
  const auto* third = FindPriority(tree, "3");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->title(), "Working smarter together as one team with our partners and community");
  ASSERT_EQ(third->outcomes_size(), 1);
  EXPECT_EQ(third->outcomes(0).code(), "3");
  EXPECT_EQ(third->outcomes(0).title(), third->title());
}

TEST_F(Monitoring2017Test, ActivityRowInFull) {
  const auto* a = FindActivity(plan_->tree, "1.1", "1.1.1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->title(),
            "Develop and deliver the Growth Strategy to create the right environment for sustained "
            "economic growth whilst harnessing the benefits for local residents and businesses");
  EXPECT_EQ(a->lead_member(),
            "Cabinet Member for Work and Economic Growth, Cabinet Member for Strategic "
            "Development");
  EXPECT_EQ(a->deadline(), "2018-03-31");
  EXPECT_EQ(a->reported_status(), ON_TARGET);
  ASSERT_TRUE(a->has_reported_percent_complete());
  EXPECT_EQ(a->reported_percent_complete(), 75);
  EXPECT_TRUE(StartsWith(a->reported_comment(),
                         "New Divisional Director (DD) appointment made with a start date "
                         "December 11th 2017."));

  // Code and title in one cell ("3.1 1. Make best use ...").
  const auto* r = FindActivity(plan_->tree, "3", "3.1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->title(),
            "Make best use of council resources through effective procurement and commissioning "
            "exploiting greater value for money and use of assets and maximising income from "
            "local growth");
  EXPECT_EQ(r->lead_member(), "Cabinet Member for Resources");
  EXPECT_EQ(r->reported_percent_complete(), 65);

  const auto* c = FindActivity(plan_->tree, "3", "3.6");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->title(), "Deliver an effective communication plan");
  EXPECT_EQ(c->reported_status(), COMPLETED);
  EXPECT_EQ(c->reported_percent_complete(), 100);
  EXPECT_EQ(c->reported_comment(), "");
}

TEST_F(Monitoring2017Test, DeliverablesInFull) {
  auto first = MilestonesOf(*plan_, "1.1", "1.1.1");
  ASSERT_EQ(first.size(), 2u);
  const auto& m = first[0];
  EXPECT_EQ(m.ordinal(), 1);
  EXPECT_TRUE(StartsWith(m.title(),
                         "Through the Regulation 19 Submission Version of the Local Plan, confirm "
                         "growth areas"));
  EXPECT_EQ(m.lead_officer(), "Owen Whalley");
  EXPECT_EQ(m.directorate(), "PLACE");
  EXPECT_EQ(m.baseline_deadline(), "2017-07-31");
  EXPECT_EQ(m.current_deadline(), "2017-07-31");
  EXPECT_EQ(m.status(), COMPLETED);
  EXPECT_EQ(m.percent_complete(), 100);
  EXPECT_TRUE(StartsWith(m.latest_comment(),
                         "All tasks were completed against statutory and corporate requirements"));
  EXPECT_EQ(first[1].ordinal(), 2);
  EXPECT_EQ(first[1].lead_officer(), "Andy Scott, Mark Baigent, Ann Sutcliffe, Owen Whalley");

  // Comments written in HTML keep their text only.
  auto html = MilestonesOf(*plan_, "1.1", "1.1.3");
  ASSERT_EQ(html.size(), 3u);
  EXPECT_TRUE(StartsWith(html[0].latest_comment(), "New hoardings have been designed"));
  for (const auto& im : plan_->milestones) {
    EXPECT_EQ(im.milestone.latest_comment().find("<p>"), std::string::npos);
    EXPECT_EQ(im.milestone.latest_comment().find("<ul"), std::string::npos);
  }

  // "Overdue" is stored as DELAYED; officers of two directorates.
  auto esol = MilestonesOf(*plan_, "1.2", "1.2.2");
  ASSERT_EQ(esol.size(), 3u);
  EXPECT_TRUE(StartsWith(esol[1].title(), "Deliver a targeted ESOL programme for 50 women"));
  EXPECT_EQ(esol[1].lead_officer(), "Shazia Hussain");
  EXPECT_EQ(esol[1].directorate(), "RES");
  EXPECT_EQ(esol[1].status(), DELAYED);
  EXPECT_EQ(esol[1].percent_complete(), 0);
  EXPECT_EQ(esol[1].current_deadline(), "2018-03-31");
  auto jobs = MilestonesOf(*plan_, "1.2", "1.2.1");
  ASSERT_EQ(jobs.size(), 6u);
  EXPECT_EQ(jobs[1].lead_officer(), "Christine McInnes / Andy Scott");
  EXPECT_EQ(jobs[1].directorate(), "CS/PLACE");
}

TEST_F(Monitoring2017Test, OddCellsAreReadAndNoted) {
  // "1st 31/7/17 2nd 31/12/17": the last date.
  auto surveys = MilestonesOf(*plan_, "2.1", "2.1.1");
  ASSERT_EQ(surveys.size(), 5u);
  EXPECT_EQ(surveys[0].current_deadline(), "2017-12-31");
  // "31/09/17" is no date: the month's last day.
  auto leasehold = MilestonesOf(*plan_, "2.2", "2.2.2");
  ASSERT_EQ(leasehold.size(), 5u);
  EXPECT_EQ(leasehold[2].title(), "Deliver leasehold engagement model");
  EXPECT_EQ(leasehold[2].current_deadline(), "2017-09-30");
  // A row holding only a comment continues the comment above (line 404).
  auto culture = MilestonesOf(*plan_, "3", "3.2");
  ASSERT_EQ(culture.size(), 8u);
  EXPECT_TRUE(StartsWith(culture[4].latest_comment(), "Following the Ofsted inspection"));
  EXPECT_NE(culture[4].latest_comment().find("Ofsted 1st monitoring visit feedback"),
            std::string::npos);
  // What was inferred, by line: 65 "1.3.", 219 two dates, 283 31/09/17,
  // 383 "Priority three", 385 synthesised outcome 3, 414 31/04/17, 431 no %.
  EXPECT_THAT(NoteLineNumbers(*plan_), ElementsAre(65, 219, 283, 383, 385, 414, 431));
}

TEST_F(Monitoring2017Test, EveryLineIsPlaced) {
  // Blank lines, the repeated "Activity / Lead Member / ..." and "Our key
  // deliverables" header rows and the one markdown rule row (line 121) are
  // layout; every other line is a heading, a row or a comment continuation.
  EXPECT_THAT(UnplacedLineNumbers(*plan_), ElementsAre());
}

// The seed with line `index` (0-based) replaced by `replacement`.
std::string SeedWithLine(size_t index, const std::string& replacement) {
  std::vector<std::string> lines = SeedLines(kMonitoring2017);
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    text += i == index ? replacement : lines[i];
    text += '\n';
  }
  return text;
}

TEST(Monitoring2017DamageTest, MissingHeadingsAreSynthesisedFromCodes) {
  // Without the "1.3." and "Priority three:" lines (65 and 383).
  std::vector<std::string> lines = SeedLines(kMonitoring2017);
  lines[64] = "";
  lines[382] = "";
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  auto read = ReadMonitoring2017(text);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(CountActivities(read->tree), 50);
  const auto* outcome = FindOutcome(read->tree, "1.3");
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->title(), "");
  EXPECT_EQ(outcome->activities_size(), 6);
  const auto* third = FindPriority(read->tree, "3");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->title(), "");
  EXPECT_EQ(third->outcomes(0).activities_size(), 6);
  EXPECT_THAT(read->notes,
              ::testing::Contains(
                  "line 67: no heading for outcome 1.3 (activity 1.3.1); outcome synthesised "
                  "with an empty title"));
  EXPECT_TRUE(read->unplaced.empty());
}

TEST(Monitoring2017DamageTest, RowSplitOverTwoLinesIsJoined) {
  const std::string row = SeedLines(kMonitoring2017)[9];
  size_t cut = row.find(" with local partners");
  ASSERT_NE(cut, std::string::npos);
  // Split inside the title cell, with a page break between the halves.
  auto read =
      ReadMonitoring2017(SeedWithLine(9, row.substr(0, cut) + "\n\n" + row.substr(cut + 1)));
  ASSERT_TRUE(read.ok()) << read.status();
  auto ms = MilestonesOf(*read, "1.1", "1.1.1");
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[1].title(),
            "Develop a Growth Strategy in collaboration with local partners, businesses and "
            "residents");
  EXPECT_EQ(ms[1].directorate(), "PLACE");
  EXPECT_EQ(ms[1].current_deadline(), "2017-12-31");
  EXPECT_TRUE(read->unplaced.empty());
  EXPECT_THAT(read->notes, ::testing::Contains("line 10: row split over lines 10 and 12; joined"));
}

TEST(Monitoring2017DamageTest, StrayLineIsReportedAndTheRowBelowKept) {
  const std::string row = SeedLines(kMonitoring2017)[9];
  auto read = ReadMonitoring2017(SeedWithLine(9, "Page 2 of 14\n" + row));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(UnplacedLineNumbers(*read), ElementsAre(10));
  auto ms = MilestonesOf(*read, "1.1", "1.1.1");
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_TRUE(StartsWith(ms[1].title(), "Develop a Growth Strategy"));
}

}  // namespace
}  // namespace gt::importers::testing
