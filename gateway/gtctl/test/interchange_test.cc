// The interchange format without a server: CSV quoting, JSON layout, and
// document <-> rows.
#include "interchange.h"

#include <gtest/gtest.h>

namespace gt::gtctl {
namespace {

namespace v1 = goldenthread::v1;

v1::PlanTree Tree() {
  v1::PlanTree tree;
  tree.mutable_plan()->set_name("organisations/a/plans/p");
  tree.mutable_plan()->set_title("Plan");
  tree.mutable_plan()->set_period_start("2017-04-01");
  tree.mutable_plan()->set_period_end("2018-03-31");
  auto* p = tree.add_priorities();
  p->set_name("organisations/a/plans/p/priorities/1");
  p->set_code("1");
  p->set_title("Living \"safely\", well");
  auto* o = p->add_outcomes();
  o->set_code("1.1");
  o->set_title("Outcome");
  auto* a = o->add_activities();
  a->set_name("organisations/a/plans/p/activities/9");
  a->set_code("1.1.1");
  a->set_title("Activity");
  return tree;
}

TEST(CsvTest, ReadsQuotedFieldsAcrossLines) {
  auto records = ReadCsv("a,\"b,\"\"c\"\"\nd\",e\r\n\r\nx,y,z\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"a", "b,\"c\"\nd", "e"}));
  EXPECT_EQ((*records)[1].line, 4);
  EXPECT_FALSE(ReadCsv("a,\"open\n").ok());
}

TEST(InterchangeTest, DocumentRoundTripsThroughJsonAndCsv) {
  v1::Milestone m;
  m.set_name("organisations/a/plans/p/milestones/3");
  m.set_activity("organisations/a/plans/p/activities/9");
  m.set_ordinal(1);
  m.set_title("Replace, \"quickly\"\nall lamps");
  m.set_baseline_deadline("2017-12-31");
  m.set_current_deadline("2018-01-31");
  m.set_status(v1::DELAYED);
  m.set_percent_complete(40);
  m.set_latest_comment("late; see note");
  auto document = ToDocument(Tree(), {m});
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_FALSE(document->tree().plan().has_create_time());
  EXPECT_EQ(document->tree().priorities(0).name(), "");

  std::string json = ToJson(*document);
  EXPECT_EQ(json.substr(0, 36), "{\n  \"format\": \"goldenthread.plan/1\",");
  auto parsed = ParseDocumentJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(ToJson(*parsed), json);

  std::string csv = ToCsv(*document);
  auto from_csv = ParseMilestonesCsv(csv, Tree());
  ASSERT_TRUE(from_csv.ok()) << from_csv.status();
  EXPECT_EQ(ToCsv(*from_csv), csv);
  EXPECT_EQ(from_csv->milestones(0).title(), m.title());

  auto imported = ToImportedPlan(*parsed);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->milestones.size(), 1u);
  EXPECT_EQ(imported->milestones[0].activity_path, (std::vector<int>{0, 0, 0}));
}

TEST(InterchangeTest, CsvRowsThatCannotBeReadAreAllReportedByLine) {
  // The header without ids (still read).
  std::string csv = std::string(kCsvHeaderWithoutIds) +
                    "\n1 / 1.1 / 9.9.9,1,T,,,,,,0,\n"
                    "1 / 1.1 / 1.1.1,x,T,,,,,,0,\n"
                    "1 / 1.1 / 1.1.1,1,T,,,2017-02-30,,,0,\n"
                    "1 / 1.1 / 1.1.1,1,T,,,,,LATE,0,\n"
                    "1 / 1.1 / 1.1.1,1,T,,,,,on target,140,\n"
                    "1 / 1.1 / 1.1.1,1,T,,,,,On target,40,fine\n";
  auto parsed = ParseMilestonesCsv(csv, Tree());
  ASSERT_FALSE(parsed.ok());
  std::string message(parsed.status().message());
  for (const char* line : {"line 2:", "line 3:", "line 4:", "line 5:", "line 6:"}) {
    EXPECT_NE(message.find(line), std::string::npos) << message;
  }
  EXPECT_EQ(message.find("line 7:"), std::string::npos) << message;
  EXPECT_FALSE(ParseMilestonesCsv("title\n", Tree()).ok());

  // The exported header: 13 columns, a row of 11 is refused by line.
  std::string with_ids = std::string(kCsvHeader) +
                         "\norganisations/a/plans/p/milestones/3,1 / 1.1 / 1.1.1,1,T,,,,,"
                         "ON_TARGET,10,,moved by board,yes\n"
                         "organisations/a/plans/p/milestones/4,1 / 1.1 / 1.1.1,1,T,,,,,"
                         "ON_TARGET,10,\n";
  auto rows = ReadMilestonesCsv(with_ids, Tree());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0].first, 2);
  EXPECT_EQ(rows->rows[0].second.name(), "organisations/a/plans/p/milestones/3");
  EXPECT_EQ(rows->rows[0].second.revision_reason(), "moved by board");
  ASSERT_EQ(rows->errors.size(), 1u);
  EXPECT_TRUE(rows->rows[0].second.deadline_assumed());
  EXPECT_EQ(rows->errors[0], "line 3: expected 13 fields, got 11");
}

TEST(InterchangeTest, JsonOfAnotherFormatIsRefused) {
  EXPECT_FALSE(ParseDocumentJson("{\"format\": \"other\"}").ok());
  EXPECT_FALSE(ParseDocumentJson("{\"nonsense\": 1}").ok());
  EXPECT_FALSE(ParseDocumentJson("not json").ok());
}

}  // namespace
}  // namespace gt::gtctl

namespace gt::gtctl {
namespace {

// Issue 15: exports neutralise formula-like cells for spreadsheets, a CSV
// with a live formula is refused by line, and an exported (neutralised)
// formula-like text round-trips unchanged.
TEST(InterchangeTest, FormulaCellsAreNeutralisedOnExportAndRefusedOnImport) {
  // (gt::CsvCell's own rules: common/test/names_dates_paging_test.cc)
  v1::Milestone m;
  m.set_name("organisations/a/plans/p/milestones/3");
  m.set_activity("organisations/a/plans/p/activities/9");
  m.set_ordinal(1);
  m.set_title("=HYPERLINK(\"http://x\",\"click\")");
  m.set_status(v1::ON_TARGET);
  m.set_latest_comment("@risk: none");
  auto document = ToDocument(Tree(), {m});
  ASSERT_TRUE(document.ok()) << document.status();
  std::string csv = ToCsv(*document);
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << csv;
  auto back = ParseMilestonesCsv(csv, Tree());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->milestones(0).title(), m.title());
  EXPECT_EQ(back->milestones(0).comment(), "@risk: none");
  EXPECT_EQ(ToCsv(*back), csv);

  std::string live = std::string(kCsvHeaderWithoutIds) +
                     "\n1 / 1.1 / 1.1.1,1,T,,,,,ON_TARGET,0,fine\n"
                     "1 / 1.1 / 1.1.1,2,=cmd|' /C calc'!A0,,,,,ON_TARGET,0,\n";
  auto refused = ParseMilestonesCsv(live, Tree());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("line 3: field 3 starts with '='"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace gt::gtctl
