// Every report rendered as a reader gets it: the HTML opened by a real
// headless Chromium (a screenshot, and the DOM it built), the CSV read by
// Python's csv module, the JSON parsed back into the report, the Markdown
// checked for its headings.
//
// Set GT_REPORT_ARTIFACTS_DIR to keep the pages and screenshots.
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gt/test_process.h"
#include "report_fixture.h"

namespace gt::report::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kPython[] = "/usr/bin/python3";

// Checks a CSV file as RFC 4180 with Python's csv module: prints the number
// of data rows, exits 1 when a row's column count differs from the header's.
constexpr char kCsvCheck[] = R"py(
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f, strict=True))
header = rows[0]
bad = [i for i, r in enumerate(rows) if len(r) != len(header)]
print('rows', len(rows) - 1, 'columns', len(header), 'bad', bad[:5])
sys.exit(1 if bad or not header else 0)
)py";

struct Case {
  std::string name;
  v1::RenderReportRequest request;
  std::vector<std::string> expected;  // text the rendered page must contain
  int csv_rows;                       // data rows, -1: at least one
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// Text as Chromium serialises it in --dump-dom.
std::string AsInDom(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
}

// Runs `argv` with stdout to `out_path` (stderr to a log), waiting up to
// `timeout`. Returns the exit code.
int RunCommand(const std::vector<std::string>& argv, const std::string& out_path,
               absl::Duration timeout) {
  std::string command;
  for (const std::string& a : argv) {
    absl::StrAppend(&command, "'", absl::StrReplaceAll(a, {{"'", "'\\''"}}), "' ");
  }
  absl::StrAppend(&command, "> '", out_path, "' 2> '", out_path, ".err'");
  ChildProcess child({"/bin/sh", "-c", command}, {}, out_path + ".log");
  return child.Wait(timeout);
}

class FormatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kChromium))
        << kChromium << " is missing: apt-get install chromium (scripts/install-deps.sh)";
    ASSERT_TRUE(fs::exists(kPython)) << kPython << " is missing";
    const char* keep = std::getenv("GT_REPORT_ARTIFACTS_DIR");
    if (keep != nullptr && *keep != '\0') {
      dir_ = keep;
      keep_ = true;
    } else {
      dir_ = (fs::temp_directory_path() / absl::StrCat("gt-report-", getpid())).string();
    }
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!keep_) {
      fs::remove_all(dir_);
    }
  }
  std::string dir_;
  bool keep_ = false;
};

std::vector<Case> Cases() {
  const std::string plan2007 = "organisations/th/plans/2007-08";
  const std::string plan2017 = "organisations/th/plans/2017-18";
  std::vector<Case> cases(5);
  cases[0].name = "end-of-year";
  *cases[0].request.mutable_end_of_year() = ReportWorld::Request(plan2007, "2008-03-31");
  cases[0].expected = {"London Borough of Tower Hamlets",
                       "End of year report",
                       "Strategic Plan 2007/08, 1 April 2007 to 31 March 2008",
                       "<h2>Completed activities</h2>",
                       "<h2>Overdue activities</h2>",
                       "<h3>1. LIVING SAFELY</h3>",
                       "<h4>01.01.01 To reduce crime and the fear of crime</h4>",
                       "<h5>01.01.01d Provide support to offenders to reduce reoffending</h5>",
                       "<th scope=\"col\">Progress milestone</th>",
                       "3. Effective multi-agency support provided to 100 offenders by end March "
                       "2008",
                       "To the end of March there have been 78 ex-offenders supported.",
                       "31 Oct 2008 (originally 31 Oct 2007)",
                       "Overdue against original deadline",
                       "Milestones by status at 31 March 2008",
                       "Activities by status at 31 March 2008"};
  cases[0].csv_rows = -1;

  cases[1].name = "progress";
  auto* progress = cases[1].request.mutable_progress();
  *progress->mutable_report() = ReportWorld::Request(plan2017, "2017-09-30");
  progress->set_group_by(v1::BY_PRIORITY);
  cases[1].expected = {"Progress report",
                       "Summary by priority",
                       "<h2>1. Creating opportunity by supporting aspiration and tackling "
                       "poverty</h2>",
                       "Develop a Growth Strategy in collaboration with local partners, "
                       "businesses and residents",
                       "<span class=\"chip chip-on-target\">On target</span>",
                       ">141</text>",
                       "Milestones by status at 30 September 2017"};
  cases[1].csv_rows = 233;

  cases[2].name = "deadline-revisions";
  *cases[2].request.mutable_deadline_revisions() = ReportWorld::Request(plan2007, "2008-03-31");
  cases[2].expected = {"Deadline revisions", "Summary by directorate",
                       "Benchmark enforcement practices against other similar boroughs by "
                       "October 2007",
                       "31 Oct 2007 to 31 Oct 2008: Deadline revised, as reported in the source "
                       "document",
                       "<th scope=\"col\" class=\"num\">Days slipped</th>"};
  cases[2].csv_rows = 5;  // 001's five revisions

  cases[3].name = "action-plan";
  *cases[3].request.mutable_action_plan() = ReportWorld::Request(plan2017, "2017-09-30");
  cases[3].expected = {"Action plan",
                       "<h3>1.1 A dynamic local economy, with high levels of growth that is "
                       "shared by residents</h3>",
                       "Develop and deliver the Growth Strategy",
                       "Cabinet Member for Work and Economic Growth",
                       "<tr class=\"activity\"><td>1.1.1</td>",
                       "<tr class=\"milestone\"><td></td><td class=\"wide\">2. Develop a "
                       "Growth Strategy in collaboration with local partners, businesses and "
                       "residents</td>"};
  cases[3].csv_rows = 233;

  cases[4].name = "changes";
  auto* changes = cases[4].request.mutable_changes();
  *changes->mutable_from() = ReportWorld::Request(plan2017, "2017-06-30");
  *changes->mutable_to() = ReportWorld::Request(plan2017, "2017-09-30");
  cases[4].expected = {"Changes between two reports", "<h2>What was restated</h2>",
                       "as of 30 June 2017, as recorded now",
                       "The Labour Market Information Pack was updated in June 2017."};
  cases[4].csv_rows = -1;
  return cases;
}

TEST_F(FormatsTest, HtmlOpensInChromiumAndCsvParsesInPython) {
  World().Plan2007();
  World().Plan2017();
  std::vector<Case> cases = Cases();
  // Render everything first, then run the browsers side by side: each takes
  // about a second to start.
  for (Case& c : cases) {
    for (auto format : {v1::HTML, v1::CSV, v1::MARKDOWN, v1::JSON}) {
      c.request.set_format(format);
      auto rendered = Render(c.request);
      ASSERT_TRUE(rendered.status.ok()) << c.name << ": " << rendered.status.error_message();
      const std::string& content = rendered.value.content();
      std::string ext = format == v1::HTML       ? "html"
                        : format == v1::CSV      ? "csv"
                        : format == v1::MARKDOWN ? "md"
                                                 : "json";
      EXPECT_TRUE(absl::EndsWith(rendered.value.filename(), "." + ext)) << c.name;
      Write(absl::StrCat(dir_, "/", c.name, ".", ext), content);
      if (format == v1::JSON) {
        // The JSON is the structured report: it parses back into the message.
        v1::EndOfYearReport eoy;
        v1::ProgressReport pr;
        google::protobuf::Message* target = &pr;
        if (c.name == "end-of-year") {
          target = &eoy;
        }
        if (c.name == "end-of-year" || c.name == "progress") {
          EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(content, target).ok()) << c.name;
        }
        EXPECT_EQ(rendered.value.content_type(), "application/json");
      }
      if (format == v1::MARKDOWN) {
        EXPECT_THAT(content, HasSubstr("\n# ")) << c.name;
        EXPECT_EQ(rendered.value.content_type(), "text/markdown");
      }
      if (format == v1::HTML) {
        EXPECT_EQ(rendered.value.content_type(), "text/html");
      }
    }
  }

  std::vector<int> chromium_exit(cases.size(), -2);
  std::vector<int> python_exit(cases.size(), -2);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < cases.size(); ++i) {
    threads.emplace_back([&, i] {
      const std::string base = absl::StrCat(dir_, "/", cases[i].name);
      const std::string profile = absl::StrCat(dir_, "/profile-", cases[i].name);
      chromium_exit[i] =
          RunCommand({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                      "--no-first-run", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                      "--user-data-dir=" + profile, "--window-size=1280,1800",
                      "--screenshot=" + base + ".png", "--dump-dom", "file://" + base + ".html"},
                     base + ".dom", absl::Seconds(45));
      python_exit[i] = RunCommand({kPython, "-c", kCsvCheck, base + ".csv"}, base + ".csvcheck",
                                  absl::Seconds(30));
      fs::remove_all(profile);
    });
  }
  for (auto& t : threads) {
    t.join();
  }

  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string base = absl::StrCat(dir_, "/", c.name);
    EXPECT_EQ(chromium_exit[i], 0) << c.name << ": " << Slurp(base + ".dom.err");
    std::string png = Slurp(base + ".png");
    ASSERT_GT(png.size(), 10000u) << c.name << ": no screenshot";
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << c.name;
    std::string dom = Slurp(base + ".dom");
    EXPECT_THAT(dom, HasSubstr("</html>")) << c.name;
    for (const std::string& text : c.expected) {
      // Expectations with markup are matched as written; plain text as the
      // DOM serialises it.
      std::string wanted = text.find('<') == std::string::npos ? AsInDom(text) : text;
      EXPECT_THAT(dom, HasSubstr(wanted)) << c.name;
    }

    EXPECT_EQ(python_exit[i], 0) << c.name << ": " << Slurp(base + ".csvcheck")
                                 << Slurp(base + ".csvcheck.err");
    std::string summary = Slurp(base + ".csvcheck");
    std::vector<std::string> words = absl::StrSplit(summary, ' ');
    ASSERT_GE(words.size(), 2u) << c.name << ": " << summary;
    int rows = std::stoi(words[1]);
    if (c.csv_rows >= 0) {
      EXPECT_EQ(rows, c.csv_rows) << c.name;
    } else {
      EXPECT_GT(rows, 0) << c.name;
    }
  }
}

}  // namespace
}  // namespace gt::report::testing
