// One self-contained HTML page a council can publish or print: inline CSS,
// the chart as inline SVG, no scripts, fonts, images or links to fetch.
// Everything coloured also carries its meaning as text (status chips are
// labelled, bars have their label and count beside them), so the page reads
// the same in greyscale print or to a screen reader.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "render/renderers.h"

namespace gt::report::render {
namespace {

constexpr char kStyle[] = R"css(
:root{--ink:#1b1f24;--muted:#545d69;--rule:#d3d8de;--brand:#0b4f6c;--band:#eef2f6}
*{box-sizing:border-box}
@page{size:A4;margin:14mm 12mm}
body{margin:0;color:var(--ink);background:#fff;font:14px/1.45 "Helvetica Neue",Arial,"Liberation Sans",sans-serif}
.page{max-width:1120px;margin:0 auto;padding:28px 36px 40px}
.masthead{border-bottom:5px solid var(--brand);padding-bottom:14px;margin-bottom:8px}
.org{margin:0;color:var(--brand);font-weight:700;letter-spacing:.08em;text-transform:uppercase;font-size:13px}
h1{font-size:30px;line-height:1.15;margin:6px 0 4px}
.plan{margin:0 0 10px;font-size:16px;color:var(--muted)}
dl.meta{display:flex;flex-wrap:wrap;gap:2px 28px;margin:0;font-size:13px;color:var(--muted)}
dl.meta div{display:flex;gap:6px}dl.meta dt{font-weight:700}dl.meta dd{margin:0}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:10px;margin:18px 0 6px;padding:0;list-style:none}
.facts li{border:1px solid var(--rule);border-left:5px solid var(--brand);border-radius:4px;padding:8px 12px}
.facts .value{display:block;font-size:22px;font-weight:700;line-height:1.2}
.facts .label{display:block;font-size:12px;color:var(--muted)}
figure.chart{margin:14px 0 18px}
figure.chart figcaption{font-weight:700;margin-bottom:6px}
h2{font-size:22px;color:var(--brand);border-bottom:2px solid var(--rule);padding-bottom:4px;margin:34px 0 10px}
h3{font-size:18px;margin:26px 0 8px}
h4{font-size:15.5px;margin:18px 0 6px;color:#243447}
h5{font-size:14px;margin:16px 0 4px}
p{margin:6px 0 10px}
table{border-collapse:collapse;width:100%;margin:6px 0 18px;font-size:13px}
caption{text-align:left;font-weight:700;padding:0 0 6px}
th{background:var(--band);text-align:left;vertical-align:bottom;padding:6px 8px;border-bottom:2px solid #98a2ae;font-weight:700}
td{padding:6px 8px;border-bottom:1px solid var(--rule);vertical-align:top}
tbody tr:nth-child(even) td{background:#f8f9fb}
.num{text-align:right;white-space:nowrap}
td.wide{min-width:14em}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}
tr.activity td{background:#e8eff5;font-weight:700;border-top:2px solid #b8c7d3}
tr.milestone td:nth-child(2){padding-left:22px}
tr.continued td{border-top:0}
.chip{display:inline-block;border:1.5px solid;border-radius:999px;padding:0 8px;font-size:12px;font-weight:700;white-space:nowrap;line-height:1.6}
.chip-not-started{color:#374151;background:#f3f4f6;border-color:#6b7280}
.chip-on-target{color:#14532d;background:#dcfce7;border-color:#15803d}
.chip-delayed{color:#7c2d12;background:#ffedd5;border-color:#c2410c}
.chip-completed{color:#1e3a8a;background:#dbeafe;border-color:#1d4ed8}
.chip-deferred{color:#4c1d95;background:#ede9fe;border-color:#6d28d9}
.chip-cancelled{color:#1f2937;background:#e5e7eb;border-color:#374151;text-decoration:line-through}
.chip-overdue{color:#fff;background:#b91c1c;border-color:#7f1d1d}
.chip-baseline{color:#7f1d1d;background:#fee2e2;border-color:#b91c1c;border-style:dashed}
.chip-due{color:#78350f;background:#fef3c7;border-color:#b45309;border-style:dotted}
.chip-neutral{color:#1f2937;background:#f3f4f6;border-color:#6b7280}
.chip-rag-green{color:#14532d;background:#dcfce7;border-color:#15803d}
.chip-rag-amber{color:#78350f;background:#fef3c7;border-color:#b45309}
.chip-rag-red{color:#fff;background:#b91c1c;border-color:#7f1d1d}
footer{margin-top:34px;padding-top:8px;border-top:1px solid var(--rule);font-size:12px;color:var(--muted)}
@media print{
  .page{max-width:none;padding:0}
  thead{display:table-header-group}
  tr,.facts li,figure{break-inside:avoid}
  h2,h3,h4,h5{break-after:avoid}
  tbody tr:nth-child(even) td{background:none}
}
)css";

std::string Escape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

// Escaped, with line breaks kept.
std::string Prose(const std::string& text) {
  return absl::StrReplaceAll(Escape(text), {{"\r\n", "<br>"}, {"\n", "<br>"}});
}

// Chip kinds are chosen by the document layer from a fixed set; anything
// else is not let into a class attribute.
std::string ChipClass(const std::string& chip) {
  for (const char* known :
       {"not-started", "on-target", "delayed", "completed", "deferred", "cancelled", "overdue",
        "baseline", "due", "neutral", "rag-green", "rag-amber", "rag-red"}) {
    if (chip == known) {
      return chip;
    }
  }
  return "neutral";
}

std::string BarColour(const std::string& chip) {
  if (chip == "on-target") return "#15803d";
  if (chip == "delayed") return "#c2410c";
  if (chip == "completed") return "#1d4ed8";
  if (chip == "deferred") return "#6d28d9";
  if (chip == "cancelled") return "#374151";
  if (chip == "overdue") return "#b91c1c";
  if (chip == "not-started") return "#9ca3af";
  return "#0b4f6c";
}

void AppendChart(std::string& out, const Chart& chart, int id) {
  absl::StrAppend(&out, "<figure class=\"chart\"><figcaption>", Escape(chart.title),
                  "</figcaption>\n");
  if (chart.bars.empty()) {
    absl::StrAppend(&out, "<p>Nothing to chart.</p></figure>\n");
    return;
  }
  int max = 0;
  std::string summary;
  for (const Bar& b : chart.bars) {
    max = std::max(max, b.value);
    absl::StrAppend(&summary, summary.empty() ? "" : ", ", b.label, " ", b.value);
  }
  constexpr int kLabel = 190, kBars = 380, kRow = 26, kBar = 18;
  const int height = static_cast<int>(chart.bars.size()) * kRow + 4;
  absl::StrAppendFormat(&out,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                        "aria-labelledby=\"chart-%d\" width=\"%d\" height=\"%d\" "
                        "viewBox=\"0 0 %d %d\" font-family=\"Helvetica Neue,Arial,sans-serif\" "
                        "font-size=\"13\">",
                        id, kLabel + kBars + 70, height, kLabel + kBars + 70, height);
  absl::StrAppend(&out, "<title id=\"chart-", id, "\">", Escape(chart.title), ": ", Escape(summary),
                  "</title>");
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& b = chart.bars[i];
    const int y = static_cast<int>(i) * kRow + 2;
    const int w = max == 0 ? 0 : std::max(b.value > 0 ? 2 : 0, b.value * kBars / max);
    absl::StrAppendFormat(&out,
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1b1f24\">%s</text>"
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" "
                          "fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"%d\" font-weight=\"700\" fill=\"#1b1f24\">%d</text>",
                          kLabel - 10, y + 14, Escape(b.label), kLabel, y, w, kBar,
                          BarColour(b.chip), kLabel + w + 6, y + 14, b.value);
  }
  absl::StrAppend(&out, "</svg></figure>\n");
}

// Row classes, like chip kinds, come from a fixed set.
const char* RowClass(const std::string& name) {
  if (name == "activity") return " class=\"activity\"";
  if (name == "milestone") return " class=\"milestone\"";
  if (name == "continued") return " class=\"continued\"";
  return "";
}

void AppendTable(std::string& out, const Table& t) {
  absl::StrAppend(&out, t.widths.empty() ? "<table>" : "<table class=\"fixed\">");
  if (!t.caption.empty()) {
    absl::StrAppend(&out, "<caption>", Escape(t.caption), "</caption>");
  }
  if (!t.widths.empty()) {
    absl::StrAppend(&out, "<colgroup>");
    for (int w : t.widths) {
      if (w > 0) {
        absl::StrAppend(&out, "<col style=\"width:", w, "%\">");
      } else {
        absl::StrAppend(&out, "<col>");
      }
    }
    absl::StrAppend(&out, "</colgroup>");
  }
  absl::StrAppend(&out, "<thead><tr>");
  for (size_t i = 0; i < t.columns.size(); ++i) {
    bool numeric = !t.rows.empty() && i < t.rows[0].size() && t.rows[0][i].numeric;
    absl::StrAppend(&out, "<th scope=\"col\"", numeric ? " class=\"num\"" : "", ">",
                    Escape(t.columns[i]), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    absl::StrAppend(&out, "<tr", r < t.row_classes.size() ? RowClass(t.row_classes[r]) : "", ">");
    for (size_t i = 0; i < row.size(); ++i) {
      const Cell& cell = row[i];
      const char* cls = cell.numeric                     ? " class=\"num\""
                        : i < t.wide.size() && t.wide[i] ? " class=\"wide\""
                                                         : "";
      absl::StrAppend(&out, "<td", cls, ">");
      if (!cell.chip.empty() && !cell.text.empty()) {
        absl::StrAppend(&out, "<span class=\"chip chip-", ChipClass(cell.chip), "\">",
                        Escape(cell.text), "</span>");
      } else {
        absl::StrAppend(&out, Prose(cell.text));
      }
      absl::StrAppend(&out, "</td>");
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
}

}  // namespace

std::string RenderHtml(const Document& doc) {
  std::string out;
  std::string title = doc.title;
  if (!doc.plan_line.empty()) {
    absl::StrAppend(&title, " - ", doc.plan_line);
  }
  absl::StrAppend(&out,
                  "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>",
                  Escape(title), "</title>\n<style>", kStyle,
                  "</style>\n</head>\n<body>\n<div class=\"page\">\n<header class=\"masthead\">\n");
  if (!doc.organisation.empty()) {
    absl::StrAppend(&out, "<p class=\"org\">", Escape(doc.organisation), "</p>\n");
  }
  absl::StrAppend(&out, "<h1>", Escape(doc.title), "</h1>\n<p class=\"plan\">",
                  Escape(doc.plan_line), "</p>\n<dl class=\"meta\">");
  for (const auto& [label, value] : doc.meta) {
    absl::StrAppend(&out, "<div><dt>", Escape(label), "</dt><dd>", Escape(value), "</dd></div>");
  }
  absl::StrAppend(&out, "</dl>\n</header>\n<main>\n");
  int charts = 0;
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading: {
        int level = std::clamp(b.level, 2, 6);
        absl::StrAppend(&out, "<h", level, ">", Escape(b.text), "</h", level, ">\n");
        break;
      }
      case Block::Kind::kParagraph:
        absl::StrAppend(&out, "<p>", Prose(b.text), "</p>\n");
        break;
      case Block::Kind::kFacts:
        absl::StrAppend(&out, "<ul class=\"facts\">");
        for (const auto& [label, value] : b.facts) {
          absl::StrAppend(&out, "<li><span class=\"value\">", Escape(value),
                          "</span><span class=\"label\">", Escape(label), "</span></li>");
        }
        absl::StrAppend(&out, "</ul>\n");
        break;
      case Block::Kind::kChart:
        AppendChart(out, b.chart, ++charts);
        break;
      case Block::Kind::kTable:
        AppendTable(out, b.table);
        break;
    }
  }
  absl::StrAppend(
      &out,
      "</main>\n<footer>Statuses are as reported by the responsible officers. "
      "&ldquo;Overdue&rdquo; is worked out from deadlines: a milestone is overdue when its "
      "deadline is on or before the as-of date and it is not completed, deferred or cancelled. "
      "Produced by Golden Thread.</footer>\n</div>\n</body>\n</html>\n");
  return out;
}

}  // namespace gt::report::render
