// gtctl report render.
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli.h"
#include "gt/dates.h"
#include "gt/sql_util.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

v1::ReportRequest ReportOf(const Client& client, const std::string& plan, const std::string& as_of,
                           const std::string& published_at) {
  v1::ReportRequest request;
  request.set_plan(client.PlanName(plan));
  if (!as_of.empty()) {
    RequireDate("--as-of", as_of);
    request.set_as_of(as_of);
  }
  if (!published_at.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, published_at, &t, &error)) {
      throw UsageError{
          absl::StrCat("--published-at must be an RFC 3339 time such as "
                       "2018-04-30T12:00:00Z, got \"",
                       published_at, "\"")};
    }
    *request.mutable_published_at() = ToTimestamp(t);
  }
  return request;
}

}  // namespace

// ---------------------------------------------------------------- reports

int ReportRender(const Args& args) {
  const std::string kind = args.positional[0];
  std::string format = absl::AsciiStrToUpper(args.Get("format", "markdown"));
  v1::RenderReportRequest request;
  v1::ReportFormat parsed_format;
  if (!v1::ReportFormat_Parse(format, &parsed_format) ||
      parsed_format == v1::REPORT_FORMAT_UNSPECIFIED) {
    throw UsageError{absl::StrCat("--format must be markdown, html, csv or json, got \"",
                                  args.Get("format"), "\"")};
  }
  request.set_format(parsed_format);
  static const std::map<std::string, v1::Grouping> kGroupings = {
      {"directorate", v1::BY_DIRECTORATE},
      {"priority", v1::BY_PRIORITY},
      {"outcome", v1::BY_OUTCOME},
      {"lead-officer", v1::BY_LEAD_OFFICER},
      {"lead-member", v1::BY_LEAD_MEMBER}};
  if (kind != "progress" && (args.Has("group-by") || args.Has("subject"))) {
    throw UsageError{"--group-by and --subject are for progress reports"};
  }
  if (kind != "changes" && (args.Has("from") || args.Has("to"))) {
    throw UsageError{"--from and --to are for changes reports"};
  }
  Client client(args);
  const std::string& plan = args.positional[1];
  v1::ReportRequest report = ReportOf(client, plan, args.Get("as-of"), args.Get("published-at"));
  if (kind == "end-of-year") {
    *request.mutable_end_of_year() = report;
  } else if (kind == "deadline-revisions") {
    *request.mutable_deadline_revisions() = report;
  } else if (kind == "action-plan") {
    *request.mutable_action_plan() = report;
  } else if (kind == "progress") {
    auto* progress = request.mutable_progress();
    *progress->mutable_report() = report;
    if (args.Has("group-by")) {
      auto it = kGroupings.find(args.Get("group-by"));
      if (it == kGroupings.end()) {
        throw UsageError{
            absl::StrCat("--group-by must be directorate, priority, outcome, "
                         "lead-officer or lead-member, got \"",
                         args.Get("group-by"), "\"")};
      }
      progress->set_group_by(it->second);
    }
    std::string subject = args.Get("subject", "milestones");
    if (subject != "milestones" && subject != "activities") {
      throw UsageError{"--subject must be milestones or activities"};
    }
    progress->set_subject(subject == "activities" ? v1::ACTIVITIES : v1::MILESTONES);
  } else if (kind == "changes") {
    if (!args.Has("from") || !args.Has("to")) {
      throw UsageError{"changes reports need --from D and --to D"};
    }
    *request.mutable_changes()->mutable_from() = ReportOf(client, plan, args.Get("from"), "");
    *request.mutable_changes()->mutable_to() = ReportOf(client, plan, args.Get("to"), "");
  } else {
    throw UsageError{absl::StrCat("report \"", kind,
                                  "\" is not one of end-of-year, progress, deadline-revisions, "
                                  "action-plan, changes")};
  }
  v1::RenderedReport rendered;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.reports->RenderReport(c, request, &rendered); }));
  if (args.Has("out")) {
    std::ofstream out(args.Get("out"), std::ios::binary);
    out << rendered.content();
    if (!out.flush()) {
      std::cerr << "error: " << args.Get("out") << ": cannot write\n";
      return kBadInput;
    }
    std::cerr << "wrote " << args.Get("out") << " (" << rendered.content_type() << ")\n";
  } else {
    std::cout << rendered.content();
  }
  return kOk;
}

}  // namespace gt::gtctl
