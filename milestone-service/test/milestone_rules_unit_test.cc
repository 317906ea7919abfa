// Unit tests of milestone-service's rules (milestone_rules.h, the model's
// fold): no database, no gRPC — this binary links milestone_domain alone.
// The same rules serve the single methods and the batches, so what holds
// here holds for both; milestone_service_test runs them over MariaDB.
#include <gtest/gtest.h>

#include "gt/timestamps.h"
#include "milestone_model.h"
#include "milestone_rules.h"

namespace gt::milestone {
namespace {

namespace v1 = goldenthread::v1;

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), absl::UTCTimeZone());
}

MilestoneRow Current() {
  MilestoneRow row;
  row.id = 7;
  row.title = "Adopt the local plan";
  row.status = v1::ON_TARGET;
  row.percent_complete = 50;
  row.latest_comment = "on track";
  row.baseline_deadline = "2018-03-31";
  row.current_deadline = "2018-03-31";
  row.version = 4;
  row.progress_effective_at = Day(2017, 9, 30);
  row.deadline_effective_at = Day(2017, 4, 1);
  return row;
}

TEST(MilestoneRulesTest, EveryReportedStateObeysTheSameRules) {
  EXPECT_TRUE(CheckProgress("", v1::COMPLETED, 100, "", true).ok());
  EXPECT_EQ(CheckProgress("", v1::COMPLETED, 90, "", true).message(),
            "percent_complete: COMPLETED means 100%, got 90");
  EXPECT_EQ(CheckProgress("requests[2].progress", v1::ON_TARGET, 101, "", true).message(),
            "requests[2].progress.percent_complete: must be 0..100, got 101");
  absl::Status delayed = CheckProgress("milestone", v1::DELAYED, 40, "  ", true);
  EXPECT_EQ(delayed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(delayed.message().substr(0, 38), "milestone.latest_comment: required whe");
  EXPECT_TRUE(CheckProgress("", v1::DELAYED, 40, "contractor late", true).ok());
}

TEST(MilestoneRulesTest, AProgressDecisionChecksTheEtagAgainstTheLockedState) {
  const MilestoneKey key{{"th", "2017-18"}, 7};
  v1::UpdateMilestoneProgressRequest request;
  request.set_name("organisations/th/plans/2017-18/milestones/7");
  request.set_status(v1::DELAYED);
  request.set_percent_complete(60);
  request.set_comment("waiting for the inspector");
  request.set_etag(ToProto(key.plan, Current(), absl::CivilDay(2017, 10, 1)).etag());
  auto decision = ProgressDecision("", request, key, Day(2017, 10, 2));
  ASSERT_TRUE(decision.ok()) << decision.status();
  auto row = (*decision)(Current());
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->kind, v1::PROGRESS);
  EXPECT_EQ(row->status, v1::DELAYED);
  EXPECT_EQ(row->percent_complete, 60);

  MilestoneRow changed = Current();
  changed.version = 5;  // someone else wrote since the caller read it
  EXPECT_EQ((*decision)(changed).status().code(), absl::StatusCode::kAborted);
}

TEST(MilestoneRulesTest, ARevisionNeedsAReasonAndNeverMovesTheBaseline) {
  const MilestoneKey key{{"th", "2017-18"}, 7};
  v1::ReviseDeadlineRequest request;
  request.set_name("organisations/th/plans/2017-18/milestones/7");
  request.set_new_deadline("2018-06-30");
  auto refused = RevisionDecision("", request, key, Day(2017, 10, 2));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().substr(0, 7), "reason:");

  UpdateRow revision = RevisionRow(Current(), "2018-06-30", "board agreed");
  revision.effective_at = Day(2017, 10, 2);
  MilestoneRow state = Current();
  Apply(revision, state);
  EXPECT_EQ(state.current_deadline, "2018-06-30");
  EXPECT_EQ(state.baseline_deadline, "2018-03-31");
  EXPECT_EQ(state.revision_count, 1);
}

// The fold: a row effective before the state's latest changes history, not
// the present.
TEST(MilestoneRulesTest, ABackdatedUpdateDoesNotReplaceALaterOne) {
  MilestoneRow state = Current();
  UpdateRow late;
  late.kind = v1::PROGRESS;
  late.status = v1::COMPLETED;
  late.percent_complete = 100;
  late.effective_at = Day(2017, 12, 1);
  Apply(late, state);
  EXPECT_EQ(state.status, v1::COMPLETED);
  EXPECT_EQ(state.completed_date, "2017-12-01");
  UpdateRow backdated;
  backdated.kind = v1::PROGRESS;
  backdated.status = v1::DELAYED;
  backdated.percent_complete = 70;
  backdated.comment = "as it stood in November";
  backdated.effective_at = Day(2017, 11, 1);
  Apply(backdated, state);
  EXPECT_EQ(state.status, v1::COMPLETED);
  EXPECT_EQ(state.percent_complete, 100);
  EXPECT_FALSE(IsOverdue(state.current_deadline, state.status, absl::CivilDay(2018, 4, 1)));
}

}  // namespace
}  // namespace gt::milestone
