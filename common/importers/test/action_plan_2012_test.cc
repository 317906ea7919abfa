// Seed 002, Action Plan 2012/13. Counts taken by reading the document:
//   themes: "# A Great Place to Live", "# A Prosperous Community", "# A Safe
//     and Cohesive Community", "# A Healthy and Supportive Community",
//     "# **One Tower Hamlets**" (5);
//   "Strategic Priority N.N:" lines 18; the table at line 26 has none (1.3);
//   strategic actions (title cells, joining wrapped and doubled lines):
//     1.1-1.6: 3 3 3 4 1 2; 2.1-2.4: 8 6 3 2; 3.1-3.3: 6 1 5;
//     4.1-4.4: 4 3 1 2; 5.1-5.2: 3 8 = 68;
//   milestones: 242 "(Month YYYY)" deadlines in the milestone column (grep,
//     "(Higger 2012)" not counted) plus one with none ("Launch and promote
//     new Achieve (online) forms.") = 243;
//   performance measures: 10, 10, 8, 8, 7 = 43.
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::goldenthread::v1::NOT_STARTED;
using ::testing::ElementsAre;

class ActionPlan2012Test : public SeedTest<ReadActionPlan2012, kActionPlan2012> {
 protected:
  static const goldenthread::v1::Milestone* FindMilestone(std::string_view title) {
    for (const auto& m : plan_->milestones) {
      if (m.milestone.title() == title) {
        return &m.milestone;
      }
    }
    return nullptr;
  }
};

TEST_F(ActionPlan2012Test, Counts) {
  const auto& tree = plan_->tree;
  EXPECT_EQ(tree.plan().title(), "Action Plan 2012/13");
  EXPECT_EQ(tree.plan().period_start(), "2012-04-01");
  EXPECT_EQ(tree.plan().period_end(), "2013-03-31");
  EXPECT_EQ(tree.plan().source(), "Appendix 2: Tower Hamlets Action Plan 2012/13");
  std::vector<std::string> themes;
  for (const auto& p : tree.priorities()) {
    themes.push_back(p.code() + " " + p.title());
  }
  EXPECT_THAT(themes, ElementsAre("1 A Great Place to Live", "2 A Prosperous Community",
                                  "3 A Safe and Cohesive Community",
                                  "4 A Healthy and Supportive Community", "5 One Tower Hamlets"));
  EXPECT_EQ(CountOutcomes(tree), 19);
  std::vector<int> per_outcome;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      per_outcome.push_back(o.activities_size());
    }
  }
  EXPECT_THAT(per_outcome, ElementsAre(3, 3, 3, 4, 1, 2, 8, 6, 3, 2, 6, 1, 5, 4, 3, 1, 2, 3, 8));
  EXPECT_EQ(CountActivities(tree), 68);
  EXPECT_EQ(plan_->milestones.size(), 243u);
  int dated = 0;
  for (const auto& m : plan_->milestones) {
    dated += m.milestone.current_deadline().empty() ? 0 : 1;
    EXPECT_EQ(m.milestone.status(), NOT_STARTED);
  }
  EXPECT_EQ(dated, 242);
  std::vector<int> measures;
  for (const auto& p : tree.priorities()) {
    measures.push_back(p.measures_size());
  }
  EXPECT_THAT(measures, ElementsAre(10, 10, 8, 8, 7));
  ExpectCodesUniqueUnderParents(tree);
}

TEST_F(ActionPlan2012Test, ActionsInFull) {
  const auto* a = FindActivity(plan_->tree, "1.1", "1.1.1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->title(), "Increase availability of affordable family sized housing");
  EXPECT_EQ(a->lead_member(), "Cllr Rabina Khan");
  EXPECT_EQ(a->lead_officer(), "Owen Whalley and Alison Thomas");
  EXPECT_EQ(a->directorate(), "D&R");
  auto ms = MilestonesOf(*plan_, "1.1", "1.1.1");
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].ordinal(), 1);
  EXPECT_EQ(ms[0].title(),
            "Commence new viability assessment arrangements to sustain the delivery of affordable "
            "housing.");
  EXPECT_EQ(ms[0].baseline_deadline(), "2012-08-31");
  EXPECT_EQ(ms[0].current_deadline(), "2012-08-31");
  EXPECT_EQ(ms[0].lead_officer(), "Owen Whalley and Alison Thomas");
  EXPECT_EQ(ms[0].directorate(), "D&R");

  // Title, members and officers spread over five lines (107-111).
  const auto* mea = FindActivity(plan_->tree, "2.1", "2.1.6");
  ASSERT_NE(mea, nullptr);
  EXPECT_EQ(mea->title(), "Deliver the Mayor's Education Allowance");
  EXPECT_EQ(mea->lead_member(), "Cllrs Oliur Rahman and Alibor Choudhury");
  EXPECT_EQ(mea->lead_officer(), "Peter Hayday and Anne Canning");
  EXPECT_EQ(mea->directorate(), "Resources/CSF");
  auto payments = MilestonesOf(*plan_, "2.1", "2.1.6");
  ASSERT_EQ(payments.size(), 5u);
  EXPECT_EQ(payments[3].title(), "Make first payments");
  EXPECT_EQ(payments[3].current_deadline(), "2013-01-31");

  // Two members with no separator between them.
  const auto* fuel = FindActivity(plan_->tree, "1.2", "1.2.3");
  ASSERT_NE(fuel, nullptr);
  EXPECT_EQ(fuel->title(), "Focus on fuel poverty");
  EXPECT_EQ(fuel->lead_member(), "Cllr Rabina Khan, Cllr Alibor Choudhury");
  EXPECT_EQ(fuel->lead_officer(), "John Coker and Alison Thomas");
}

TEST_F(ActionPlan2012Test, DoubledTitleLinesAreKeptOnce) {
  // Line 13 "Deliver regeneration at Debin Lload" is a garbled copy of 14.
  EXPECT_EQ(FindActivity(plan_->tree, "1.1", "1.1.2")->title(),
            "Deliver regeneration at Robin Hood Gardens and Ocean Estate");
  EXPECT_EQ(FindActivity(plan_->tree, "3.3", "3.3.1")->title(),
            "Support the delivery of a wide range of community events");
  EXPECT_EQ(FindActivity(plan_->tree, "3.3", "3.3.3")->title(),
            "Deliver a local Prevent programme");
  EXPECT_EQ(FindActivity(plan_->tree, "4.1", "4.1.3")->title(),
            "Support young people to live healthy lives");
  // Wrapped over three lines (90-92).
  EXPECT_EQ(FindActivity(plan_->tree, "2.1", "2.1.1")->title(),
            "Deliver effective services through the Children's Centres Sure Start programme and "
            "raise levels of attainment at the Early Years Foundation Stage in all settings.");
}

TEST_F(ActionPlan2012Test, MilestoneCells) {
  // Three milestones in one cell (line 22).
  auto decent = MilestonesOf(*plan_, "1.2", "1.2.1");
  ASSERT_EQ(decent.size(), 3u);
  EXPECT_EQ(decent[1].title(), "Start on site of OJEU procured Decent Homes works.");
  EXPECT_EQ(decent[1].current_deadline(), "2013-02-28");
  EXPECT_EQ(decent[2].title(), "1457 homes made decent.");
  // "(June 12)" and "(September 12; March 13)".
  const auto* scope = FindMilestone(
      "Scope review to develop cross-borough partnership to tackle geographical worklessness.");
  ASSERT_NE(scope, nullptr);
  EXPECT_EQ(scope->current_deadline(), "2012-06-30");
  const auto* monitor =
      FindMilestone("Monitor employment rate by ethnicity, gender and disability every six months");
  ASSERT_NE(monitor, nullptr);
  EXPECT_EQ(monitor->current_deadline(), "2013-03-31");
  // The deadline wrapped onto the next line (152-153).
  const auto* engage = FindMilestone(
      "Engage local businesses to develop and build register of support information.");
  ASSERT_NE(engage, nullptr);
  EXPECT_EQ(engage->current_deadline(), "2012-09-30");
  // Text that lost its tabs at a page break (lines 319-320) stays in the table.
  auto sickness = MilestonesOf(*plan_, "5.2", "5.2.8");
  ASSERT_FALSE(sickness.empty());
  EXPECT_TRUE(StartsWith(sickness.back().title(), "Corporate Absence Management Panel (CAMP)"));
  EXPECT_EQ(sickness.back().current_deadline(), "2012-07-31");
}

TEST_F(ActionPlan2012Test, MissingPriorityAndMeasures) {
  const auto* synthesised = FindOutcome(plan_->tree, "1.3");
  ASSERT_NE(synthesised, nullptr);
  EXPECT_EQ(synthesised->title(), "Strategic Priority 1.3 (untitled in the document)");
  EXPECT_EQ(synthesised->activities(0).title(), "Work in partnership to improve our public realm");
  EXPECT_EQ(FindOutcome(plan_->tree, "4.4")->title(),
            "Keep vulnerable children, adults and families safer, minimising harm and neglect");
  const auto& prosperous = plan_->tree.priorities(1);
  EXPECT_EQ(prosperous.measures(2).title(),
            "Achievement of 5 or more A*- C grades at GCSE or equivalent including English and "
            "Maths");
  EXPECT_EQ(plan_->tree.priorities(0).measures(0).title(), "Number of affordable homes provided");
}

TEST_F(ActionPlan2012Test, NotesAndUnplacedLines) {
  // 14 garbled title copy; 26 no Strategic Priority line; 175 "(Higger
  // 2012)"; 193, 198, 230 doubled title lines; 246 action with no lead;
  // 301 milestone with no deadline.
  EXPECT_THAT(NoteLineNumbers(*plan_), ElementsAre(14, 26, 175, 193, 198, 230, 246, 301));
  // Title lines are the plan's source, headings and tables are read, and
  // bullets follow a Performance Measures heading: nothing is left over.
  EXPECT_THAT(UnplacedLineNumbers(*plan_), ElementsAre());
}

}  // namespace
}  // namespace gt::importers::testing
