#include <gtest/gtest.h>

#include "gt/csv.h"
#include "gt/dates.h"
#include "gt/grpc_status.h"
#include "gt/migrations.h"
#include "gt/mysql_pool.h"
#include "gt/names.h"
#include "gt/paging.h"

namespace gt {
namespace {

TEST(MatchName, ReturnsVariableSegments) {
  auto vars = MatchName("name", "organisations/th/plans/2017-18/activities/57",
                        "organisations/{organisation}/plans/{plan}/activities/{activity}");
  ASSERT_TRUE(vars.ok()) << vars.status();
  EXPECT_EQ(*vars, (std::vector<std::string>{"th", "2017-18", "57"}));
}

TEST(MatchName, MismatchNamesFieldAndPattern) {
  auto vars = MatchName("plan.name", "organisations/th/plan/x", "organisations/{o}/plans/{p}");
  EXPECT_EQ(vars.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(vars.status().message(),
            "plan.name: must look like organisations/{o}/plans/{p}, got 'organisations/th/plan/x'");
  EXPECT_FALSE(MatchName("n", "organisations//plans/x", "organisations/{o}/plans/{p}").ok());
}

TEST(ValidateId, Rules) {
  EXPECT_TRUE(ValidateId("plan_id", "2017-18").ok());
  EXPECT_EQ(ValidateId("plan_id", "").message(), "plan_id: must not be empty");
  EXPECT_FALSE(ValidateId("plan_id", "Upper").ok());
  EXPECT_FALSE(ValidateId("plan_id", "-x").ok());
  EXPECT_FALSE(ValidateId("plan_id", std::string(64, 'a')).ok());
}

TEST(ParseDate, StrictIsoCalendarDates) {
  auto day = ParseDate("d", "2018-03-31");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(FormatDate(*day), "2018-03-31");
  EXPECT_FALSE(ParseDate("d", "2017-02-30").ok());
  EXPECT_FALSE(ParseDate("d", "31/03/2018").ok());
  EXPECT_FALSE(ParseDate("d", "2018-3-31").ok());
  EXPECT_EQ(ParseDate("plan.period_end", "soon").status().message(),
            "plan.period_end: must be a date YYYY-MM-DD, got 'soon'");
  EXPECT_TRUE(ValidateOptionalDate("d", "").ok());
}

TEST(PageSize, Aip158Rules) {
  EXPECT_EQ(*ResolvePageSize(0, 50, 1000), 50);
  EXPECT_EQ(*ResolvePageSize(5000, 50, 1000), 1000);
  EXPECT_EQ(*ResolvePageSize(7, 50, 1000), 7);
  EXPECT_EQ(ResolvePageSize(-1, 50, 1000).status().message(),
            "page_size: must not be negative, got -1");
}

TEST(PageToken, RoundTripAndRefusedForOtherParameters) {
  uint64_t fp = Fingerprint({"organisations/th", "filter"});
  std::string token = EncodePageToken(fp, "cursor|42");
  EXPECT_EQ(*DecodePageToken(token, fp), "cursor|42");
  EXPECT_EQ(*DecodePageToken("", fp), "");
  EXPECT_EQ(DecodePageToken(token, Fingerprint({"organisations/th", "other"})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DecodePageToken("garbage!!", fp).ok());
  EXPECT_NE(Fingerprint({"ab", "c"}), Fingerprint({"a", "bc"}));
}

TEST(Etag, CarriesVersionAndBindsToName) {
  std::string etag = MakeEtag("organisations/th/plans/a", 7);
  EXPECT_EQ(*ParseEtag("plan.etag", "organisations/th/plans/a", etag), 7);
  EXPECT_EQ(ParseEtag("plan.etag", "organisations/th/plans/b", etag).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(ParseEtag("plan.etag", "organisations/th/plans/a", "8-00000000").status().code(),
            absl::StatusCode::kAborted);
  EXPECT_NE(MakeEtag("organisations/th/plans/a", 8), etag);
}

// The one CSV cell writer of reports and gtctl exports.
TEST(CsvCell, QuotesAsRfc4180AndDefusesFormulas) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvCell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-5"), "-5");
  EXPECT_EQ(CsvCellText("'=cmd"), "=cmd");
  EXPECT_EQ(CsvCellText("'quoted"), "'quoted");
}

TEST(StatusMapping, CodesAndMessagesPassThrough) {
  grpc::Status s = ToGrpcStatus(InvalidField("plan.title", "must not be empty"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "plan.title: must not be empty");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "x")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(NotFound("plan", "organisations/a/plans/b").message(),
            "plan organisations/a/plans/b not found");
}

TEST(SplitSqlStatements, SplitsOnTrailingSemicolonsAndDropsComments) {
  auto statements = SplitSqlStatements(
      "-- a comment\nCREATE TABLE a (\n  x INT\n);\n\nINSERT INTO a VALUES (1);\nSELECT 1");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (\nx INT\n)");
  EXPECT_EQ(statements[1], "INSERT INTO a VALUES (1)");
  EXPECT_EQ(statements[2], "SELECT 1\n");
}

TEST(MysqlUri, ParsesAndDecodes) {
  auto uri = ParseMysqlUri("mysql://gt:p%40ss@127.0.0.1:13306/gt_plan");
  ASSERT_TRUE(uri.ok()) << uri.status();
  EXPECT_EQ(uri->user, "gt");
  EXPECT_EQ(uri->password, "p@ss");
  EXPECT_EQ(uri->host, "127.0.0.1");
  EXPECT_EQ(uri->port, 13306);
  EXPECT_EQ(uri->database, "gt_plan");
  EXPECT_FALSE(ParseMysqlUri("postgres://x@y/z").ok());
  auto bad = ParseMysqlUri("mysql://gt:secret@host:notaport/db");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace gt
