// Acceptance against the council's own documents: the 2007/08 year-end
// appendices (seeds 000 + 001, merged into plan 2007-08 as the demo loads
// them) and the 2017/18 mid-year monitoring report (seed 003).
//
// Numbers checked by reading the documents (and grepping their tab-separated
// rows), not taken from report-service:
//   001: 117 milestone rows under 86 key activities, 50 objectives, 5 themes.
//     As of 31/03/2008, 108 have a current deadline on or before that day.
//     Nine have a later one, yet the appendix lists them as overdue:
//       - three whose Deadline column moved past the month their text names
//         (lines 44, 268, 359: "by October 2007" / 31/10/2008, "agreed by
//         January 2008" / 31/12/2008, "by December 2007" / 31/12/2008): overdue
//         against their original deadline;
//       - six not yet due that their officers report as late (lines 131, 187,
//         264, 348, 349, 464, e.g. "Accreditation to ISO 20000 standard
//         achieved by May 2008 ... The deadline date has been revised to March
//         2009"): the appendix lists every milestone of the year's late work,
//         and the importer records them DELAYED.
//     So the overdue section lists milestones overdue against the current
//     deadline, against the baseline, or reported DELAYED: exactly 001's 117.
//   003: deliverables 141 On Target, 52 Completed, 38 Delayed, 2 Overdue (233);
//     by priority 64/22/14+2, 57/20/15, 20/10/9. Overdue by date at the close
//     of 30/09/2017 (deadline on or before it, not Completed): 18, 7, 5 = 30.
//     Of the document's two "Overdue" rows, line 144 (30/09/17) is overdue by
//     date; line 62 (31/03/18) is not yet due and shows as Delayed, not overdue.
//     Activities' own statuses: 47 On Target, 1 Completed, 2 Delayed.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "report_fixture.h"

namespace gt::report::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const char kPlan2007[] = "organisations/th/plans/2007-08";
const char kPlan2017[] = "organisations/th/plans/2017-18";

struct Listed {
  std::string priority, outcome, activity;
  int ordinal;
  std::string title, comment;
  bool operator==(const Listed& o) const {
    return std::tie(priority, outcome, activity, ordinal, title, comment) ==
           std::tie(o.priority, o.outcome, o.activity, o.ordinal, o.title, o.comment);
  }
};

std::ostream& operator<<(std::ostream& os, const Listed& l) {
  return os << l.activity << " #" << l.ordinal << " " << l.title.substr(0, 50);
}

TEST(SeedAcceptanceTest, EndOfYear2007ListsExactlyTheOverdueMilestonesOf001) {
  World().Plan2007();
  auto eoy = EndOfYear(ReportWorld::Request(kPlan2007, "2008-03-31"));
  ASSERT_TRUE(eoy.status.ok()) << eoy.status.error_message();
  const v1::EndOfYearReport& r = eoy.value;

  // What the document lists, in its order, grouped theme -> objective ->
  // key activity.
  auto document = importers::ReadOverdueActivities2007(ReadSeed(kOverdue2007));
  ASSERT_TRUE(document.ok());
  std::vector<Listed> expected;
  for (const auto& im : document->milestones) {
    const auto& p = document->tree.priorities(im.activity_path[0]);
    const auto& o = p.outcomes(im.activity_path[1]);
    const auto& a = o.activities(im.activity_path[2]);
    expected.push_back({p.code(), o.code(), a.code(), im.milestone.ordinal(), im.milestone.title(),
                        im.milestone.latest_comment()});
  }
  ASSERT_EQ(expected.size(), 117u);
  // Within an objective, activities follow the merged plan's order: 000 came
  // first and keeps its order, and 001's activities that 000 lacks join
  // after them (000 lists 03.01.01h before 03.01.01g, so the merge cannot
  // place 001's 03.01.01b by code). Only 03.01.01b and h change places.
  std::map<std::string, int> rank;
  for (const auto& p : World().Plan2007().tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        rank.emplace(a.code(), static_cast<int>(rank.size()));
      }
    }
  }
  std::vector<std::string> document_order;
  for (const Listed& e : expected) {
    if (document_order.empty() || document_order.back() != e.activity) {
      document_order.push_back(e.activity);
    }
  }
  std::stable_sort(expected.begin(), expected.end(), [&](const Listed& a, const Listed& b) {
    return rank[a.activity] < rank[b.activity];
  });
  std::vector<std::string> plan_order;
  for (const Listed& e : expected) {
    if (plan_order.empty() || plan_order.back() != e.activity) {
      plan_order.push_back(e.activity);
    }
  }
  std::vector<std::string> moved;
  for (size_t i = 0; i < plan_order.size(); ++i) {
    if (plan_order[i] != document_order[i]) {
      moved.push_back(plan_order[i]);
    }
  }
  EXPECT_THAT(moved, ElementsAre("03.01.01h", "03.01.01b"));

  std::vector<Listed> listed;
  std::set<std::pair<std::string, int>> baseline_only;
  std::set<std::pair<std::string, int>> not_due;
  std::vector<std::string> themes;
  int objectives = 0;
  int activities = 0;
  for (const auto& p : r.overdue()) {
    themes.push_back(absl::StrCat(p.code(), ". ", p.title()));
    for (const auto& o : p.outcomes()) {
      ++objectives;
      for (const auto& a : o.activities()) {
        ++activities;
        for (const auto& m : a.milestones()) {
          listed.push_back(
              {p.code(), o.code(), a.code(), m.ordinal(), m.title(), m.latest_comment()});
          EXPECT_FALSE(m.latest_comment().empty()) << a.code() << " #" << m.ordinal();
          if (!m.overdue() && m.overdue_against_baseline()) {
            baseline_only.insert({a.code(), m.ordinal()});
          } else if (!m.overdue()) {
            not_due.insert({a.code(), m.ordinal()});
          }
        }
      }
    }
  }
  EXPECT_EQ(listed.size(), expected.size());
  for (size_t i = 0; i < listed.size() && i < expected.size(); ++i) {
    const Listed& l = listed[i];
    const Listed& e = expected[i];
    EXPECT_EQ(l, e) << "#" << i << "\n got: " << l.priority << " / " << l.outcome << " / "
                    << l.activity << " #" << l.ordinal << " " << l.title << "\n   | " << l.comment
                    << "\nwant: " << e.priority << " / " << e.outcome << " / " << e.activity << " #"
                    << e.ordinal << " " << e.title << "\n   | " << e.comment;
  }
  EXPECT_THAT(
      themes,
      ElementsAre("1. LIVING SAFELY", "2. LIVING WELL", "3. CREATING AND SHARING PROSPERITY",
                  "4. LEARNING, ACHIEVEMENT AND LEISURE", "5. EXCELLENT PUBLIC SERVICES"));
  EXPECT_EQ(objectives, 50);
  EXPECT_EQ(activities, 86);
  EXPECT_EQ(r.overdue_activity_count(), 86);
  EXPECT_EQ(r.overdue_milestone_count(), 108);
  EXPECT_EQ(r.overdue_against_baseline_only_count(), 3);
  EXPECT_EQ(r.delayed_not_due_count(), 6);
  EXPECT_THAT(baseline_only, UnorderedElementsAre(std::pair<std::string, int>{"01.01.10a", 2},
                                                  std::pair<std::string, int>{"05.01.06c", 1},
                                                  std::pair<std::string, int>{"05.01.16a", 3}));
  EXPECT_THAT(not_due, UnorderedElementsAre(std::pair<std::string, int>{"02.03.03a", 2},
                                            std::pair<std::string, int>{"03.02.01b", 1},
                                            std::pair<std::string, int>{"05.01.06a", 2},
                                            std::pair<std::string, int>{"05.01.13e", 2},
                                            std::pair<std::string, int>{"05.01.13e", 3},
                                            std::pair<std::string, int>{"05.04.03h", 1}));
  // The first milestone in full, as the document prints it.
  const auto& first = r.overdue(0).outcomes(0).activities(0);
  EXPECT_EQ(first.code(), "01.01.01d");
  EXPECT_EQ(first.title(), "Provide support to offenders to reduce reoffending");
  EXPECT_EQ(first.milestones(0).current_deadline(), "2008-03-31");
  EXPECT_TRUE(first.milestones(0).overdue());
  // A revised deadline shows its baseline.
  for (const auto& o : r.overdue(0).outcomes()) {
    for (const auto& a : o.activities()) {
      if (a.code() == "01.01.10a") {
        EXPECT_EQ(a.milestones(0).baseline_deadline(), "2007-10-31");
        EXPECT_EQ(a.milestones(0).current_deadline(), "2008-10-31");
        EXPECT_EQ(a.milestones(0).revision_count(), 1);
      }
    }
  }

  // The completed section is 000's key activities, grouped theme ->
  // objective, but for one: 03.01.01h "Develop a carbon reduction strategy" is
  // in both appendices (completed in 000, its milestone "Strategy scoping
  // document to Cabinet- September 2007" overdue in 001). An activity with a
  // milestone not completed is not completed: it is in the overdue section.
  auto completed = importers::ReadCompletedActivities2007(ReadSeed(kCompleted2007));
  ASSERT_TRUE(completed.ok());
  std::vector<std::string> expected_done;
  for (const auto& p : completed->tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        if (a.code() != "03.01.01h") {
          expected_done.push_back(a.code());
        }
      }
    }
  }
  std::vector<std::string> done;
  for (const auto& p : r.completed()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        done.push_back(a.code());
        EXPECT_EQ(a.status_source(), v1::REPORTED) << a.code();
      }
    }
  }
  std::sort(expected_done.begin(), expected_done.end());
  for (const std::string& code : expected_done) {
    if (std::find(done.begin(), done.end(), code) == done.end()) {
      ADD_FAILURE() << code << " of 000 is not in the completed section";
    }
  }
  std::vector<std::string> sorted_done = done;
  std::sort(sorted_done.begin(), sorted_done.end());
  EXPECT_EQ(sorted_done, expected_done);
  EXPECT_EQ(r.completed_activity_count(), static_cast<int>(expected_done.size()));
  EXPECT_EQ(expected_done.size(), 277u);
  EXPECT_EQ(std::find(done.begin(), done.end(), "03.01.01h"), done.end());
}

TEST(SeedAcceptanceTest, Progress2017CountsEqualTheDocument) {
  World().Plan2017();
  v1::ProgressReportRequest request;
  *request.mutable_report() = ReportWorld::Request(kPlan2017, "2017-09-30");
  request.set_group_by(v1::BY_PRIORITY);
  auto progress = Progress(request);
  ASSERT_TRUE(progress.status.ok()) << progress.status.error_message();
  const v1::ProgressReport& r = progress.value;
  auto counts = [](const google::protobuf::RepeatedPtrField<v1::StatusCount>& c) {
    std::map<std::string, int> out;
    for (const auto& s : c) {
      out[v1::MilestoneStatus_Name(s.status())] = s.count();
    }
    return out;
  };
  using Counts = std::map<std::string, int>;
  EXPECT_EQ(counts(r.totals()), (Counts{{"ON_TARGET", 141}, {"COMPLETED", 52}, {"DELAYED", 40}}));
  EXPECT_EQ(r.overdue(), 30);
  ASSERT_EQ(r.groups_size(), 3);
  EXPECT_EQ(counts(r.groups(0).status_counts()),
            (Counts{{"ON_TARGET", 64}, {"COMPLETED", 22}, {"DELAYED", 16}}));
  EXPECT_EQ(counts(r.groups(1).status_counts()),
            (Counts{{"ON_TARGET", 57}, {"COMPLETED", 20}, {"DELAYED", 15}}));
  EXPECT_EQ(counts(r.groups(2).status_counts()),
            (Counts{{"ON_TARGET", 20}, {"COMPLETED", 10}, {"DELAYED", 9}}));
  EXPECT_EQ(r.groups(0).total(), 102);
  EXPECT_EQ(r.groups(0).overdue(), 18);
  EXPECT_EQ(r.groups(1).overdue(), 7);
  EXPECT_EQ(r.groups(2).overdue(), 5);
  EXPECT_EQ(r.groups(0).label(),
            "1. Creating opportunity by supporting aspiration and tackling poverty");
  // The document's two "Overdue" deliverables: stored DELAYED, one overdue
  // by date and one not yet due.
  int esol = 0;
  for (const auto& g : r.groups()) {
    for (const auto& item : g.items()) {
      if (absl::StartsWith(item.title(), "Deliver a targeted ESOL programme for 50 women")) {
        ++esol;
        EXPECT_EQ(item.status(), v1::DELAYED);
        EXPECT_FALSE(item.overdue());
        EXPECT_EQ(item.deadline(), "2018-03-31");
      }
      if (absl::StartsWith(item.title(), "Integrate equipment, adaptations, Telecare")) {
        ++esol;
        EXPECT_EQ(item.status(), v1::DELAYED);
        EXPECT_TRUE(item.overdue());
        EXPECT_EQ(item.percent_complete(), 50);
        EXPECT_EQ(item.latest_comment(),
                  "A decision still needs to be taken on the longer term options.");
      }
    }
  }
  EXPECT_EQ(esol, 2);

  // Activities: rolled up from their deliverables, with the document's own
  // activity statuses alongside.
  request.set_subject(v1::ACTIVITIES);
  auto activities = Progress(request);
  ASSERT_TRUE(activities.status.ok());
  std::map<std::string, int> reported;
  int total = 0;
  for (const auto& g : activities.value.groups()) {
    for (const auto& item : g.items()) {
      ++total;
      reported[v1::MilestoneStatus_Name(item.reported_status())]++;
      EXPECT_EQ(item.status_source(), v1::ROLLED_UP) << item.code();
    }
  }
  EXPECT_EQ(total, 50);
  EXPECT_EQ(reported, (Counts{{"ON_TARGET", 47}, {"COMPLETED", 1}, {"DELAYED", 2}}));

  // Grouped by directorate: every deliverable is in exactly one group.
  request.set_subject(v1::MILESTONES);
  request.set_group_by(v1::BY_DIRECTORATE);
  auto by_directorate = Progress(request);
  ASSERT_TRUE(by_directorate.status.ok());
  int items = 0;
  for (const auto& g : by_directorate.value.groups()) {
    items += g.total();
  }
  EXPECT_EQ(items, 233);
}

}  // namespace
}  // namespace gt::report::testing
