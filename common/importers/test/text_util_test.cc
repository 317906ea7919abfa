#include "common/importers/text_util.h"

#include <string>
#include <vector>

#include "common/importers/action_plan_2012_table.h"
#include "common/importers/date_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using ::testing::ElementsAre;

TEST(TextUtilTest, SanitizeUtf8ReplacesOnlyInvalidSequences) {
  int replaced = 0;
  EXPECT_EQ(SanitizeUtf8("£26m – ok", &replaced), "£26m – ok");
  EXPECT_EQ(replaced, 0);
  EXPECT_EQ(SanitizeUtf8("a\xff"
                         "b\xe2\x80",
                         &replaced),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(replaced, 3);
  // Overlong and surrogate encodings are invalid too.
  EXPECT_EQ(SanitizeUtf8("\xc0\xaf\xed\xa0\x80", &replaced).find('\xaf'), std::string::npos);
  EXPECT_EQ(replaced, 5);
}

TEST(TextUtilTest, SplitLinesNumbersLikeAnEditor) {
  EXPECT_THAT(SplitLines("a\r\nb\n\nc"), ElementsAre("a", "b", "", "c"));
  EXPECT_THAT(SplitLines("a\n"), ElementsAre("a"));
  EXPECT_THAT(SplitLines(""), ElementsAre(""));
}

TEST(TextUtilTest, StripTagsKeepsTextAndLookalikes) {
  EXPECT_EQ(StripTags("<p>New hoardings.</p> <ul style=\"list-style-type: none\"> • one"),
            "New hoardings. • one");
  EXPECT_EQ(StripTags("<u>Quantifying</u> size"), "Quantifying size");
  EXPECT_EQ(StripTags("if a < b and c > d"), "if a < b and c > d");
  EXPECT_EQ(StripTags("unclosed <p never"), "unclosed <p never");
}

TEST(TextUtilTest, DayMonthYear) {
  bool clamped = false;
  auto day = ParseDayMonthYear("31/03/18", &clamped);
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(IsoDate(*day), "2018-03-31");
  EXPECT_FALSE(clamped);
  EXPECT_EQ(IsoDate(*ParseDayMonthYear("30/11/2017", &clamped)), "2017-11-30");
  EXPECT_EQ(IsoDate(*ParseDayMonthYear("31/09/17", &clamped)), "2017-09-30");
  EXPECT_TRUE(clamped);
  EXPECT_EQ(IsoDate(*ParseDayMonthYear("29/02/2008", &clamped)), "2008-02-29");
  EXPECT_FALSE(clamped);
  EXPECT_FALSE(ParseDayMonthYear("31/13/17", &clamped).has_value());
  EXPECT_FALSE(ParseDayMonthYear("1st 31/7/17", &clamped).has_value());
  std::vector<FoundDate> found = FindDayMonthYears("1st 31/7/17 2nd 31/12/17");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(IsoDate(found[1].day), "2017-12-31");
}

TEST(TextUtilTest, MonthYearsInText) {
  auto found = FindMonthYears("by end of June 2007 and Sept 2008, may be 2009", false);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].year, 2007);
  EXPECT_EQ(found[0].month, 6);
  EXPECT_EQ(found[1].month, 9);
  EXPECT_TRUE(FindMonthYears("June 12", false).empty());
  ASSERT_EQ(FindMonthYears("September 12; March 13", true).size(), 2u);
  EXPECT_EQ(IsoDate(LastDayOfMonth(2013, 2)), "2013-02-28");
}

TEST(TextUtilTest, StatusesAndPercentages) {
  EXPECT_EQ(ParseStatus("On Target"), goldenthread::v1::ON_TARGET);
  EXPECT_EQ(ParseStatus("Overdue"), goldenthread::v1::DELAYED);
  EXPECT_EQ(ParseStatus("not  started"), goldenthread::v1::NOT_STARTED);
  EXPECT_EQ(ParseStatus("Deferred"), goldenthread::v1::DEFERRED);
  EXPECT_EQ(ParseStatus("Cancelled"), goldenthread::v1::CANCELLED);
  EXPECT_FALSE(ParseStatus("Nearly").has_value());
  EXPECT_EQ(ParsePercent("75%"), 75);
  EXPECT_FALSE(ParsePercent("").has_value());
  EXPECT_FALSE(ParsePercent("140%").has_value());
}

TEST(TextUtilTest, OfficersAndDirectorates) {
  Officers o = SplitOfficers("Owen Whalley (PLACE)", true);
  EXPECT_EQ(o.names, "Owen Whalley");
  EXPECT_EQ(o.directorate, "PLACE");
  o = SplitOfficers("Christine McInnes (CS) / Andy Scott (Place)", true);
  EXPECT_EQ(o.names, "Christine McInnes / Andy Scott");
  EXPECT_EQ(o.directorate, "CS/PLACE");
  o = SplitOfficers("Heather Daley (RES) (RES)", true);
  EXPECT_EQ(o.names, "Heather Daley");
  EXPECT_EQ(o.directorate, "RES");
  o = SplitOfficers("Statutory Deputy Mayor (Lead for Faith Communities)", true);
  EXPECT_EQ(o.names, "Statutory Deputy Mayor (Lead for Faith Communities)");
  EXPECT_EQ(o.directorate, "");
}

TEST(TextUtilTest, CodesCompareByNumber) {
  EXPECT_TRUE(CodeLess("2", "10"));
  EXPECT_TRUE(CodeLess("01.01.04a", "01.01.04b"));
  EXPECT_TRUE(CodeLess("01.02.02", "01.02.03"));
  EXPECT_TRUE(CodeLess("1.1", "1.1.1"));
  EXPECT_FALSE(CodeLess("1.10", "1.9"));
  EXPECT_FALSE(CodeLess("3", "3"));
}

TEST(LeadsTest, MembersOfficersAndDirectorates) {
  Leads l = ParseLeads("Cllr Asad Katharine Marks and Deborah Cohen (AH&W)");
  EXPECT_EQ(l.members, "Cllr Asad");
  EXPECT_EQ(l.officers, "Katharine Marks and Deborah Cohen");
  EXPECT_EQ(l.directorate, "AH&W");
  l = ParseLeads("Mayor Rahman Deborah Cohen (AH&W) and Louise Russell (CE's)");
  EXPECT_EQ(l.members, "Mayor Rahman");
  EXPECT_EQ(l.officers, "Deborah Cohen and Louise Russell");
  EXPECT_EQ(l.directorate, "AH&W/CE's");
  l = ParseLeads(
      "Cllr Rania Khan Cllr Shahed Ali Deputy Mayor, Cllr Ohid Ahmed Shazia Hussain "
      "(CE's)");
  EXPECT_EQ(l.members, "Cllr Rania Khan, Cllr Shahed Ali, Deputy Mayor, Cllr Ohid Ahmed");
  EXPECT_EQ(l.officers, "Shazia Hussain");
  l = ParseLeads("Cllr Oliur Rahman Mary Durkin (CS&F) Mary Durkin (CS&F)");
  EXPECT_EQ(l.officers, "Mary Durkin");
  l = ParseLeads("Cllr Rabina Khan and Cllr Rofique Ahmed");
  EXPECT_EQ(l.members, "Cllr Rabina Khan and Cllr Rofique Ahmed");
  EXPECT_EQ(l.officers, "");
}

TEST(ActionTableTest, WrappedTitleAndCellsSpreadOverLines) {
  std::vector<ActionTableLine> lines = {
      {10, "", "Cllr A Person", "First milestone. (May 2012)"},
      {11, "Manage the programme of Olympic", "", "Second milestone (July 12)"},
      {12, "community events", "Ann Officer (CLC)", "Third milestone wraps"},
      {13, "", "", "onto this line. (from April 2013)"},
      {14, "", "", ""},
      {15, "", "Cllr B Person", "Belongs to the next action. (June 2012)"},
      {16, "Next action", "Bob Officer (D&R)", "Its own. (Dec 2012) No deadline."},
  };
  ParsedActionTable t = ParseActionTable(lines);
  ASSERT_EQ(t.actions.size(), 2u);
  const ParsedAction& a = t.actions[0];
  EXPECT_EQ(a.title, "Manage the programme of Olympic community events");
  EXPECT_EQ(a.lead_member, "Cllr A Person");
  EXPECT_EQ(a.lead_officer, "Ann Officer");
  EXPECT_EQ(a.directorate, "CLC");
  ASSERT_EQ(a.milestones.size(), 3u);
  EXPECT_EQ(a.milestones[1].title, "Second milestone");
  EXPECT_EQ(IsoDate(*a.milestones[1].deadline), "2012-07-31");
  EXPECT_EQ(a.milestones[2].title, "Third milestone wraps onto this line.");
  EXPECT_EQ(IsoDate(*a.milestones[2].deadline), "2013-04-30");
  const ParsedAction& b = t.actions[1];
  EXPECT_EQ(b.lead_member, "Cllr B Person");
  ASSERT_EQ(b.milestones.size(), 3u);
  EXPECT_EQ(b.milestones[0].line_number, 15);
  EXPECT_EQ(b.milestones[2].title, "No deadline.");
  EXPECT_FALSE(b.milestones[2].deadline.has_value());
  EXPECT_TRUE(t.orphan_lines.empty());
}

TEST(ActionTableTest, RowsWithoutAnyTitleAreOrphans) {
  ParsedActionTable t = ParseActionTable({{5, "", "", "A milestone. (May 2012)"}, {6, "", "", ""}});
  EXPECT_TRUE(t.actions.empty());
  EXPECT_THAT(t.orphan_lines, ElementsAre(5));
}

}  // namespace
}  // namespace gt::importers::testing
