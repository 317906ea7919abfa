// Layouts of the deadline-revision, action-plan and changes reports.
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "render/document.h"
#include "report_model.h"

namespace gt::report::render {
namespace {

constexpr char kNoDirectorate[] = "No directorate recorded";

std::string Number(double value) {
  std::string text = absl::StrCat(value);
  return text;
}

std::string FieldLabel(const std::string& field) {
  if (field == "status") {
    return "Status";
  }
  if (field == "percent_complete") {
    return "% complete";
  }
  if (field == "current_deadline") {
    return "Deadline";
  }
  if (field == "latest_comment") {
    return "Comment";
  }
  if (field == "milestone") {
    return "Milestone added or removed";
  }
  return field;
}

// A before/after value as a reader wants it: statuses as chips, dates long.
Cell ChangeValue(const std::string& field, const std::string& value) {
  if (field == "status") {
    v1::MilestoneStatus status;
    if (v1::MilestoneStatus_Parse(value, &status)) {
      return StatusCell(status);
    }
  }
  if (field == "current_deadline") {
    return Cell::Text(value.empty() ? "No deadline" : ShortDate(value));
  }
  if (field == "percent_complete") {
    return Cell::Text(absl::StrCat(value, "%"));
  }
  if (field == "milestone" && value.empty()) {
    return Cell::Text("(not in this report)");
  }
  return Cell::Text(value);
}

void CountMilestones(const v1::ReportActivity& a, std::map<int, int>& counts) {
  for (const v1::ReportMilestone& m : a.milestones()) {
    counts[m.status()]++;
  }
}

google::protobuf::RepeatedPtrField<v1::StatusCount> AsCounts(const std::map<int, int>& counts) {
  google::protobuf::RepeatedPtrField<v1::StatusCount> out;
  for (const v1::StatusCount& c : CountStatuses(counts)) {
    *out.Add() = c;
  }
  return out;
}

std::string TrendText(v1::Trend t) {
  switch (t) {
    case v1::IMPROVING:
      return "Improving";
    case v1::WORSENING:
      return "Worsening";
    case v1::NO_CHANGE:
      return "No change";
    default:
      return "";
  }
}

}  // namespace
// The KPI table: code, title, unit, baseline, target, actual, RAG (as
// colour and as text), direction of travel against the previous value and
// a year earlier, note. A column with nothing in any row is left out.
void MeasuresTable(Document& doc, const google::protobuf::RepeatedPtrField<v1::ReportMeasure>& ms,
                   const std::string& caption) {
  if (ms.empty()) {
    return;
  }
  struct Column {
    std::string name;
    bool wide;
    std::function<Cell(const v1::ReportMeasure&)> cell;
  };
  const std::vector<Column> columns = {
      {"Code", false, [](const v1::ReportMeasure& m) { return Cell::Text(m.code()); }},
      {"Measure", true, [](const v1::ReportMeasure& m) { return Cell::Text(m.title()); }},
      {"Unit", false, [](const v1::ReportMeasure& m) { return Cell::Text(m.unit()); }},
      {"Baseline", false,
       [](const v1::ReportMeasure& m) {
         return Cell::Number(m.has_baseline() ? Number(m.baseline()) : "");
       }},
      {"Target", false,
       [](const v1::ReportMeasure& m) {
         std::string target = m.has_target() ? Number(m.target()) : "";
         if (!m.target_text().empty()) {
           target =
               target.empty() ? m.target_text() : absl::StrCat(target, " (", m.target_text(), ")");
         }
         if (!m.target_label().empty() && !target.empty()) {
           absl::StrAppend(&target, " [", m.target_label(), "]");
         }
         return Cell::Text(target);
       }},
      {"Actual", false,
       [](const v1::ReportMeasure& m) {
         if (!m.has_latest_value()) {
           return Cell::Number("");
         }
         return Cell::Number(absl::StrCat(Number(m.latest_value()),
                                          m.provisional() ? " (provisional)" : "", " at ",
                                          m.latest_value_date()));
       }},
      {"RAG", false,
       [](const v1::ReportMeasure& m) {
         switch (m.rag()) {
           case v1::GREEN:
             return Cell::Chip("Green", "rag-green");
           case v1::AMBER:
             return Cell::Chip("Amber", "rag-amber");
           case v1::RED:
             return Cell::Chip("Red", "rag-red");
           default:
             return Cell::Text("");
         }
       }},
      {"Trend", false,
       [](const v1::ReportMeasure& m) {
         std::string t = TrendText(m.trend_previous());
         return Cell::Text(t.empty() ? t
                                     : absl::StrCat(t, " (from ", Number(m.previous_value()), ")"));
       }},
      {"Year on year", false,
       [](const v1::ReportMeasure& m) {
         std::string t = TrendText(m.trend_year());
         return Cell::Text(
             t.empty() ? t : absl::StrCat(t, " (from ", Number(m.year_earlier_value()), ")"));
       }},
      {"Note", true, [](const v1::ReportMeasure& m) { return Cell::Text(m.note()); }},
  };
  Table t;
  t.caption = caption;
  std::vector<std::vector<Cell>> cells(ms.size());
  for (const Column& c : columns) {
    bool any = false;
    std::vector<Cell> column;
    for (const v1::ReportMeasure& m : ms) {
      column.push_back(c.cell(m));
      any = any || !column.back().text.empty();
    }
    if (!any) {
      continue;
    }
    t.columns.push_back(c.name);
    t.wide.push_back(c.wide);
    for (size_t i = 0; i < column.size(); ++i) {
      cells[i].push_back(std::move(column[i]));
    }
  }
  t.rows = std::move(cells);
  doc.AddTable(std::move(t));
}

std::string RagSentence(const google::protobuf::RepeatedPtrField<v1::RagCount>& counts) {
  std::vector<std::string> parts;
  for (const v1::RagCount& c : counts) {
    const char* word = c.rag() == v1::GREEN ? "green" : c.rag() == v1::AMBER ? "amber" : "red";
    parts.push_back(absl::StrCat(c.count(), " ", word));
  }
  return absl::StrJoin(parts, ", ");
}

Document ToDocument(const v1::DeadlineRevisionReport& report) {
  Document doc = Masthead(report.header());
  doc.Facts({{"Milestones with a revised deadline", absl::StrCat(report.milestone_count())},
             {"Revisions", absl::StrCat(report.revision_count())},
             {"Total days slipped", absl::StrCat(report.total_days_slipped())}});
  std::map<int, int> counts;
  for (const auto& d : report.directorates()) {
    for (const auto& m : d.milestones()) {
      counts[m.status()]++;
    }
  }
  doc.AddChart(StatusChart("Revised milestones by status", AsCounts(counts)));
  if (report.directorates().empty()) {
    doc.Paragraph("No deadline has been revised.");
    return doc;
  }
  Table summary;
  summary.caption = "Summary by directorate";
  summary.columns = {"Directorate", "Milestones", "Revisions", "Days slipped"};
  for (const auto& d : report.directorates()) {
    summary.rows.push_back({Cell::Text(d.directorate().empty() ? kNoDirectorate : d.directorate()),
                            Cell::Number(absl::StrCat(d.milestone_count())),
                            Cell::Number(absl::StrCat(d.revision_count())),
                            Cell::Number(absl::StrCat(d.total_days_slipped()))});
  }
  doc.AddTable(std::move(summary));
  for (const auto& d : report.directorates()) {
    doc.Heading(2, d.directorate().empty() ? kNoDirectorate
                                           : absl::StrCat("Directorate: ", d.directorate()));
    Table t;
    t.columns = {"Code",         "Milestone", "Original deadline", "Current deadline", "Revisions",
                 "Days slipped", "Status",    "Why it moved"};
    t.wide = {false, true, false, false, false, false, false, true};
    t.widths = {9, 24, 10, 10, 8, 8, 9, 0};
    for (const auto& m : d.milestones()) {
      std::vector<std::string> reasons;
      for (const auto& r : m.revisions()) {
        reasons.push_back(absl::StrCat(ShortDate(r.previous_deadline()), " to ",
                                       ShortDate(r.new_deadline()), ": ", r.reason()));
      }
      t.rows.push_back({Cell::Text(m.activity_code()), Cell::Text(m.title()),
                        Cell::Text(ShortDate(m.baseline_deadline())),
                        Cell::Text(ShortDate(m.current_deadline())),
                        Cell::Number(absl::StrCat(m.revision_count())),
                        Cell::Number(absl::StrCat(m.days_slipped())), StatusCell(m.status()),
                        Cell::Text(absl::StrJoin(reasons, "\n"))});
    }
    doc.AddTable(std::move(t));
  }
  return doc;
}

Document ToDocument(const v1::ActionPlanReport& report) {
  Document doc = Masthead(report.header());
  int activities = 0;
  int milestones = 0;
  std::map<int, int> counts;
  for (const auto& p : report.priorities()) {
    for (const auto& o : p.outcomes()) {
      activities += o.activities_size();
      for (const auto& a : o.activities()) {
        milestones += a.milestones_size();
        CountMilestones(a, counts);
      }
    }
  }
  doc.Facts({{"Priorities", absl::StrCat(report.priorities_size())},
             {"Activities", absl::StrCat(activities)},
             {"Milestones", absl::StrCat(milestones)}});
  doc.AddChart(
      StatusChart(absl::StrCat("Milestones by status at ", LongDate(report.header().as_of())),
                  AsCounts(counts)));
  for (const auto& p : report.priorities()) {
    doc.Heading(2, PriorityHeading(p.code(), p.title()));
    MeasuresTable(doc, p.measures());
    for (const auto& o : p.outcomes()) {
      doc.Heading(3, CodedHeading(o.code(), o.title()));
      MeasuresTable(doc, o.measures());
      Table t;
      t.caption = "Activities and their milestones";
      t.columns = {"Code", "Activity / milestone", "Lead", "Directorate", "Deadline", "Status"};
      t.wide = {false, true, false, false, false, false};
      t.widths = {8, 0, 20, 10, 14, 10};
      for (const auto& a : o.activities()) {
        std::string lead = a.lead_member();
        if (!a.lead_officer().empty()) {
          lead = lead.empty() ? a.lead_officer() : absl::StrCat(lead, "; ", a.lead_officer());
        }
        t.rows.push_back({Cell::Text(a.code()), Cell::Text(a.title()), Cell::Text(lead),
                          Cell::Text(a.directorate()), Cell::Text(ShortDate(a.deadline())),
                          StatusCell(a.status())});
        t.row_classes.push_back("activity");
        for (const auto& m : a.milestones()) {
          std::string deadline = MilestoneDeadlineText(m);
          t.rows.push_back(
              {Cell::Text(""),
               Cell::Text(m.ordinal() > 0 ? absl::StrCat(m.ordinal(), ". ", m.title()) : m.title()),
               Cell::Text(m.lead_officer()), Cell::Text(m.directorate()), Cell::Text(deadline),
               StatusCell(m.status())});
          t.row_classes.push_back("milestone");
        }
      }
      doc.AddTable(std::move(t));
    }
  }
  return doc;
}

Document ToDocument(const v1::ChangesReport& report) {
  Document doc = Masthead(report.header());
  auto describe = [](const v1::ReportRequest& r) {
    std::string text = absl::StrCat("as of ", LongDate(r.as_of()));
    if (r.has_published_at()) {
      absl::StrAppend(&text, ", as published at ", Instant(r.published_at()));
    } else {
      absl::StrAppend(&text, ", as recorded now");
    }
    return text;
  };
  std::map<std::string, int> by_field;
  std::map<std::string, bool> milestones;
  for (const auto& c : report.changes()) {
    by_field[c.field()]++;
    milestones[c.milestone()] = true;
  }
  // The two reports' own dates say it all; the masthead's single as-of
  // would be half the story.
  doc.meta.erase(doc.meta.begin());
  doc.meta.insert(doc.meta.begin(), {"From the report", describe(report.from())});
  doc.meta.insert(doc.meta.begin() + 1, {"To the report", describe(report.to())});
  doc.Facts({{"Changes", absl::StrCat(report.changes_size())},
             {"Milestones changed", absl::StrCat(milestones.size())}});
  Chart chart;
  chart.title = "Changes by what changed";
  for (const char* field :
       {"status", "percent_complete", "current_deadline", "latest_comment", "milestone"}) {
    auto it = by_field.find(field);
    if (it != by_field.end()) {
      chart.bars.push_back({FieldLabel(field), it->second, "neutral"});
    }
  }
  doc.AddChart(std::move(chart));
  doc.Heading(2, "What was restated");
  if (report.changes().empty()) {
    doc.Paragraph("Nothing changed between the two reports.");
    return doc;
  }
  Table t;
  t.columns = {"Code", "Milestone", "What changed", "Before", "After"};
  t.wide = {false, true, false, true, true};
  t.widths = {8, 24, 12, 0, 0};
  std::string previous;
  for (const auto& c : report.changes()) {
    // Several changes of one milestone read as one block.
    const bool same = c.milestone() == previous;
    previous = c.milestone();
    t.rows.push_back({Cell::Text(same ? "" : c.activity_code()), Cell::Text(same ? "" : c.title()),
                      Cell::Text(FieldLabel(c.field())), ChangeValue(c.field(), c.before()),
                      ChangeValue(c.field(), c.after())});
    t.row_classes.push_back(same ? "continued" : "");
  }
  doc.AddTable(std::move(t));
  return doc;
}

}  // namespace gt::report::render
