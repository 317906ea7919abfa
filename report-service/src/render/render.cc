#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "render/renderers.h"

namespace gt::report::render {
namespace {

struct Kind {
  const char* slug;
  const v1::ReportHeader* header;
  const google::protobuf::Message* message;
};

Kind KindOf(const AnyReport& report) {
  struct Visitor {
    Kind operator()(const v1::EndOfYearReport& r) { return {"end-of-year", &r.header(), &r}; }
    Kind operator()(const v1::ProgressReport& r) { return {"progress", &r.header(), &r}; }
    Kind operator()(const v1::DeadlineRevisionReport& r) {
      return {"deadline-revisions", &r.header(), &r};
    }
    Kind operator()(const v1::ActionPlanReport& r) { return {"action-plan", &r.header(), &r}; }
    Kind operator()(const v1::ChangesReport& r) { return {"changes", &r.header(), &r}; }
  };
  return std::visit(Visitor{}, report);
}

// "th-2007-08-end-of-year-2008-03-31": ids are [a-z0-9-] already, so the name
// is safe in a Content-Disposition header and on any file system.
std::string Stem(const Kind& kind) {
  std::string plan =
      absl::StrReplaceAll(kind.header->plan(), {{"organisations/", ""}, {"/plans/", "-"}});
  std::string stem = absl::StrCat(plan, "-", kind.slug, "-", kind.header->as_of());
  if (kind.header->has_published_at()) {
    absl::StrAppend(&stem, "-published-",
                    absl::FormatTime("%Y%m%dT%H%M%SZ", FromTimestamp(kind.header->published_at()),
                                     absl::UTCTimeZone()));
  }
  return stem;
}

Document DocumentOf(const AnyReport& report) {
  return std::visit([](const auto& r) { return ToDocument(r); }, report);
}

}  // namespace

std::string RenderJson(const google::protobuf::Message& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // Counts of zero and empty comments are information in a report.
  options.always_print_primitive_fields = true;
  std::string out;
  // Only fails for messages with unresolvable Any fields, which reports have
  // none of.
  (void)google::protobuf::util::MessageToJsonString(report, &out, options);
  return out;
}

absl::StatusOr<v1::RenderedReport> Render(const AnyReport& report, v1::ReportFormat format) {
  Kind kind = KindOf(report);
  v1::RenderedReport out;
  std::string stem = Stem(kind);
  switch (format) {
    case v1::MARKDOWN:
      out.set_content_type("text/markdown");
      out.set_filename(stem + ".md");
      out.set_content(RenderMarkdown(DocumentOf(report)));
      break;
    case v1::HTML:
      out.set_content_type("text/html");
      out.set_filename(stem + ".html");
      out.set_content(RenderHtml(DocumentOf(report)));
      break;
    case v1::CSV:
      out.set_content_type("text/csv");
      out.set_filename(stem + ".csv");
      out.set_content(RenderCsv(report));
      break;
    case v1::JSON:
      out.set_content_type("application/json");
      out.set_filename(stem + ".json");
      out.set_content(RenderJson(*kind.message));
      break;
    default:
      return InvalidField("format", "must be MARKDOWN, HTML, CSV or JSON");
  }
  return out;
}

}  // namespace gt::report::render
