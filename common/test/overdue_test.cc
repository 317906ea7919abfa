// The overdue rule and the SQL that must agree with it (gt/overdue.h).
#include "gt/overdue.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gt {
namespace {

namespace v1 = goldenthread::v1;

TEST(OverdueTest, TheSqlListIsExactlyTheStatusesTheRuleNeverCallsOverdue) {
  std::string sql = FinishedStatusesSql();
  absl::string_view inner = sql;
  ASSERT_TRUE(absl::ConsumePrefix(&inner, "(") && absl::ConsumeSuffix(&inner, ")")) << sql;
  std::set<int> in_sql;
  for (absl::string_view part : absl::StrSplit(inner, ", ")) {
    int n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(part, &n)) << sql;
    in_sql.insert(n);
  }
  const absl::CivilDay day(2018, 3, 31);
  const auto* statuses = v1::MilestoneStatus_descriptor();
  for (int i = 0; i < statuses->value_count(); ++i) {
    auto status = static_cast<v1::MilestoneStatus>(statuses->value(i)->number());
    SCOPED_TRACE(statuses->value(i)->name());
    // A deadline long past: overdue unless the status ends it — and the SQL
    // filter must leave out exactly those statuses.
    bool overdue = IsOverdue("2017-04-01", status, day);
    EXPECT_EQ(overdue, in_sql.count(status) == 0);
    EXPECT_EQ(IsFinishedStatus(status), in_sql.count(status) == 1);
  }
  EXPECT_EQ(sql, "(4, 5, 6)");
}

TEST(OverdueTest, TheCloseOfTheDayDecides) {
  const absl::CivilDay day(2008, 3, 31);
  EXPECT_TRUE(IsOverdue("2008-03-31", v1::ON_TARGET, day));
  EXPECT_FALSE(IsOverdue("2008-04-01", v1::ON_TARGET, day));
  EXPECT_FALSE(IsOverdue("", v1::DELAYED, day));
  EXPECT_FALSE(IsOverdue("not a date", v1::DELAYED, day));
  EXPECT_FALSE(IsOverdue("2008-03-01", v1::COMPLETED, day));
  absl::Time noon = absl::FromCivil(absl::CivilSecond(2008, 3, 31, 12, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(OverdueDay(absl::CivilDay(2008, 3, 31), noon), absl::CivilDay(2008, 3, 30));
  EXPECT_EQ(OverdueDay(absl::CivilDay(2008, 3, 1), noon), absl::CivilDay(2008, 3, 1));
  EXPECT_EQ(OverdueDayNow(noon), absl::CivilDay(2008, 3, 30));
}

}  // namespace
}  // namespace gt
