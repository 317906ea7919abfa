#include "render/document.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gt/dates.h"
#include "gt/timestamps.h"
#include "report_model.h"

namespace gt::report::render {

namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

}  // namespace

void Document::Heading(int level, std::string text) {
  Block b;
  b.kind = Block::Kind::kHeading;
  b.level = level;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::Paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::Facts(std::vector<std::pair<std::string, std::string>> facts) {
  Block b;
  b.kind = Block::Kind::kFacts;
  b.facts = std::move(facts);
  blocks.push_back(std::move(b));
}

void Document::AddChart(Chart chart) {
  Block b;
  b.kind = Block::Kind::kChart;
  b.chart = std::move(chart);
  blocks.push_back(std::move(b));
}

void Document::AddTable(Table table) {
  table.wide.resize(table.columns.size(), false);
  if (!table.widths.empty()) {
    table.widths.resize(table.columns.size(), 0);
  }
  table.row_classes.resize(table.rows.size());
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = std::move(table);
  blocks.push_back(std::move(b));
}

std::string LongDate(const std::string& iso) {
  auto day = ParseDate("date", iso);
  if (!day.ok()) {
    return iso;
  }
  return absl::StrCat(day->day(), " ", kMonths[day->month() - 1], " ", day->year());
}

std::string ShortDate(const std::string& iso) {
  auto day = ParseDate("date", iso);
  if (!day.ok()) {
    return iso;
  }
  return absl::StrCat(day->day(), " ", std::string(kMonths[day->month() - 1]).substr(0, 3), " ",
                      day->year());
}

std::string MilestoneDeadlineText(const goldenthread::v1::ReportMilestone& m) {
  if (m.current_deadline().empty()) {
    return "No deadline";
  }
  std::string text = ShortDate(m.current_deadline());
  if (!m.baseline_deadline().empty() && m.baseline_deadline() != m.current_deadline()) {
    absl::StrAppend(&text, " (originally ", ShortDate(m.baseline_deadline()), ")");
  }
  if (m.deadline_assumed()) {
    absl::StrAppend(&text, " (deadline assumed)");
  }
  return text;
}

std::string Instant(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", FromTimestamp(ts), absl::UTCTimeZone());
}

std::string StatusChip(v1::MilestoneStatus status) {
  switch (status) {
    case v1::NOT_STARTED:
      return "not-started";
    case v1::ON_TARGET:
      return "on-target";
    case v1::DELAYED:
      return "delayed";
    case v1::COMPLETED:
      return "completed";
    case v1::DEFERRED:
      return "deferred";
    case v1::CANCELLED:
      return "cancelled";
    default:
      return "neutral";
  }
}

Cell StatusCell(v1::MilestoneStatus status) {
  if (status == v1::MILESTONE_STATUS_UNSPECIFIED) {
    return Cell::Text("");
  }
  return Cell::Chip(StatusLabel(status), StatusChip(status));
}

Cell OverdueCell(bool overdue, bool against_baseline) {
  if (overdue) {
    return Cell::Chip("Overdue", "overdue");
  }
  if (against_baseline) {
    return Cell::Chip("Overdue against original deadline", "baseline");
  }
  return Cell::Text("");
}

Chart StatusChart(const std::string& title,
                  const google::protobuf::RepeatedPtrField<v1::StatusCount>& counts) {
  Chart chart;
  chart.title = title;
  for (const v1::StatusCount& c : counts) {
    chart.bars.push_back({StatusLabel(c.status()), c.count(), StatusChip(c.status())});
  }
  return chart;
}

std::string PriorityHeading(const std::string& code, const std::string& title) {
  bool numeric = !code.empty() && code.find_first_not_of("0123456789") == std::string::npos;
  return numeric ? absl::StrCat(code, ". ", title) : CodedHeading(code, title);
}

std::string CodedHeading(const std::string& code, const std::string& title) {
  return code.empty() ? title : absl::StrCat(code, " ", title);
}

Document Masthead(const v1::ReportHeader& header) {
  Document doc;
  doc.organisation = header.organisation_display_name();
  doc.title = header.title();
  doc.plan_line = header.plan_title();
  if (!header.period_start().empty()) {
    absl::StrAppend(&doc.plan_line, ", ", LongDate(header.period_start()), " to ",
                    LongDate(header.period_end()));
  }
  doc.meta.emplace_back("As of", LongDate(header.as_of()));
  if (header.has_published_at()) {
    doc.meta.emplace_back("As published at", Instant(header.published_at()));
  }
  doc.meta.emplace_back("Generated", Instant(header.generated_at()));
  return doc;
}

}  // namespace gt::report::render
