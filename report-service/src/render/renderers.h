#pragma once

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "goldenthread/v1/report.pb.h"
#include "render/document.h"

// One renderer per format. Markdown and HTML render the shared Document
// layout; CSV flattens each report into its one table; JSON is the
// structured report itself.
namespace gt::report::render {

using AnyReport = std::variant<v1::EndOfYearReport, v1::ProgressReport, v1::DeadlineRevisionReport,
                               v1::ActionPlanReport, v1::ChangesReport>;

std::string RenderMarkdown(const Document& doc);
// One self-contained, printable page: inline CSS and SVG, no scripts, no
// external resources.
std::string RenderHtml(const Document& doc);

// RFC 4180: CRLF line ends; a field with a comma, quote or line break is
// quoted, its quotes doubled.
std::string CsvTable(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows);
std::string RenderCsv(const AnyReport& report);

// Protobuf's JSON mapping of the report (lowerCamelCase names, enums by name).
std::string RenderJson(const google::protobuf::Message& report);

// The report in `format`, with a content type and a file name
// ("<org>-<plan>-<kind>-<as_of>.<ext>"). INVALID_ARGUMENT for an unknown
// or unspecified format.
absl::StatusOr<v1::RenderedReport> Render(const AnyReport& report, v1::ReportFormat format);

}  // namespace gt::report::render
