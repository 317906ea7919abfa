// Markdown (CommonMark + GitHub tables), for pasting into a wiki, an email or
// a pull request.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "render/renderers.h"

namespace gt::report::render {
namespace {

// Text that must not start markup: table pipes, emphasis, headings, HTML.
std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"\\", "\\\\"},
                                    {"|", "\\|"},
                                    {"*", "\\*"},
                                    {"_", "\\_"},
                                    {"`", "\\`"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"[", "\\["},
                                    {"]", "\\]"},
                                    {"#", "\\#"}});
}

// A table cell is one line: line breaks become <br>, which GitHub renders.
std::string CellText(const Cell& cell) {
  std::string text = Escape(cell.text);
  text = absl::StrReplaceAll(text, {{"\r\n", "<br>"}, {"\n", "<br>"}, {"\r", "<br>"}});
  if (!cell.chip.empty() && !text.empty()) {
    return absl::StrCat("**", text, "**");
  }
  return text;
}

void AppendTable(std::string& out, const Table& t) {
  if (!t.caption.empty()) {
    absl::StrAppend(&out, "*", Escape(t.caption), "*\n\n");
  }
  absl::StrAppend(&out, "|");
  for (const std::string& c : t.columns) {
    absl::StrAppend(&out, " ", Escape(c), " |");
  }
  absl::StrAppend(&out, "\n|");
  for (size_t i = 0; i < t.columns.size(); ++i) {
    bool numeric = !t.rows.empty() && i < t.rows[0].size() && t.rows[0][i].numeric;
    absl::StrAppend(&out, numeric ? " ---: |" : " --- |");
  }
  absl::StrAppend(&out, "\n");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const bool heading_row = r < t.row_classes.size() && t.row_classes[r] == "activity";
    absl::StrAppend(&out, "|");
    for (const Cell& cell : t.rows[r]) {
      std::string text = CellText(cell);
      if (heading_row && !text.empty() && cell.chip.empty()) {
        text = absl::StrCat("**", text, "**");
      }
      absl::StrAppend(&out, " ", text, " |");
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "\n");
}

void AppendChart(std::string& out, const Chart& chart) {
  // A text bar chart: readable in any viewer, and in plain text too.
  int max = 0;
  for (const Bar& b : chart.bars) {
    max = std::max(max, b.value);
  }
  absl::StrAppend(&out, "**", Escape(chart.title), "**\n\n");
  if (chart.bars.empty()) {
    absl::StrAppend(&out, "(nothing to chart)\n\n");
    return;
  }
  absl::StrAppend(&out, "```text\n");
  size_t width = 0;
  for (const Bar& b : chart.bars) {
    width = std::max(width, b.label.size());
  }
  for (const Bar& b : chart.bars) {
    int cells = max == 0 ? 0 : (b.value * 40 + max - 1) / max;
    std::string bar;
    for (int i = 0; i < cells; ++i) {
      bar += "\u2588";
    }
    absl::StrAppend(&out, b.label, std::string(width - b.label.size() + 2, ' '), bar, " ", b.value,
                    "\n");
  }
  absl::StrAppend(&out, "```\n\n");
}

}  // namespace

std::string RenderMarkdown(const Document& doc) {
  std::string out;
  if (!doc.organisation.empty()) {
    absl::StrAppend(&out, Escape(doc.organisation), "\n\n");
  }
  absl::StrAppend(&out, "# ", Escape(doc.title), "\n\n");
  absl::StrAppend(&out, "**", Escape(doc.plan_line), "**\n\n");
  for (const auto& [label, value] : doc.meta) {
    absl::StrAppend(&out, "- ", Escape(label), ": ", Escape(value), "\n");
  }
  absl::StrAppend(&out, "\n");
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading:
        absl::StrAppend(&out, std::string(b.level, '#'), " ", Escape(b.text), "\n\n");
        break;
      case Block::Kind::kParagraph:
        absl::StrAppend(&out, Escape(b.text), "\n\n");
        break;
      case Block::Kind::kFacts:
        for (const auto& [label, value] : b.facts) {
          absl::StrAppend(&out, "- **", Escape(label), ":** ", Escape(value), "\n");
        }
        absl::StrAppend(&out, "\n");
        break;
      case Block::Kind::kChart:
        AppendChart(out, b.chart);
        break;
      case Block::Kind::kTable:
        AppendTable(out, b.table);
        break;
    }
  }
  return out;
}

}  // namespace gt::report::render
