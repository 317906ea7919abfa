#pragma once

#include <string>
#include <utility>
#include <vector>

#include "goldenthread/v1/report.pb.h"

// A report laid out for reading: headings, facts, a status chart and tables.
// Markdown and HTML render this one layout, so the two always say the same
// thing; what each report shows, and in what order, is decided once, here
// (document_*.cc), not per format.
namespace gt::report::render {

namespace v1 = goldenthread::v1;

struct Cell {
  std::string text;
  // Non-empty: shown as a chip (HTML) of this kind, e.g. "delayed",
  // "overdue"; the text is always the chip's label, so nothing depends on
  // colour alone.
  std::string chip;
  bool numeric = false;

  static Cell Text(std::string text) { return Cell{std::move(text), "", false}; }
  static Cell Number(std::string text) { return Cell{std::move(text), "", true}; }
  static Cell Chip(std::string text, std::string chip) {
    return Cell{std::move(text), std::move(chip), false};
  }
};

struct Table {
  std::string caption;
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  // Columns allowed to wrap long prose (comments); others stay compact.
  std::vector<bool> wide;
  // Share of the page width per column, in percent (0: what is left), so
  // that the many small tables of one report line up. Empty: automatic.
  std::vector<int> widths;
  // Per row, empty or: "activity" (a heading row, e.g. an activity above
  // its milestones), "milestone" (a row under one), "continued" (more of the
  // row above, its leading cells left blank).
  std::vector<std::string> row_classes;
};

struct Bar {
  std::string label;
  int value = 0;
  std::string chip;
};

struct Chart {
  std::string title;
  std::vector<Bar> bars;
};

struct Block {
  enum class Kind { kHeading, kParagraph, kFacts, kChart, kTable };
  Kind kind = Kind::kParagraph;
  int level = 2;     // headings: 2..5
  std::string text;  // heading or paragraph
  std::vector<std::pair<std::string, std::string>> facts;
  Chart chart;
  Table table;
};

struct Document {
  // Masthead: organisation, report title, plan and period, as-of line.
  std::string organisation;
  std::string title;
  std::string plan_line;
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<Block> blocks;

  void Heading(int level, std::string text);
  void Paragraph(std::string text);
  void Facts(std::vector<std::pair<std::string, std::string>> facts);
  void AddChart(Chart chart);
  void AddTable(Table table);
};

// "31 March 2008"; "" stays "".
std::string LongDate(const std::string& iso);
// "31 Mar 2008", for table cells.
std::string ShortDate(const std::string& iso);
// A milestone's deadline as every report prints it: the current one, the
// original when it moved ("31/12/17 (originally 30/09/17)"), "No deadline",
// and "(deadline assumed)" when an importer inferred it.
std::string MilestoneDeadlineText(const goldenthread::v1::ReportMilestone& m);
// "2008-05-01 09:30 UTC".
std::string Instant(const google::protobuf::Timestamp& ts);
// Chip kind of a status: "on-target", "delayed", ...
std::string StatusChip(v1::MilestoneStatus status);
Cell StatusCell(v1::MilestoneStatus status);
// "Overdue" / "Overdue (baseline)" / "" as a chip cell.
Cell OverdueCell(bool overdue, bool against_baseline);
// Status counts as a chart.
Chart StatusChart(const std::string& title,
                  const google::protobuf::RepeatedPtrField<v1::StatusCount>& counts);
// "1. LIVING SAFELY" for a numbered priority, "A Great Place" as it is.
std::string PriorityHeading(const std::string& code, const std::string& title);
// "01.01.01 To reduce crime", or the title alone without a code.
std::string CodedHeading(const std::string& code, const std::string& title);
// The masthead common to every report.
Document Masthead(const v1::ReportHeader& header);

// The KPI table of a priority or outcome (document_plan.cc): a column with
// nothing in any row is left out; RAG as colour and text.
void MeasuresTable(Document& doc,
                   const google::protobuf::RepeatedPtrField<v1::ReportMeasure>& measures,
                   const std::string& caption = "Performance measures");
// "3 green, 1 amber, 2 red" (only those present); "" when none.
std::string RagSentence(const google::protobuf::RepeatedPtrField<v1::RagCount>& counts);

Document ToDocument(const v1::EndOfYearReport& report);
Document ToDocument(const v1::ProgressReport& report);
Document ToDocument(const v1::DeadlineRevisionReport& report);
Document ToDocument(const v1::ActionPlanReport& report);
Document ToDocument(const v1::ChangesReport& report);

}  // namespace gt::report::render
