// Seed 001, 2007/08 end-of-year appendix "Overdue activities". Counts taken
// by reading and grepping the document:
//   themes "1. LIVING SAFELY" .. "5. EXCELLENT PUBLIC SERVICES" (5);
//   objective lines "01.01.01 ..." 51, of which 05.01.16 twice (lines 355 and
//     364): 50 objectives;
//   key activity lines "01.01.01d ..." 86, all distinct;
//   milestone rows "N. <mixed case text>" 117, three with no Deadline (lines
//     424-426);
//   Deadline later than the month the milestone text names: lines 44, 159,
//     173, 268, 359 (5 revisions).
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::goldenthread::v1::DELAYED;
using ::testing::ElementsAre;

using Overdue2007Test = SeedTest<ReadOverdueActivities2007, kOverdue2007>;

TEST_F(Overdue2007Test, Counts) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.plan().title(), "Strategic Plan 2007/08");
  EXPECT_EQ(tree.plan().period_start(), "2007-04-01");
  EXPECT_EQ(tree.plan().period_end(), "2008-03-31");
  EXPECT_EQ(tree.plan().source(),
            "Appendix 3b Strategic Plan 2007/08 End of Year Monitoring: Overdue Activities from "
            "the Strategic Plan");
  ASSERT_EQ(tree.priorities_size(), 5);
  EXPECT_EQ(tree.priorities(0).code(), "1");
  EXPECT_EQ(tree.priorities(0).title(), "LIVING SAFELY");
  EXPECT_EQ(tree.priorities(3).title(), "LEARNING, ACHIEVEMENT AND LEISURE");
  EXPECT_EQ(CountOutcomes(tree), 50);
  EXPECT_EQ(CountActivities(tree), 86);
  EXPECT_EQ(plan_->milestones.size(), 117u);
  EXPECT_EQ(MilestoneStatuses(*plan_)[DELAYED], 117);
  int revised = 0;
  int undated = 0;
  for (const auto& m : plan_->milestones) {
    revised += m.milestone.baseline_deadline() != m.milestone.current_deadline() ? 1 : 0;
    undated += m.milestone.current_deadline().empty() ? 1 : 0;
  }
  EXPECT_EQ(revised, 5);
  EXPECT_EQ(undated, 0);  // the three without a Deadline take their text's month
  ExpectCodesUniqueUnderParents(tree);
}

TEST_F(Overdue2007Test, MilestoneInFull) {
  const auto* a = FindActivity(plan_->tree, "01.01.01", "01.01.01d");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->title(), "Provide support to offenders to reduce reoffending");
  EXPECT_EQ(a->reported_status(), DELAYED);
  auto ms = MilestonesOf(*plan_, "01.01.01", "01.01.01d");
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].ordinal(), 3);
  EXPECT_EQ(ms[0].title(),
            "Effective multi-agency support provided to 100 offenders by end March 2008");
  EXPECT_EQ(ms[0].baseline_deadline(), "2008-03-31");
  EXPECT_EQ(ms[0].current_deadline(), "2008-03-31");
  EXPECT_EQ(ms[0].status(), DELAYED);
  EXPECT_TRUE(StartsWith(ms[0].latest_comment(),
                         "Due to delays with the commissioning of the Looking Out service"));
}

TEST_F(Overdue2007Test, RevisedDeadlineKeepsTheTextDateAsBaseline) {
  // "2. Benchmark enforcement practices ... by October 2007" / 31/10/2008.
  auto ms = MilestonesOf(*plan_, "01.01.10", "01.01.10a");
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].ordinal(), 2);
  EXPECT_EQ(ms[0].baseline_deadline(), "2007-10-31");
  EXPECT_EQ(ms[0].current_deadline(), "2008-10-31");
  // "1. Review completed by October 2007 and action plan agreed by January
  // 2008" / 31/12/2008: the last month named is the baseline.
  auto scrutiny = MilestonesOf(*plan_, "05.01.06", "05.01.06c");
  ASSERT_EQ(scrutiny.size(), 1u);
  EXPECT_EQ(scrutiny[0].baseline_deadline(), "2008-01-31");
  EXPECT_EQ(scrutiny[0].current_deadline(), "2008-12-31");
  // Same month in text and column: no revision.
  EXPECT_EQ(ms[1].baseline_deadline(), "2007-12-31");
  EXPECT_EQ(ms[1].current_deadline(), "2007-12-31");
}

TEST_F(Overdue2007Test, MissingAndImpossibleDeadlines) {
  // Lines 424-426 have no Deadline: "by end of April 2007", "by June 2007",
  // "by September 2007".
  auto research = MilestonesOf(*plan_, "05.03.01", "05.03.01d");
  ASSERT_EQ(research.size(), 3u);
  EXPECT_EQ(research[0].current_deadline(), "2007-04-30");
  EXPECT_EQ(research[1].current_deadline(), "2007-06-30");
  EXPECT_EQ(research[2].current_deadline(), "2007-09-30");
  // "31/04/2007" (line 322) is read as 30 April, as every reader reads it.
  // The text's "from May 2007" is later, but the Deadline column states the
  // date: it is baseline and current (and the text is warned about).
  auto health = MilestonesOf(*plan_, "05.01.11", "05.01.11c");
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].baseline_deadline(), "2007-04-30");
  EXPECT_EQ(health[0].current_deadline(), "2007-04-30");
}

TEST_F(Overdue2007Test, WrappedRowsAreJoined) {
  // Line 57 "5. Construction of Bethnal" continues on line 59.
  auto zones = MilestonesOf(*plan_, "01.01.10", "01.01.10g");
  ASSERT_EQ(zones.size(), 4u);
  EXPECT_EQ(zones[3].title(), "Construction of Bethnal Green (27N) zone complete by March 2008");
  // Line 126's title continues on line 128.
  const auto* a = FindActivity(plan_->tree, "02.03.03", "02.03.03a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->title(),
            "Integrate services for older people and people with long term conditions to improve "
            "value for money and customer experience");
  // Line 155 continues both the title and the comment of line 153.
  auto fgc = MilestonesOf(*plan_, "02.04.01", "02.04.01e");
  ASSERT_EQ(fgc.size(), 1u);
  EXPECT_TRUE(fgc[0].title().find("in 10 family conferences- to April 2007") != std::string::npos);
  EXPECT_TRUE(fgc[0].latest_comment().find("to arrange than normal FGCs.") != std::string::npos);
  // 05.01.16 appears twice (lines 355, 364) and is one objective with the
  // four activities of both.
  const auto* o = FindOutcome(plan_->tree, "05.01.16");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->activities_size(), 4);
}

TEST_F(Overdue2007Test, NotesAndUnplacedLines) {
  // 364 repeated objective; 44, 159, 173, 268, 359 revisions; 322 twice
  // (31/04/2007, and the text's "May 2007" after it); 424-426 no Deadline.
  EXPECT_THAT(NoteLineNumbers(*plan_),
              ElementsAre(44, 159, 173, 268, 322, 322, 359, 364, 424, 425, 426));
  // Nothing unplaced: "Key Activity" and "Progress Milestone / Deadline /
  // Comments" lines are layout, and so is the markdown rule on line 468.
  EXPECT_THAT(UnplacedLineNumbers(*plan_), ElementsAre());
}

}  // namespace
}  // namespace gt::importers::testing
