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
using ::testing::HasSubstr;

TEST(DetectLayoutTest, RecognisesEverySeed) {
  EXPECT_EQ(DetectLayout(ReadSeed(kCompleted2007)), Layout::kCompletedActivities2007);
  EXPECT_EQ(DetectLayout(ReadSeed(kOverdue2007)), Layout::kOverdueActivities2007);
  EXPECT_EQ(DetectLayout(ReadSeed(kActionPlan2012)), Layout::kActionPlan2012);
  EXPECT_EQ(DetectLayout(ReadSeed(kMonitoring2017)), Layout::kMonitoring2017);
  EXPECT_EQ(DetectLayout(ReadSeed(kStrategicPlan2019)), Layout::kStrategicPlan2019);
}

TEST(DetectLayoutTest, UnknownTextIsRefusedWithAReason) {
  EXPECT_EQ(DetectLayout(""), Layout::kUnknown);
  EXPECT_EQ(DetectLayout("Minutes of the meeting\nApologies were received.\n"), Layout::kUnknown);
  auto read = ReadDocument("Minutes of the meeting\n");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr("layout not recognised"));
}

TEST(DetectLayoutTest, ReadDocumentUsesTheDetectedReader) {
  auto read = ReadDocument(ReadSeed(kMonitoring2017));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->tree.plan().title(), "Strategic Plan 2017/18");
}

TEST(ReadersTest, RefuseAnotherLayout) {
  // Each reader fails on text that has none of its structure, rather than
  // returning an empty plan.
  std::string narrative = "Foreword\n\nSome words about the year.\n";
  EXPECT_FALSE(ReadCompletedActivities2007(narrative).ok());
  EXPECT_FALSE(ReadOverdueActivities2007(narrative).ok());
  EXPECT_FALSE(ReadActionPlan2012(narrative).ok());
  EXPECT_FALSE(ReadMonitoring2017(narrative).ok());
  EXPECT_FALSE(ReadStrategicPlan2019(narrative).ok());
}

TEST(ReadersTest, RefuseOversizedInput) {
  std::string huge(kMaxDocumentBytes + 1, 'x');
  auto read = ReadMonitoring2017(huge);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReadersTest, ResultsSerialiseAfterInvalidUtf8) {
  std::string text = ReadSeed(kMonitoring2017);
  text.insert(200, "\xff\xfe\xc3");
  auto read = ReadMonitoring2017(text);
  ASSERT_TRUE(read.ok()) << read.status();
  std::string bytes;
  ASSERT_TRUE(read->tree.SerializeToString(&bytes));
  goldenthread::v1::PlanTree back;
  EXPECT_TRUE(back.ParseFromString(bytes));
  EXPECT_THAT(read->notes.front(), HasSubstr("invalid UTF-8"));
}

// Seeds 000 and 001 are two appendices of one plan. Their objective codes
// (grep) are 85 and 50 distinct, 90 together; their key activities 278 and
// 86, sharing one code (03.01.01h), 363 together.
class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto completed = ReadCompletedActivities2007(ReadSeed(kCompleted2007));
    auto overdue = ReadOverdueActivities2007(ReadSeed(kOverdue2007));
    ASSERT_TRUE(completed.ok() && overdue.ok());
    merged_ = *std::move(completed);
    overdue_ = *std::move(overdue);
    ASSERT_TRUE(MergeInto(merged_, overdue_).ok());
  }
  ImportedPlan merged_;
  ImportedPlan overdue_;
};

TEST_F(MergeTest, SameCodesMerge) {
  const auto& tree = merged_.tree;
  EXPECT_EQ(tree.priorities_size(), 5);
  EXPECT_EQ(CountOutcomes(tree), 90);
  EXPECT_EQ(CountActivities(tree), 363);
  EXPECT_EQ(merged_.milestones.size(), 117u);
  ExpectCodesUniqueUnderParents(tree);
  // Objective 01.02.02 exists only in 001: it lands in code order.
  const auto& living_safely = tree.priorities(0);
  std::vector<std::string> codes;
  for (const auto& o : living_safely.outcomes()) {
    codes.push_back(o.code());
  }
  EXPECT_THAT(codes,
              ::testing::ElementsAre("01.01.01", "01.01.02", "01.01.03", "01.01.04", "01.01.05",
                                     "01.01.06", "01.01.07", "01.01.08", "01.01.09", "01.01.10",
                                     "01.02.01", "01.02.02", "01.02.03", "01.02.04", "01.02.05"));
  // 01.01.01: a, b, c, e, f completed; d overdue, inserted in order.
  std::vector<std::string> activities;
  for (const auto& a : FindOutcome(tree, "01.01.01")->activities()) {
    activities.push_back(a.code() + ":" +
                         goldenthread::v1::MilestoneStatus_Name(a.reported_status()));
  }
  EXPECT_THAT(activities, ::testing::ElementsAre("01.01.01a:COMPLETED", "01.01.01b:COMPLETED",
                                                 "01.01.01c:COMPLETED", "01.01.01d:DELAYED",
                                                 "01.01.01e:COMPLETED", "01.01.01f:COMPLETED"));
}

TEST_F(MergeTest, MilestonesFollowTheirActivities) {
  // Every milestone's path still names the activity it had in 001.
  for (size_t i = 0; i < overdue_.milestones.size(); ++i) {
    const auto& before = overdue_.milestones[i];
    const auto& op =
        overdue_.tree.priorities(before.activity_path[0]).outcomes(before.activity_path[1]);
    auto after = MilestonesOf(merged_, op.code(), op.activities(before.activity_path[2]).code());
    bool found = false;
    for (const auto& m : after) {
      found = found ||
              (m.ordinal() == before.milestone.ordinal() && m.title() == before.milestone.title());
    }
    EXPECT_TRUE(found) << before.milestone.title();
  }
  auto ms = MilestonesOf(merged_, "01.01.10", "01.01.10a");
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].baseline_deadline(), "2007-10-31");
  EXPECT_EQ(ms[0].current_deadline(), "2008-10-31");
}

TEST_F(MergeTest, ConflictIsKeptFromTheFirstAndNoted) {
  // 03.01.01h is completed in 000 and has an overdue milestone in 001.
  const auto* a = FindActivity(merged_.tree, "03.01.01", "03.01.01h");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->reported_status(), COMPLETED);
  auto ms = MilestonesOf(merged_, "03.01.01", "03.01.01h");
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status(), DELAYED);
  bool noted = false;
  for (const auto& note : merged_.notes) {
    noted = noted || note.find("03.01.01h: reported status COMPLETED") != std::string::npos;
  }
  EXPECT_TRUE(noted);
  // Notes from 001 say which document their line numbers refer to.
  bool labelled = false;
  for (const auto& note : merged_.notes) {
    labelled = labelled || StartsWith(note, "[Appendix 3b");
  }
  EXPECT_TRUE(labelled);
  EXPECT_THAT(merged_.tree.plan().source(), HasSubstr("Appendix 3a"));
  EXPECT_THAT(merged_.tree.plan().source(), HasSubstr("Appendix 3b"));
}

TEST(MergeIntoTest, RefusesDifferentPeriods) {
  auto a = ReadCompletedActivities2007(ReadSeed(kCompleted2007));
  auto b = ReadMonitoring2017(ReadSeed(kMonitoring2017));
  ASSERT_TRUE(a.ok() && b.ok());
  absl::Status merged = MergeInto(*a, *b);
  EXPECT_EQ(merged.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gt::importers::testing
