// Issue 14: "overdue now" is one answer whichever view asks — the gauge,
// ListMilestones, CountOverdue and GetMilestonesAsOf (report-service's own
// test adds the reports).
#include "gt/dates.h"
#include "milestone_test_base.h"

namespace gt::milestone {

// "Overdue now" is one answer whichever view asks: the gauge, ListMilestones
// (its flag and its overdue_at filter for today), CountOverdue without a date
// and with today's, and GetMilestonesAsOf for today. Today has not closed, so
// all judge at the close of yesterday, on the state now: a milestone due
// today is not overdue yet; one due yesterday is; one completed today is not
// (CountOverdue used to fold history only up to yesterday's close).
TEST_F(MilestoneServiceTest, OverdueTodayIsOneAnswerFromEveryView) {
  auto activities = world_->MakePlan("overdue-now", "p");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  struct Spec {
    std::string deadline;
    bool complete_now;
    bool overdue;
  };
  const std::vector<Spec> specs = {
      {"2020-01-31", false, true},       {FormatDate(today - 1), false, true},
      {FormatDate(today), false, false}, {FormatDate(today + 1), false, false},
      {"2020-01-31", true, false},
  };
  int expected = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    v1::Milestone m = world_->Create("overdue-now", "p", activities[0], absl::StrCat("M", i), "OD",
                                     specs[i].deadline, static_cast<int>(i) + 1);
    if (specs[i].complete_now) {
      ASSERT_TRUE(Progress("overdue-now", m.name(), v1::COMPLETED, std::nullopt, "done").ok());
    }
    expected += specs[i].overdue ? 1 : 0;
  }
  const std::string plan = "organisations/overdue-now/plans/p";

  EXPECT_EQ(Metric("goldenthread_milestones_overdue{directorate=\"OD\",organisation=\"overdue-"
                   "now\",plan=\"p\"}"),
            expected);

  v1::ListMilestonesRequest list;
  list.set_parent(plan);
  v1::ListMilestonesResponse all;
  ASSERT_TRUE(stub().ListMilestones(MilestoneWorld::As("overdue-now").get(), list, &all).ok());
  int flagged = 0;
  for (const v1::Milestone& m : all.milestones()) {
    flagged += m.overdue() ? 1 : 0;
  }
  EXPECT_EQ(flagged, expected);
  list.set_overdue_at(FormatDate(today));
  v1::ListMilestonesResponse filtered;
  ASSERT_TRUE(stub().ListMilestones(MilestoneWorld::As("overdue-now").get(), list, &filtered).ok());
  EXPECT_EQ(filtered.milestones_size(), expected);

  for (const std::string& as_of : {std::string(), FormatDate(today)}) {
    v1::CountOverdueRequest count;
    count.set_parent(plan);
    count.set_as_of(as_of);
    v1::CountOverdueResponse counted;
    ASSERT_TRUE(stub().CountOverdue(MilestoneWorld::As("overdue-now").get(), count, &counted).ok());
    EXPECT_EQ(counted.total_overdue(), expected) << "as_of '" << as_of << "'";
  }

  v1::GetMilestonesAsOfRequest as_of;
  as_of.set_parent(plan);
  as_of.set_as_of(FormatDate(today));
  v1::GetMilestonesAsOfResponse state;
  ASSERT_TRUE(
      stub().GetMilestonesAsOf(MilestoneWorld::As("overdue-now").get(), as_of, &state).ok());
  int as_of_flagged = 0;
  for (const v1::Milestone& m : state.milestones()) {
    as_of_flagged += m.overdue() ? 1 : 0;
  }
  EXPECT_EQ(state.milestones_size(), static_cast<int>(specs.size()));
  EXPECT_EQ(as_of_flagged, expected);

  // A day that has closed is judged at its close: as of yesterday, the
  // milestone due yesterday is overdue, and so is the one completed only
  // today (milestones are in the plan from its start).
  v1::CountOverdueRequest yesterday;
  yesterday.set_parent(plan);
  yesterday.set_as_of(FormatDate(today - 1));
  v1::CountOverdueResponse then;
  ASSERT_TRUE(stub().CountOverdue(MilestoneWorld::As("overdue-now").get(), yesterday, &then).ok());
  EXPECT_EQ(then.total_overdue(), expected + 1);
}

}  // namespace gt::milestone
