// Seed 004, Strategic Plan 2019-22. Counts taken by reading and grepping the
// document:
//   "Priority N:" 3 and "Outcome N:" 11 (outcomes 1-4, 5-8, 9-11), also
//     listed in the overview (lines 210-230);
//   numbered actions under "What actions will we take?" per outcome:
//     8 7 7 5 8 8 8 5 4 5 8 = 73 (84 numbered lines minus the 11 outcomes of
//     the overview);
//   "- " measure bullets under "What will we measure?" per outcome:
//     5 4 6 4 5 4 5 3 5 4 4 = 49.
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

using StrategicPlan2019Test = SeedTest<ReadStrategicPlan2019, kStrategicPlan2019>;

TEST_F(StrategicPlan2019Test, Counts) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.plan().title(), "Strategic Plan 2019-22");
  EXPECT_EQ(tree.plan().period_start(), "2019-04-01");
  EXPECT_EQ(tree.plan().period_end(), "2022-03-31");
  EXPECT_EQ(tree.plan().source(), "Tower Hamlets Strategic Plan 2019-22");
  EXPECT_EQ(tree.plan().description(),
            "Working together with the community for a fairer, cleaner and safer borough");
  ASSERT_EQ(tree.priorities_size(), 3);
  std::vector<int> outcomes;
  std::vector<int> actions;
  std::vector<int> measures;
  for (const auto& p : tree.priorities()) {
    outcomes.push_back(p.outcomes_size());
    for (const auto& o : p.outcomes()) {
      actions.push_back(o.activities_size());
      measures.push_back(o.measures_size());
    }
  }
  EXPECT_THAT(outcomes, ElementsAre(4, 4, 3));
  EXPECT_THAT(actions, ElementsAre(8, 7, 7, 5, 8, 8, 8, 5, 4, 5, 8));
  EXPECT_THAT(measures, ElementsAre(5, 4, 6, 4, 5, 4, 5, 3, 5, 4, 4));
  EXPECT_EQ(CountActivities(tree), 73);
  EXPECT_EQ(CountMeasures(tree), 49);
  EXPECT_TRUE(plan_->milestones.empty());
  ExpectCodesUniqueUnderParents(tree);
}

TEST_F(StrategicPlan2019Test, ItemsInFull) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.priorities(0).code(), "1");
  EXPECT_EQ(tree.priorities(0).title(),
            "People are aspirational, independent and have equal access to opportunities");
  // The section heading reads "A dynamic outcomes-based council", the
  // overview "A dynamic, outcomes-based council": the section's is kept.
  EXPECT_EQ(tree.priorities(2).title(),
            "A dynamic outcomes-based council using digital innovation and partnership working to "
            "respond to the changing needs of our borough");
  const auto* outcome = FindOutcome(tree, "1");
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->title(),
            "People access a range of education, training, and employment opportunities");
  EXPECT_EQ(outcome->activities(0).code(), "1");
  EXPECT_EQ(outcome->activities(0).title(),
            "Agree common expectations with key stakeholders e.g. schools, New City College, Job "
            "Centre Plus, the business community.");
  EXPECT_EQ(outcome->measures(0).title(),
            "Young people who are in education, employment or training.");
  // "Outcome 4:" with its title on the very next line.
  EXPECT_EQ(FindOutcome(tree, "4")->title(),
            "Inequality is reduced and people feel that they fairly share the benefits from "
            "growth");
  // "- 1. Implement ...**": bullet, number and stray bold marker.
  const auto* clean = FindActivity(tree, "5", "1");
  ASSERT_NE(clean, nullptr);
  EXPECT_EQ(clean->title(),
            "Implement new arrangements to improve cleansing and the quality of the local "
            "environment.");
  // "What action will we take?" (singular) under outcome 11.
  EXPECT_EQ(FindActivity(tree, "11", "8")->title(),
            "Change our approach to performance management to focus on better outcomes for "
            "residents.");
  EXPECT_THAT(NoteLineNumbers(*plan_), ElementsAre(537));
}

TEST_F(StrategicPlan2019Test, NarrativeIsReportedNotDropped) {
  // Every non-blank line in these ranges is narrative, which the plan tree
  // has no field for; nothing else is unplaced.
  struct Range {
    int first;
    int last;
  };
  const Range kNarrative[] = {
      {27, 198},   // Foreword, Introduction, About Tower Hamlets, Key challenges
      {204, 206},  // the overview's introduction
      {232, 232},  // the overview's closing paragraph
      {240, 250},  // Priority 1 narrative
      {258, 262},  // Outcome 1
      {291, 299},  // Outcome 2
      {326, 332},  // Outcome 3
      {360, 366},  // Outcome 4
      {391, 405},  // Priority 2
      {411, 417},  // Outcome 5
      {446, 450},  // Outcome 6
      {478, 484},  // Outcome 7
      {513, 517},  // Outcome 8
      {539, 558},  // Priority 3, with its "- **Partnership:**" bullets
      {564, 572},  // Outcome 9
      {591, 591},  // Outcome 9, after its measures
      {599, 605},  // Outcome 10
      {630, 634},  // Outcome 11
      {656, 702},  // What we deliver, spending, how to get involved, logos
  };
  std::vector<std::string> lines = SeedLines(kStrategicPlan2019);
  ASSERT_EQ(lines.size(), 702u);
  std::vector<int> expected;
  for (const Range& r : kNarrative) {
    for (int n = r.first; n <= r.last; ++n) {
      if (lines[n - 1].find_first_not_of(" \t") != std::string::npos) {
        expected.push_back(n);
      }
    }
  }
  EXPECT_THAT(UnplacedLineNumbers(*plan_), ElementsAreArray(expected));
  for (const auto& line : plan_->unplaced) {
    EXPECT_EQ(line.reason, "narrative text: the plan tree has no field for it");
  }
}

}  // namespace
}  // namespace gt::importers::testing
