// CSV: one table per report with a header row, for spreadsheets and
// analysis. Dates are ISO, statuses their enum names, so a column sorts and
// filters; the readable forms are in the HTML and Markdown.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gt/csv.h"
#include "render/renderers.h"
#include "report_model.h"

namespace gt::report::render {
namespace {

using Row = std::vector<std::string>;

std::string Status(v1::MilestoneStatus s) {
  return s == v1::MILESTONE_STATUS_UNSPECIFIED ? "" : v1::MilestoneStatus_Name(s);
}
std::string YesNo(bool b) { return b ? "yes" : "no"; }
std::string Source(v1::StatusSource s) {
  return s == v1::ROLLED_UP ? "rolled_up" : s == v1::REPORTED ? "reported" : "";
}

std::string EndOfYear(const v1::EndOfYearReport& r) {
  Row header = {"section",          "priority_code",
                "priority",         "outcome_code",
                "outcome",          "activity_code",
                "activity",         "milestone_ordinal",
                "milestone",        "baseline_deadline",
                "current_deadline", "status",
                "overdue",          "overdue_against_baseline",
                "comment"};
  std::vector<Row> rows;
  // An activity row: the milestone columns empty.
  auto activity_row = [&rows](const char* section, const auto& p, const auto& o, const auto& a) {
    rows.push_back({section, p.code(), p.title(), o.code(), o.title(), a.code(), a.title(), "", "",
                    "", a.deadline(), Status(a.status()), YesNo(a.overdue()), "no", a.comment()});
  };
  for (const auto& p : r.completed()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        activity_row("completed", p, o, a);
      }
    }
  }
  for (const auto& p : r.overdue()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        if (a.milestones().empty()) {
          activity_row("overdue", p, o, a);
        }
        for (const auto& m : a.milestones()) {
          rows.push_back({"overdue", p.code(), p.title(), o.code(), o.title(), a.code(), a.title(),
                          absl::StrCat(m.ordinal()), m.title(), m.baseline_deadline(),
                          m.current_deadline(), Status(m.status()), YesNo(m.overdue()),
                          YesNo(m.overdue_against_baseline()), m.latest_comment()});
        }
      }
    }
  }
  return CsvTable(header, rows);
}

std::string Progress(const v1::ProgressReport& r) {
  Row header = {"group",           "code",
                "title",           "lead",
                "directorate",     "deadline",
                "status",          "status_source",
                "reported_status", "percent_complete",
                "overdue",         "latest_comment"};
  std::vector<Row> rows;
  for (const auto& g : r.groups()) {
    for (const auto& i : g.items()) {
      rows.push_back({g.label(), i.code(), i.title(), i.lead(), i.directorate(), i.deadline(),
                      Status(i.status()), Source(i.status_source()), Status(i.reported_status()),
                      absl::StrCat(i.percent_complete()), YesNo(i.overdue()), i.latest_comment()});
    }
  }
  return CsvTable(header, rows);
}

std::string Revisions(const v1::DeadlineRevisionReport& r) {
  Row header = {"directorate",      "activity_code",     "milestone",    "baseline_deadline",
                "current_deadline", "revision_count",    "days_slipped", "status",
                "revision",         "previous_deadline", "new_deadline", "reason"};
  std::vector<Row> rows;
  // One row per revision, so every reason has its own cell.
  for (const auto& d : r.directorates()) {
    for (const auto& m : d.milestones()) {
      int n = 0;
      for (const auto& rev : m.revisions()) {
        rows.push_back({d.directorate(), m.activity_code(), m.title(), m.baseline_deadline(),
                        m.current_deadline(), absl::StrCat(m.revision_count()),
                        absl::StrCat(m.days_slipped()), Status(m.status()), absl::StrCat(++n),
                        rev.previous_deadline(), rev.new_deadline(), rev.reason()});
      }
    }
  }
  return CsvTable(header, rows);
}

std::string ActionPlan(const v1::ActionPlanReport& r) {
  Row header = {"priority_code",
                "priority",
                "outcome_code",
                "outcome",
                "activity_code",
                "activity",
                "lead_member",
                "lead_officer",
                "directorate",
                "activity_deadline",
                "milestone_ordinal",
                "milestone",
                "milestone_lead_officer",
                "baseline_deadline",
                "current_deadline",
                "status"};
  std::vector<Row> rows;
  for (const auto& p : r.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        Row base = {p.code(),  p.title(),       o.code(),         o.title(),       a.code(),
                    a.title(), a.lead_member(), a.lead_officer(), a.directorate(), a.deadline()};
        if (a.milestones().empty()) {
          Row row = base;
          row.insert(row.end(), {"", "", "", "", "", Status(a.status())});
          rows.push_back(std::move(row));
        }
        for (const auto& m : a.milestones()) {
          Row row = base;
          row.insert(row.end(), {absl::StrCat(m.ordinal()), m.title(), m.lead_officer(),
                                 m.baseline_deadline(), m.current_deadline(), Status(m.status())});
          rows.push_back(std::move(row));
        }
      }
    }
  }
  return CsvTable(header, rows);
}

std::string Changes(const v1::ChangesReport& r) {
  Row header = {"activity_code", "milestone", "milestone_name", "field", "before", "after"};
  std::vector<Row> rows;
  for (const auto& c : r.changes()) {
    rows.push_back({c.activity_code(), c.title(), c.milestone(), c.field(), c.before(), c.after()});
  }
  return CsvTable(header, rows);
}

}  // namespace

std::string CsvTable(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < header.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", CsvCell(i < cells.size() ? cells[i] : ""));
    }
    absl::StrAppend(&out, "\r\n");
  };
  line(header);
  for (const auto& row : rows) {
    line(row);
  }
  return out;
}

std::string RenderCsv(const AnyReport& report) {
  struct Visitor {
    std::string operator()(const v1::EndOfYearReport& r) { return EndOfYear(r); }
    std::string operator()(const v1::ProgressReport& r) { return Progress(r); }
    std::string operator()(const v1::DeadlineRevisionReport& r) { return Revisions(r); }
    std::string operator()(const v1::ActionPlanReport& r) { return ActionPlan(r); }
    std::string operator()(const v1::ChangesReport& r) { return Changes(r); }
  };
  return std::visit(Visitor{}, report);
}

}  // namespace gt::report::render
