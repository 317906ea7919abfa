// gtctl end to end (fixture: gtctl_e2e_fixture.h): commands as a user runs
// them against the real suite.
#include "gtctl_e2e_fixture.h"

namespace gt::gtctl {
namespace {

using namespace e2e;  // NOLINT: the fixture's helpers

TEST_F(GtctlTest, HelpOnEveryCommandAndUsageErrorsExitTwo) {
  Result top = Gtctl("--help");
  EXPECT_EQ(top.code, 0) << top;
  EXPECT_TRUE(absl::StrContains(top.out, "Exit codes")) << top;
  for (const char* command :
       {"plans", "plans list", "plans show", "milestones", "milestones list", "milestones update",
        "milestones revise", "import", "export", "tokens", "tokens create", "tokens list",
        "tokens get", "tokens revoke"}) {
    Result r = Gtctl(absl::StrCat(command, " --help"));
    EXPECT_EQ(r.code, 0) << command << "\n" << r;
    EXPECT_TRUE(absl::StrContains(r.out, "Usage")) << command << "\n" << r;
  }
  EXPECT_EQ(Gtctl("").code, 2);
  EXPECT_EQ(Gtctl("frobnicate").code, 2);
  EXPECT_EQ(Gtctl("plans list --bogus 1").code, 2);
  EXPECT_EQ(Gtctl("plans show").code, 2);
  EXPECT_EQ(Gtctl("plans list --output yaml").code, 2);
  EXPECT_EQ(Gtctl("milestones update 2017-18/1").code, 2);  // no --status
  EXPECT_EQ(Gtctl("milestones update 2017-18/1 --status LATE").code, 2);
  EXPECT_EQ(Gtctl("milestones revise 2017-18/1 --deadline 2018-02-30 --reason r").code, 2);
  EXPECT_EQ(Gtctl("export x --format xml").code, 2);
  EXPECT_EQ(Gtctl("milestones update 2017-18/1 --status ON_TARGET --effective 2999-01-01").code, 2);
  EXPECT_EQ(Gtctl(absl::StrCat("import ", Seed("003"))).code, 2);  // no --plan
  EXPECT_EQ(Gtctl("report render").code, 2);
  EXPECT_EQ(Gtctl("report render weekly 2017-18").code, 2);
  EXPECT_EQ(Gtctl("report render progress 2017-18 --format pdf").code, 2);
  EXPECT_EQ(Gtctl("report render changes 2017-18 --from 2017-09-30").code, 2);
}

TEST_F(GtctlTest, ExitCodesForRefusalConnectionAndInput) {
  Result missing = Gtctl("plans show no-such-plan");
  EXPECT_EQ(missing.code, 1) << missing;
  EXPECT_TRUE(absl::StrContains(missing.err, "NOT_FOUND")) << missing;
  Result bad_token = Gtctl("plans list", "gt_th_not-a-real-secret");
  EXPECT_EQ(bad_token.code, 1) << bad_token;
  EXPECT_TRUE(absl::StrContains(bad_token.err, "UNAUTHENTICATED")) << bad_token;
  Result down = Gtctl("plans list", "", absl::StrCat("127.0.0.1:", FreePort()));
  EXPECT_EQ(down.code, 3) << down;
  Result unreadable = Gtctl("import /nonexistent/file.txt --plan x");
  EXPECT_EQ(unreadable.code, 4) << unreadable;
  std::string junk = Tmp("junk.txt");
  std::ofstream(junk) << "nothing a reader knows\n";
  Result unknown = Gtctl(absl::StrCat("import ", junk, " --plan x"));
  EXPECT_EQ(unknown.code, 4) << unknown;
}

// Each seed through gtctl with a token: what is written is what the readers
// read, and every unplaced line is printed with its line number.
TEST_F(GtctlTest, ImportsEachSeed) {
  struct Case {
    std::vector<std::string> seeds;
    std::string plan;
    std::string effective;
  };
  for (const Case& c : std::vector<Case>{{{"000", "001"}, "2007-08", "2008-03-31"},
                                         {{"002"}, "2012-13", "2012-04-01"},
                                         {{"003"}, "2017-18", "2017-09-30"},
                                         {{"004"}, "2019-22", "2019-04-01"}}) {
    SCOPED_TRACE(c.plan);
    std::string files;
    for (const auto& s : c.seeds) {
      absl::StrAppend(&files, " ", Seed(s));
    }
    Result r =
        Gtctl(absl::StrCat("import", files, " --plan ", c.plan, " --effective ", c.effective));
    ASSERT_EQ(r.code, 0) << r;
    importers::ImportedPlan expected = Read(c.seeds);
    EXPECT_EQ(CountLines(r.err, ": not placed ("), static_cast<int>(expected.unplaced.size())) << r;
    for (const auto& line : expected.unplaced) {
      if (!absl::StrContains(line.reason, "[")) {  // lines of the first document
        EXPECT_TRUE(absl::StrContains(r.err, absl::StrCat(":", line.line_number, ": not placed")))
            << line.line_number;
      }
    }
    std::vector<v1::Milestone> written = Milestones(c.plan);
    ASSERT_EQ(written.size(), expected.milestones.size());
    for (size_t i = 0; i < written.size(); ++i) {
      EXPECT_EQ(written[i].title(), expected.milestones[i].milestone.title());
      EXPECT_EQ(written[i].status(), expected.milestones[i].milestone.status());
      EXPECT_EQ(written[i].baseline_deadline(),
                expected.milestones[i].milestone.baseline_deadline());
    }
    Result show = Gtctl(absl::StrCat("plans show ", c.plan));
    EXPECT_EQ(show.code, 0) << show;
    EXPECT_TRUE(absl::StrContains(show.out, expected.tree.plan().title())) << show;
  }
  Result list = Gtctl("plans list");
  EXPECT_EQ(list.code, 0) << list;
  for (const char* id : {"2007-08", "2012-13", "2017-18", "2019-22"}) {
    EXPECT_TRUE(absl::StrContains(list.out, id)) << list;
  }
  // Another organisation sees none of it.
  Result other = Gtctl("plans list --output json", *other_admin_);
  EXPECT_EQ(other.code, 0) << other;
  EXPECT_FALSE(absl::StrContains(other.out, "2017-18")) << other;
}

TEST_F(GtctlTest, SameDocumentTwiceIsRefusedOrReplacedWithoutDuplicates) {
  std::string import = absl::StrCat("import ", Seed("003"), " --plan twice --effective 2017-09-30");
  Result first = Gtctl(import);
  ASSERT_EQ(first.code, 0) << first;
  size_t count = Milestones("twice").size();
  ASSERT_GT(count, 0u);

  Result again = Gtctl(import);
  EXPECT_EQ(again.code, 1) << again;
  EXPECT_TRUE(absl::StrContains(again.err, "ALREADY_EXISTS")) << again;
  EXPECT_TRUE(absl::StrContains(again.err, "twice")) << again;
  EXPECT_EQ(Milestones("twice").size(), count);

  // The same effective date as the first import: a replace must still write.
  Result replaced = Gtctl(import + " --replace");
  EXPECT_EQ(replaced.code, 0) << replaced;
  std::vector<v1::Milestone> after = Milestones("twice");
  EXPECT_EQ(after.size(), count);
  Result replaced_again = Gtctl(import + " --replace");
  EXPECT_EQ(replaced_again.code, 0) << replaced_again;
  EXPECT_EQ(Milestones("twice").size(), count);
}

// On a terminal, a long import shows a progress bar on stderr.
TEST_F(GtctlTest, ProgressBarOnATerminal) {
  std::string log = Tmp("tty.log");
  std::string command = absl::StrCat("GT_ADDR='", gateway_->address(), "' GT_TOKEN='", *admin_,
                                     "' script -qec \"'", GTCTL_BIN, "' import ", Seed("002"),
                                     " --plan tty 2>&1\" '", log, "' >/dev/null </dev/null");
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadText(log);
  std::string text = ReadText(log);
  EXPECT_TRUE(absl::StrContains(text, "] 243/243 milestones")) << text;
  EXPECT_TRUE(absl::StrContains(text, "\r[######")) << text;
  // Not on a pipe.
  Result piped = Gtctl(absl::StrCat("import ", Seed("002"), " --plan tty --replace"));
  EXPECT_EQ(piped.code, 0) << piped;
  EXPECT_FALSE(absl::StrContains(piped.err, "\r[")) << piped;
}

TEST_F(GtctlTest, DryRunWritesNothing) {
  Result dry = Gtctl(absl::StrCat("import ", Seed("004"), " --plan dry --dry-run"));
  EXPECT_EQ(dry.code, 0) << dry;
  EXPECT_TRUE(absl::StrContains(dry.out, "dry run: nothing written")) << dry;
  EXPECT_TRUE(absl::StrContains(dry.out, "Strategic Plan 2019")) << dry;
  Result json = Gtctl(absl::StrCat("import ", Seed("003"), " --plan dry --dry-run --output json"));
  EXPECT_EQ(json.code, 0) << json;
  EXPECT_TRUE(absl::StrContains(json.out, "\"milestones\": [")) << json;
  Result show = Gtctl("plans show dry");
  EXPECT_EQ(show.code, 1) << show;
  EXPECT_TRUE(absl::StrContains(show.err, "NOT_FOUND")) << show;

  // On an existing plan, a dry run says it would be refused, and changes nothing.
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan dry-existing")).code, 0);
  std::string before = Gtctl("export dry-existing --format json").out;
  Result refused = Gtctl(absl::StrCat("import ", Seed("002"), " --plan dry-existing --dry-run"));
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(absl::StrContains(refused.err, "ALREADY_EXISTS")) << refused;
  Result would_replace =
      Gtctl(absl::StrCat("import ", Seed("002"), " --plan dry-existing --dry-run --replace"));
  EXPECT_EQ(would_replace.code, 0) << would_replace;
  EXPECT_EQ(Gtctl("export dry-existing --format json").out, before);
}

// export -> import (as a new plan) -> export is byte-identical, for every
// seed's plan, in JSON; the CSV of milestones likewise.
TEST_F(GtctlTest, ExportImportExportIsByteIdentical) {
  struct Case {
    std::vector<std::string> seeds;
    std::string plan;
  };
  for (const Case& c : std::vector<Case>{{{"003"}, "rt-2017-18"},
                                         {{"000", "001"}, "rt-2007-08"},
                                         {{"002"}, "rt-2012-13"},
                                         {{"004"}, "rt-2019-22"}}) {
    SCOPED_TRACE(c.plan);
    std::string files;
    for (const auto& s : c.seeds) {
      absl::StrAppend(&files, " ", Seed(s));
    }
    ASSERT_EQ(Gtctl(absl::StrCat("import", files, " --plan ", c.plan)).code, 0);
    std::string json = Tmp(c.plan + ".json");
    Result first = Gtctl(absl::StrCat("export ", c.plan, " --format json --out ", json));
    ASSERT_EQ(first.code, 0) << first;
    Result imported = Gtctl(absl::StrCat("import ", json, " --plan ", c.plan, "-copy"));
    ASSERT_EQ(imported.code, 0) << imported;
    Result second = Gtctl(absl::StrCat("export ", c.plan, "-copy --format json"));
    ASSERT_EQ(second.code, 0) << second;
    EXPECT_EQ(WithoutIds(second.out), WithoutIds(ReadText(json)));
    EXPECT_GT(second.out.size(), 1000u);

    Result csv1 = Gtctl(absl::StrCat("export ", c.plan, " --format csv"));
    Result csv2 = Gtctl(absl::StrCat("export ", c.plan, "-copy --format csv"));
    ASSERT_EQ(csv1.code, 0) << csv1;
    EXPECT_EQ(WithoutIds(csv1.out), WithoutIds(csv2.out));
  }
}

// The CSV template: milestones of a plan that exists.
TEST_F(GtctlTest, CsvImportReplacesMilestonesOfAnExistingPlan) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan csv-src")).code, 0);
  std::string csv = Tmp("csv-src.csv");
  ASSERT_EQ(Gtctl(absl::StrCat("export csv-src --format csv --out ", csv)).code, 0);
  std::string json = Tmp("csv-src.json");
  ASSERT_EQ(Gtctl(absl::StrCat("export csv-src --format json --out ", json)).code, 0);

  // The tree alone, then its milestones from the CSV.
  std::string tree_only = ReadText(json);
  tree_only = tree_only.substr(0, tree_only.find(",\n  \"milestones\"")) + "\n}\n";
  std::string tree_file = Tmp("tree.json");
  std::ofstream(tree_file) << tree_only;
  Result tree = Gtctl(absl::StrCat("import ", tree_file, " --plan csv-dst"));
  ASSERT_EQ(tree.code, 0) << tree;
  EXPECT_TRUE(Milestones("csv-dst").empty());
  Result rows = Gtctl(absl::StrCat("import ", csv, " --plan csv-dst"));
  ASSERT_EQ(rows.code, 0) << rows;
  EXPECT_EQ(WithoutIds(Gtctl("export csv-dst --format json").out), WithoutIds(ReadText(json)));

  Result again = Gtctl(absl::StrCat("import ", csv, " --plan csv-dst"));
  EXPECT_EQ(again.code, 1) << again;
  EXPECT_TRUE(absl::StrContains(again.err, "ALREADY_EXISTS")) << again;
  Result replaced = Gtctl(absl::StrCat("import ", csv, " --plan csv-dst --replace"));
  EXPECT_EQ(replaced.code, 0) << replaced;
  std::string dst = Gtctl("export csv-dst --format json").out;
  EXPECT_EQ(WithoutIds(dst), WithoutIds(ReadText(json)));

  // Bad rows: each reported with its line number, nothing written.
  std::string bad = Tmp("bad.csv");
  std::string text = ReadText(csv);
  std::ofstream(bad) << text << "9 / 9 / 9,1,Nowhere,,,,,,0,\r\n"
                     << "1 / 1.1 / 1.1.1,1,Odd,,,2017-13-01,,,0,\r\n";
  int rows_before = CountLines(text, "\r");
  Result rejected = Gtctl(absl::StrCat("import ", bad, " --plan csv-dst --replace"));
  EXPECT_EQ(rejected.code, 4) << rejected;
  EXPECT_TRUE(absl::StrContains(rejected.err, absl::StrCat(bad, ":", rows_before + 1, ":")))
      << rejected;
  EXPECT_TRUE(absl::StrContains(rejected.err, absl::StrCat(bad, ":", rows_before + 2, ":")))
      << rejected;
  EXPECT_EQ(Gtctl("export csv-dst --format json").out, dst);
}

TEST_F(GtctlTest, MilestonesUpdateReviseAndOverdue) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan ms --effective 2017-09-30")).code,
            0);
  std::vector<v1::Milestone> all = Milestones("ms");
  ASSERT_FALSE(all.empty());
  const v1::Milestone& m = all[0];
  std::string id = absl::StrCat("ms/", m.name().substr(m.name().rfind('/') + 1));

  Result no_comment = Gtctl(absl::StrCat("milestones update ", id, " --status DELAYED"));
  EXPECT_EQ(no_comment.code, 1) << no_comment;
  EXPECT_TRUE(absl::StrContains(no_comment.err, "INVALID_ARGUMENT")) << no_comment;

  Result updated = Gtctl(absl::StrCat("milestones update ", id,
                                      " --status delayed --percent 40 --comment 'Contractor late, "
                                      "\"phase 2\"' --effective 2017-12-31 --output json"));
  ASSERT_EQ(updated.code, 0) << updated;
  v1::Milestone after;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(updated.out, &after).ok()) << updated;
  EXPECT_EQ(after.status(), v1::DELAYED);
  EXPECT_EQ(after.percent_complete(), 40);
  EXPECT_EQ(after.latest_comment(), "Contractor late, \"phase 2\"");

  Result revised = Gtctl(absl::StrCat("milestones revise ", m.name(),
                                      " --deadline 2018-01-15 --reason 'Waiting for funding'"));
  ASSERT_EQ(revised.code, 0) << revised;
  EXPECT_TRUE(absl::StrContains(revised.out, "2018-01-15")) << revised;

  std::vector<v1::Milestone> overdue = Milestones("ms", "--overdue-at 2018-02-01");
  bool found = false;
  for (const auto& o : overdue) {
    if (o.name() == m.name()) {
      found = true;
      EXPECT_EQ(o.current_deadline(), "2018-01-15");
      EXPECT_NE(o.baseline_deadline(), "2018-01-15");
    }
  }
  EXPECT_TRUE(found);
  for (const auto& o : Milestones("ms", "--overdue-at 2018-01-14")) {
    EXPECT_NE(o.name(), m.name());
  }
  for (const auto& d : Milestones("ms", "--status DELAYED")) {
    EXPECT_EQ(d.status(), v1::DELAYED);
  }
  Result table = Gtctl("milestones list ms");
  EXPECT_EQ(table.code, 0) << table;
  EXPECT_TRUE(absl::StartsWith(table.out, "ID")) << table;
}

TEST_F(GtctlTest, ReportRenderInEachFormat) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("000"), " ", Seed("001"),
                               " --plan rep --effective 2008-03-31"))
                .code,
            0);
  Result markdown = Gtctl("report render end-of-year rep --as-of 2008-03-31");
  ASSERT_EQ(markdown.code, 0) << markdown;
  EXPECT_TRUE(absl::StrContains(markdown.out, "Strategic Plan 2007/08")) << markdown;
  std::string html = Tmp("eoy.html");
  Result to_file = Gtctl(
      absl::StrCat("report render end-of-year rep --as-of 2008-03-31 --format html --out ", html));
  ASSERT_EQ(to_file.code, 0) << to_file;
  EXPECT_TRUE(absl::StrContains(ReadText(html), "<html")) << ReadText(html).substr(0, 500);
  Result csv =
      Gtctl("report render progress rep --as-of 2008-03-31 --group-by directorate --format csv");
  ASSERT_EQ(csv.code, 0) << csv;
  EXPECT_TRUE(absl::StrContains(csv.out, ",")) << csv;
  Result json = Gtctl("report render deadline-revisions rep --as-of 2008-03-31 --format json");
  ASSERT_EQ(json.code, 0) << json;
  EXPECT_TRUE(absl::StartsWith(absl::StripLeadingAsciiWhitespace(json.out), "{")) << json;
  Result changes =
      Gtctl("report render changes rep --from 2007-09-30 --to 2008-03-31 --format markdown");
  EXPECT_EQ(changes.code, 0) << changes;
  Result missing = Gtctl("report render end-of-year no-such-plan");
  EXPECT_EQ(missing.code, 1) << missing;
  EXPECT_TRUE(absl::StrContains(missing.err, "NOT_FOUND")) << missing;
}

TEST_F(GtctlTest, TokensCreateListRevoke) {
  Result created = Gtctl("tokens create --role VIEWER --subject analyst");
  ASSERT_EQ(created.code, 0) << created;
  std::string viewer(absl::StripAsciiWhitespace(created.out));
  ASSERT_TRUE(absl::StartsWith(viewer, "gt_th_")) << created;

  EXPECT_EQ(Gtctl("plans list", viewer).code, 0);
  Result denied = Gtctl(absl::StrCat("import ", Seed("004"), " --plan viewer-may-not"), viewer);
  EXPECT_EQ(denied.code, 1) << denied;
  EXPECT_TRUE(absl::StrContains(denied.err, "PERMISSION_DENIED")) << denied;

  Result list = Gtctl("tokens list --output json");
  ASSERT_EQ(list.code, 0) << list;
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(list.out, &tokens).ok()) << list;
  std::string name;
  for (const auto& t : tokens.tokens()) {
    if (t.subject() == "analyst") {
      name = t.name();
    }
  }
  ASSERT_FALSE(name.empty()) << list;
  Result table = Gtctl("tokens list");
  EXPECT_TRUE(absl::StrContains(table.out, "analyst")) << table;

  Result revoked = Gtctl(absl::StrCat("tokens revoke ", name.substr(name.rfind('/') + 1)));
  EXPECT_EQ(revoked.code, 0) << revoked;
  Result after = Gtctl("plans list", viewer);
  EXPECT_EQ(after.code, 1) << after;
  EXPECT_TRUE(absl::StrContains(after.err, "UNAUTHENTICATED")) << after;
}

// Issue 18: a token limited to directorates, made and shown by gtctl; the
// gateway refuses it what acts on a whole plan.
TEST_F(GtctlTest, TokensLimitedToDirectorates) {
  Result created = Gtctl(
      "tokens create --role UPDATER --subject csf-officer --directorate CSF --directorate ' D&R '");
  ASSERT_EQ(created.code, 0) << created;
  EXPECT_TRUE(absl::StrContains(created.err, "limited to directorates CSF, D&R")) << created;
  std::string limited(absl::StripAsciiWhitespace(created.out));
  ASSERT_TRUE(absl::StartsWith(limited, "gt_th_")) << created;

  Result list = Gtctl("tokens list --output json");
  ASSERT_EQ(list.code, 0) << list;
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(list.out, &tokens).ok()) << list;
  std::string name;
  for (const auto& t : tokens.tokens()) {
    if (t.subject() == "csf-officer") {
      name = t.name();
      EXPECT_EQ(std::vector<std::string>(t.directorates().begin(), t.directorates().end()),
                (std::vector<std::string>{"CSF", "D&R"}));
    }
  }
  ASSERT_FALSE(name.empty()) << list;
  Result table = Gtctl("tokens list");
  EXPECT_TRUE(absl::StrContains(table.out, "DIRECTORATES")) << table;
  EXPECT_TRUE(absl::StrContains(table.out, "CSF,D&R")) << table;
  const std::string id = name.substr(name.rfind('/') + 1);
  Result got = Gtctl(absl::StrCat("tokens get ", id));
  ASSERT_EQ(got.code, 0) << got;
  EXPECT_TRUE(absl::StrContains(got.out, id)) << got;
  EXPECT_TRUE(absl::StrContains(got.out, "CSF,D&R")) << got;
  Result got_json = Gtctl(absl::StrCat("tokens get ", name, " --output json"));
  ASSERT_EQ(got_json.code, 0) << got_json;
  v1::ApiToken token;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got_json.out, &token).ok()) << got_json;
  EXPECT_EQ(token.directorates_size(), 2);

  // It reads as its role does; a limited PLANNER may not write a whole plan.
  EXPECT_EQ(Gtctl("plans list", limited).code, 0);
  Result planner =
      Gtctl("tokens create --role PLANNER --subject csf-planner --directorate CSF --output json");
  ASSERT_EQ(planner.code, 0) << planner;
  v1::CreateTokenResponse planner_token;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(planner.out, &planner_token).ok())
      << planner;
  Result denied = Gtctl(absl::StrCat("import ", Seed("004"), " --plan limited-may-not"),
                        planner_token.secret());
  EXPECT_EQ(denied.code, 1) << denied;
  EXPECT_TRUE(absl::StrContains(denied.err, "PERMISSION_DENIED")) << denied;
  EXPECT_TRUE(absl::StrContains(denied.err,
                                "acts on a whole plan or organisation; this token is limited to "
                                "directorates CSF"))
      << denied;

  // Bad codes are the gateway's to refuse, naming the field.
  Result admin = Gtctl("tokens create --role ADMIN --subject boss --directorate CSF");
  EXPECT_EQ(admin.code, 1) << admin;
  EXPECT_TRUE(absl::StrContains(admin.err, "token.directorates: must be empty for an ADMIN token"))
      << admin;
  Result joint = Gtctl("tokens create --role UPDATER --subject joint --directorate CSF/ASC");
  EXPECT_EQ(joint.code, 1) << joint;
  EXPECT_TRUE(absl::StrContains(joint.err, "token.directorates[0]: must be one directorate"))
      << joint;
}

// A bulk command through a gateway with a tight rate limit: refused calls
// are sent again after the retry-after the gateway gives, so the replace
// completes instead of stopping half way (issue 15: it stopped after
// deleting 126 of 233 milestones).
TEST_F(GtctlTest, ABulkImportWaitsOutTheRateLimitInsteadOfStoppingHalfWay) {
  ASSERT_EQ(Gtctl(absl::StrCat("import ", Seed("003"), " --plan rate-limited")).code, 0);
  std::string csv = Tmp("rate-limited.csv");
  ASSERT_EQ(Gtctl(absl::StrCat("export rate-limited --format csv --out ", csv)).code, 0);
  std::string before = Gtctl("export rate-limited --format json").out;
  Running tight = Start(GATEWAY_BIN, gateway_db_->uri_string(),
                        {"--rate_limit_per_second=2", "--rate_limit_burst=2",
                         absl::StrCat("--plan_service_addr=", plan_->address()),
                         absl::StrCat("--milestone_service_addr=", milestone_->address()),
                         absl::StrCat("--report_service_addr=", report_->address())});
  ASSERT_TRUE(WaitUntil([&] { return Serving(tight.address()); }, absl::Seconds(30)))
      << tight.process->Log();
  Result replaced =
      Gtctl(absl::StrCat("import ", csv, " --plan rate-limited --replace"), "", tight.address());
  EXPECT_EQ(replaced.code, 0) << replaced;
  EXPECT_TRUE(absl::StrContains(replaced.err, "RESOURCE_EXHAUSTED, sending again in")) << replaced;
  EXPECT_EQ(Gtctl("export rate-limited --format json").out, before);
}

}  // namespace
}  // namespace gt::gtctl
