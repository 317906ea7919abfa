// Layouts of the end-of-year and progress reports.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "render/document.h"
#include "report_model.h"

namespace gt::report::render {
namespace {

std::string Percent(double value) { return absl::StrFormat("%.0f%%", value); }

// "31 Mar 2008", or "31 Oct 2008 (originally 31 Oct 2007)" when revised.
std::string DeadlineText(const std::string& deadline) {
  return deadline.empty() ? "No deadline" : ShortDate(deadline);
}

// Why a milestone is in the overdue section, as a chip.
Cell WhyListed(const v1::ReportMilestone& m) {
  if (m.overdue()) {
    return Cell::Chip("Overdue", "overdue");
  }
  if (m.overdue_against_baseline()) {
    return Cell::Chip("Overdue against original deadline", "baseline");
  }
  return Cell::Chip("Not yet due, reported delayed", "due");
}

std::string ActivityLine(const v1::ReportActivity& a) {
  std::vector<std::string> parts;
  if (!a.lead_member().empty()) {
    parts.push_back(absl::StrCat("Lead member: ", a.lead_member()));
  }
  if (!a.lead_officer().empty()) {
    parts.push_back(absl::StrCat("Lead officer: ", a.lead_officer()));
  }
  if (!a.directorate().empty()) {
    parts.push_back(absl::StrCat("Directorate: ", a.directorate()));
  }
  return absl::StrJoin(parts, " · ");
}

std::string GroupingName(v1::Grouping g) {
  switch (g) {
    case v1::BY_OUTCOME:
      return "outcome";
    case v1::BY_DIRECTORATE:
      return "directorate";
    case v1::BY_LEAD_OFFICER:
      return "lead officer";
    case v1::BY_LEAD_MEMBER:
      return "lead member";
    default:
      return "priority";
  }
}

std::string CountsSentence(const v1::ProgressGroup& g, const std::string& noun) {
  std::vector<std::string> parts;
  for (const v1::StatusCount& c : g.status_counts()) {
    parts.push_back(absl::StrCat(c.count(), " ", StatusLabel(c.status())));
  }
  return absl::StrCat(g.total(), " ", noun, ": ", absl::StrJoin(parts, ", "), ". ", g.overdue(),
                      " overdue. Mean ", Percent(g.mean_percent_complete()), " complete.");
}

}  // namespace

Document ToDocument(const v1::EndOfYearReport& report) {
  Document doc = Masthead(report.header());
  const std::string as_of = LongDate(report.header().as_of());
  doc.Facts({
      {"Completed activities", absl::StrCat(report.completed_activity_count())},
      {"Activities with overdue milestones", absl::StrCat(report.overdue_activity_count())},
      {"Milestones overdue", absl::StrCat(report.overdue_milestone_count())},
      {"Overdue against original deadline only",
       absl::StrCat(report.overdue_against_baseline_only_count())},
      {"Reported delayed, not yet due", absl::StrCat(report.delayed_not_due_count())},
  });
  doc.AddChart(StatusChart(absl::StrCat("Activities by status at ", as_of),
                           report.activity_status_counts()));
  doc.AddChart(StatusChart(absl::StrCat("Milestones by status at ", as_of),
                           report.milestone_status_counts()));

  doc.Heading(2, "Completed activities");
  if (report.completed().empty()) {
    doc.Paragraph(absl::StrCat("No activity was completed by ", as_of, "."));
  }
  for (const v1::ReportPriority& p : report.completed()) {
    doc.Heading(3, PriorityHeading(p.code(), p.title()));
    for (const v1::ReportOutcome& o : p.outcomes()) {
      doc.Heading(4, CodedHeading(o.code(), o.title()));
      Table t;
      t.columns = {"Code", "Activity", "Status", "Status from"};
      t.wide = {false, true, false, false};
      t.widths = {11, 0, 12, 14};
      for (const v1::ReportActivity& a : o.activities()) {
        t.rows.push_back(
            {Cell::Text(a.code()), Cell::Text(a.title()), StatusCell(a.status()),
             Cell::Text(a.status_source() == v1::ROLLED_UP ? "Its milestones" : "Reported")});
      }
      doc.AddTable(std::move(t));
    }
  }

  doc.Heading(2, "Overdue activities");
  doc.Paragraph(absl::StrCat(
      "Milestones not completed by ", as_of,
      ": overdue against their current deadline, overdue against their original deadline "
      "(the deadline has since been moved), or reported delayed by their officer before "
      "the deadline. Each with its latest comment."));
  if (report.overdue().empty()) {
    doc.Paragraph("No activity is overdue.");
  }
  for (const v1::ReportPriority& p : report.overdue()) {
    doc.Heading(3, PriorityHeading(p.code(), p.title()));
    for (const v1::ReportOutcome& o : p.outcomes()) {
      doc.Heading(4, CodedHeading(o.code(), o.title()));
      for (const v1::ReportActivity& a : o.activities()) {
        doc.Heading(5, CodedHeading(a.code(), a.title()));
        std::string line = ActivityLine(a);
        if (!line.empty()) {
          doc.Paragraph(line);
        }
        Table t;
        t.columns = {"Progress milestone", "Deadline", "Status", "Overdue", "Comments"};
        t.wide = {true, false, false, false, true};
        t.widths = {28, 12, 10, 13, 0};
        if (a.milestones().empty()) {
          t.rows.push_back({Cell::Text("(the activity itself)"),
                            Cell::Text(DeadlineText(a.deadline())), StatusCell(a.status()),
                            OverdueCell(a.overdue(), false), Cell::Text(a.comment())});
        }
        for (const v1::ReportMilestone& m : a.milestones()) {
          std::string title =
              m.ordinal() > 0 ? absl::StrCat(m.ordinal(), ". ", m.title()) : m.title();
          t.rows.push_back({Cell::Text(title), Cell::Text(MilestoneDeadlineText(m)),
                            StatusCell(m.status()), WhyListed(m), Cell::Text(m.latest_comment())});
        }
        doc.AddTable(std::move(t));
      }
    }
  }
  return doc;
}

Document ToDocument(const v1::ProgressReport& report) {
  Document doc = Masthead(report.header());
  const bool activities = report.subject() == v1::ACTIVITIES;
  const std::string noun = activities ? "activities" : "milestones";
  int items = 0;
  for (const v1::ProgressGroup& g : report.groups()) {
    items += g.total();
  }
  doc.meta.insert(doc.meta.begin() + 1,
                  {"Reporting on", absl::StrCat(noun, " by ", GroupingName(report.group_by()))});
  std::vector<std::pair<std::string, std::string>> facts = {
      {activities ? "Activities" : "Milestones", absl::StrCat(items)},
      {"Overdue", absl::StrCat(report.overdue())},
      {"Mean % complete", Percent(report.mean_percent_complete())},
  };
  if (!report.rag_counts().empty()) {
    facts.push_back({"Measures (RAG)", RagSentence(report.rag_counts())});
  }
  doc.Facts(facts);
  doc.AddChart(StatusChart(absl::StrCat(activities ? "Activities" : "Milestones", " by status at ",
                                        LongDate(report.header().as_of())),
                           report.totals()));

  // At a glance: one row per group, one column per status present anywhere.
  Table summary;
  summary.caption = absl::StrCat("Summary by ", GroupingName(report.group_by()));
  summary.columns = {"Group", "Total"};
  for (const v1::StatusCount& c : report.totals()) {
    summary.columns.push_back(StatusLabel(c.status()));
  }
  summary.columns.push_back("Overdue");
  summary.columns.push_back("Mean %");
  for (const v1::ProgressGroup& g : report.groups()) {
    std::vector<Cell> row = {Cell::Text(g.label()), Cell::Number(absl::StrCat(g.total()))};
    for (const v1::StatusCount& total : report.totals()) {
      int n = 0;
      for (const v1::StatusCount& c : g.status_counts()) {
        n = c.status() == total.status() ? c.count() : n;
      }
      row.push_back(Cell::Number(absl::StrCat(n)));
    }
    row.push_back(Cell::Number(absl::StrCat(g.overdue())));
    row.push_back(Cell::Number(Percent(g.mean_percent_complete())));
    summary.rows.push_back(std::move(row));
  }
  doc.AddTable(std::move(summary));

  for (const v1::ProgressGroup& g : report.groups()) {
    doc.Heading(2, g.label());
    doc.Paragraph(CountsSentence(g, noun));
    Table t;
    if (activities) {
      t.columns = {"Code",        "Activity",        "Lead member", "Deadline", "Status",
                   "Status from", "Reported status", "% complete",  "Overdue",  "Comment"};
      t.wide = {false, true, false, false, false, false, false, false, false, true};
      t.widths = {6, 19, 12, 8, 9, 9, 9, 6, 8, 0};
    } else {
      t.columns = {"Code",   "Milestone",  "Lead officer", "Deadline",
                   "Status", "% complete", "Overdue",      "Latest comment"};
      t.wide = {false, true, false, false, false, false, false, true};
      t.widths = {6, 22, 13, 9, 9, 7, 9, 0};
    }
    for (const v1::ProgressItem& item : g.items()) {
      std::vector<Cell> row = {
          Cell::Text(item.code()), Cell::Text(item.title()),
          Cell::Text(item.directorate().empty()
                         ? item.lead()
                         : absl::StrCat(item.lead(), " (", item.directorate(), ")")),
          Cell::Text(ShortDate(item.deadline())), StatusCell(item.status())};
      if (activities) {
        row.push_back(
            Cell::Text(item.status_source() == v1::ROLLED_UP ? "Its milestones" : "Reported"));
        row.push_back(StatusCell(item.reported_status()));
      }
      row.push_back(Cell::Number(absl::StrCat(item.percent_complete(), "%")));
      row.push_back(OverdueCell(item.overdue(), item.overdue_against_baseline()));
      row.push_back(Cell::Text(item.latest_comment()));
      t.rows.push_back(std::move(row));
    }
    doc.AddTable(std::move(t));
  }
  if (!report.measures().empty()) {
    doc.Heading(2, "Performance measures");
    for (const v1::MeasureGroup& g : report.measures()) {
      MeasuresTable(doc, g.measures(), CodedHeading(g.code(), g.title()));
    }
  }
  return doc;
}

}  // namespace gt::report::render
