// Seed 000, 2007/08 end-of-year appendix "Completed activities". Counts taken
// by reading and grepping the document:
//   theme headings "1. LIVING SAFELY" .. "5. EXCELLENT PUBLIC SERVICES" (5);
//   objective headings "**01.01.01 ...**" 85, all distinct;
//   key activity bullets "- 01.01.01a ..." 278, all distinct, every one under
//     its own objective's heading except 05.04.03a (line 547), listed under
//     05.04.02 before the 05.04.03 heading (line 549).
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::goldenthread::v1::COMPLETED;
using ::testing::ElementsAre;

using Completed2007Test = SeedTest<ReadCompletedActivities2007, kCompleted2007>;

TEST_F(Completed2007Test, Counts) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.plan().title(), "Strategic Plan 2007/08");
  EXPECT_EQ(tree.plan().source(),
            "Appendix 3a Strategic Plan 2007/08 End of Year Monitoring: Completed Activities "
            "from the Strategic Plan");
  std::vector<std::string> themes;
  for (const auto& p : tree.priorities()) {
    themes.push_back(p.code() + " " + p.title());
  }
  EXPECT_THAT(themes,
              ElementsAre("1 LIVING SAFELY", "2 LIVING WELL", "3 CREATING AND SHARING PROSPERITY",
                          "4 LEARNING, ACHIEVEMENT AND LEISURE", "5 EXCELLENT PUBLIC SERVICES"));
  EXPECT_EQ(CountOutcomes(tree), 85);
  EXPECT_EQ(CountActivities(tree), 278);
  EXPECT_TRUE(plan_->milestones.empty());  // the appendix lists activities only
  EXPECT_EQ(ActivityStatuses(tree)[COMPLETED], 278);
  ExpectCodesUniqueUnderParents(tree);
}

TEST_F(Completed2007Test, ItemsInFull) {
  const auto* o = FindOutcome(plan_->tree, "01.01.01");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->title(), "To reduce crime and the fear of crime");
  ASSERT_EQ(o->activities_size(), 5);
  const auto& a = o->activities(0);
  EXPECT_EQ(a.code(), "01.01.01a");
  EXPECT_EQ(a.title(),
            "Implement a comprehensive action plan, through Crimes Against Property Action Group "
            "(CAPAG) to reduce acquisitive crime");
  EXPECT_EQ(a.reported_status(), COMPLETED);
  EXPECT_EQ(a.reported_percent_complete(), 100);
  // The letters skip 01.01.01d: it is overdue (seed 001), not completed.
  EXPECT_EQ(o->activities(3).code(), "01.01.01e");
  // Headings without "#" ("**01.01.06 ...**") are read like the others.
  const auto* hate = FindOutcome(plan_->tree, "01.01.06");
  ASSERT_NE(hate, nullptr);
  EXPECT_EQ(hate->title(), "To reduce hate crime and promote community cohesion");
  EXPECT_EQ(hate->activities_size(), 5);
}

TEST_F(Completed2007Test, ActivityIsPlacedByItsCode) {
  const auto* listed_under = FindOutcome(plan_->tree, "05.04.02");
  ASSERT_NE(listed_under, nullptr);
  ASSERT_EQ(listed_under->activities_size(), 1);
  EXPECT_EQ(listed_under->activities(0).code(), "05.04.02a");
  const auto* own = FindOutcome(plan_->tree, "05.04.03");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->title(), "To improve the extent to which the workforce reflects the community");
  std::vector<std::string> codes;
  for (const auto& a : own->activities()) {
    codes.push_back(a.code());
  }
  EXPECT_THAT(codes, ElementsAre("05.04.03a", "05.04.03b", "05.04.03c", "05.04.03d", "05.04.03e"));
  EXPECT_THAT(NoteLineNumbers(*plan_), ElementsAre(547));
}

TEST_F(Completed2007Test, EveryLineIsPlaced) {
  // The two title lines are the plan's source; blank lines are layout.
  EXPECT_THAT(UnplacedLineNumbers(*plan_), ElementsAre());
}

}  // namespace
}  // namespace gt::importers::testing
