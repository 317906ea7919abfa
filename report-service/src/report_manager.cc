#include "report_manager.h"

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/overdue.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/validation.h"
#include "render/renderers.h"
#include "report_builders.h"

namespace gt::report {

namespace {

// A client clock a little ahead of ours is not a publication in the future.
constexpr absl::Duration kClockSkew = absl::Seconds(5);

std::string Field(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, field);
}

}  // namespace

absl::StatusOr<ReportScope> ReportManager::Scope(const Caller& caller, absl::string_view prefix,
                                                 const v1::ReportRequest& request) {
  ReportScope scope;
  if (request.plan().empty()) {
    return InvalidField(Field(prefix, "plan"),
                        "must not be empty: the plan's name, e.g. organisations/th/plans/2017-18");
  }
  GT_ASSIGN_OR_RETURN(auto vars, MatchName(Field(prefix, "plan"), request.plan(),
                                           "organisations/{organisation}/plans/{plan}"));
  // Another organisation's plan answers as a missing one does, before any
  // backend is asked.
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, vars[0], "plan", request.plan()));
  scope.plan = request.plan();
  scope.organisation = vars[0];
  const absl::Time now = now_();
  if (request.as_of().empty()) {
    scope.as_of = absl::ToCivilDay(now, absl::UTCTimeZone());
  } else {
    GT_ASSIGN_OR_RETURN(scope.as_of, ParseDate(Field(prefix, "as_of"), request.as_of()));
  }
  scope.overdue_day = OverdueDay(scope.as_of, now);
  if (request.has_published_at()) {
    const auto& ts = request.published_at();
    // Timestamp's own valid range (years 1..9999), so FromTimestamp is exact.
    if (ts.seconds() < -62135596800 || ts.seconds() > 253402300799 || ts.nanos() < 0 ||
        ts.nanos() > 999999999) {
      return InvalidField(Field(prefix, "published_at"), "is not a valid timestamp");
    }
    absl::Time published = FromTimestamp(ts);
    // A report "as published" at a future instant would change as history is
    // recorded: it would not be what was published.
    if (published > now + kClockSkew) {
      return InvalidField(
          Field(prefix, "published_at"),
          absl::StrCat("must not be in the future, got ",
                       absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", published, absl::UTCTimeZone())));
    }
    scope.published_at = published;
  }
  return scope;
}

absl::StatusOr<std::vector<v1::Milestone>> ReportManager::Milestones(const CallDecorator& decorate,
                                                                     const ReportScope& scope) {
  return backend_.MilestonesAsOf(decorate, scope.plan, scope.as_of, scope.published_at);
}

namespace {

bool HasMeasures(const v1::PlanTree& tree) {
  for (const v1::Priority& p : tree.priorities()) {
    if (!p.measures().empty()) {
      return true;
    }
    for (const v1::Outcome& o : p.outcomes()) {
      if (!o.measures().empty()) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<PlanData> ReportManager::Fetch(const CallDecorator& decorate,
                                              const ReportScope& scope, bool directorates,
                                              bool measures) {
  PlanData data;
  // The tree first: a missing plan is NOT_FOUND from plan-service before
  // anything else is asked.
  GT_ASSIGN_OR_RETURN(data.tree, backend_.PlanTree(decorate, scope.plan));
  data.organisation_display_name = backend_.OrganisationDisplayName(decorate, scope.organisation);
  GT_ASSIGN_OR_RETURN(data.milestones, Milestones(decorate, scope));
  if (directorates) {
    GT_ASSIGN_OR_RETURN(auto table, backend_.Directorates(decorate, scope.organisation));
    data.directorates = DirectorateTable(table);
  }
  if (measures && HasMeasures(data.tree)) {
    GT_ASSIGN_OR_RETURN(data.measure_values,
                        backend_.MeasureValues(decorate, scope.plan, scope.published_at));
  }
  return data;
}

absl::StatusOr<v1::EndOfYearReport> ReportManager::GetEndOfYearReport(
    const Caller& caller, const CallDecorator& decorate, const v1::ReportRequest& request) {
  GT_ASSIGN_OR_RETURN(ReportScope scope, Scope(caller, "", request));
  GT_ASSIGN_OR_RETURN(PlanData data, Fetch(decorate, scope));
  PlanView view(data, scope);
  return BuildEndOfYear(view, MakeHeader(data, scope, "End of year report", now_()));
}

absl::StatusOr<v1::ProgressReport> ReportManager::GetProgressReport(
    const Caller& caller, const CallDecorator& decorate, const v1::ProgressReportRequest& request) {
  GT_ASSIGN_OR_RETURN(ReportScope scope, Scope(caller, "report.", request.report()));
  GT_RETURN_IF_ERROR(KnownEnum("", "group_by", request.group_by(), v1::Grouping_descriptor()));
  GT_RETURN_IF_ERROR(KnownEnum("", "subject", request.subject(), v1::ReportSubject_descriptor()));
  GT_ASSIGN_OR_RETURN(PlanData data,
                      Fetch(decorate, scope, request.group_by() == v1::BY_DIRECTORATE,
                            /*measures=*/true));
  PlanView view(data, scope);
  return BuildProgress(view, MakeHeader(data, scope, "Progress report", now_()), request.group_by(),
                       request.subject());
}

absl::StatusOr<v1::DeadlineRevisionReport> ReportManager::GetDeadlineRevisionReport(
    const Caller& caller, const CallDecorator& decorate, const v1::ReportRequest& request) {
  GT_ASSIGN_OR_RETURN(ReportScope scope, Scope(caller, "", request));
  GT_ASSIGN_OR_RETURN(PlanData data, Fetch(decorate, scope, /*directorates=*/true));
  GT_ASSIGN_OR_RETURN(auto history, backend_.DeadlineRevisions(decorate, scope.plan));
  PlanView view(data, scope);
  return BuildDeadlineRevisions(view, MakeHeader(data, scope, "Deadline revisions", now_()),
                                history);
}

absl::StatusOr<v1::ActionPlanReport> ReportManager::GetActionPlanReport(
    const Caller& caller, const CallDecorator& decorate, const v1::ReportRequest& request) {
  GT_ASSIGN_OR_RETURN(ReportScope scope, Scope(caller, "", request));
  GT_ASSIGN_OR_RETURN(PlanData data, Fetch(decorate, scope, false, /*measures=*/true));
  PlanView view(data, scope);
  return BuildActionPlan(view, MakeHeader(data, scope, "Action plan", now_()));
}

absl::StatusOr<v1::ChangesReport> ReportManager::GetChangesReport(
    const Caller& caller, const CallDecorator& decorate, const v1::ChangesReportRequest& request) {
  GT_ASSIGN_OR_RETURN(ReportScope from, Scope(caller, "from.", request.from()));
  GT_ASSIGN_OR_RETURN(ReportScope to, Scope(caller, "to.", request.to()));
  if (from.plan != to.plan) {
    return InvalidField("to.plan", absl::StrCat("must be the plan of from.plan (", from.plan,
                                                "): changes compare two reports of one plan"));
  }
  // One tree for both sides: the plan's structure is not versioned, only its
  // milestones' history is.
  GT_ASSIGN_OR_RETURN(PlanData after, Fetch(decorate, to));
  PlanData before;
  before.tree = after.tree;
  before.organisation_display_name = after.organisation_display_name;
  GT_ASSIGN_OR_RETURN(before.milestones, Milestones(decorate, from));
  PlanView from_view(before, from);
  PlanView to_view(after, to);
  v1::ReportRequest from_request = request.from();
  v1::ReportRequest to_request = request.to();
  from_request.set_as_of(FormatDate(from.as_of));
  to_request.set_as_of(FormatDate(to.as_of));
  return BuildChanges(from_view, to_view,
                      MakeHeader(after, to, "Changes between two reports", now_()), from_request,
                      to_request);
}

absl::StatusOr<v1::RenderedReport> ReportManager::RenderReport(
    const Caller& caller, const CallDecorator& decorate, const v1::RenderReportRequest& request) {
  if (request.format() == v1::REPORT_FORMAT_UNSPECIFIED ||
      !v1::ReportFormat_IsValid(request.format())) {
    return InvalidField("format", "must be MARKDOWN, HTML, CSV or JSON");
  }
  render::AnyReport report;
  // A bad field of the nested request is named from the top of this one
  // ("end_of_year.as_of: ...").
  auto nested = [&](absl::string_view oneof, const absl::Status& status) {
    if (status.code() != absl::StatusCode::kInvalidArgument) {
      return status;
    }
    return absl::InvalidArgumentError(absl::StrCat(oneof, ".", status.message()));
  };
  switch (request.report_case()) {
    case v1::RenderReportRequest::kEndOfYear: {
      auto r = GetEndOfYearReport(caller, decorate, request.end_of_year());
      if (!r.ok()) {
        return nested("end_of_year", r.status());
      }
      report = *std::move(r);
      break;
    }
    case v1::RenderReportRequest::kProgress: {
      auto r = GetProgressReport(caller, decorate, request.progress());
      if (!r.ok()) {
        return nested("progress", r.status());
      }
      report = *std::move(r);
      break;
    }
    case v1::RenderReportRequest::kDeadlineRevisions: {
      auto r = GetDeadlineRevisionReport(caller, decorate, request.deadline_revisions());
      if (!r.ok()) {
        return nested("deadline_revisions", r.status());
      }
      report = *std::move(r);
      break;
    }
    case v1::RenderReportRequest::kActionPlan: {
      auto r = GetActionPlanReport(caller, decorate, request.action_plan());
      if (!r.ok()) {
        return nested("action_plan", r.status());
      }
      report = *std::move(r);
      break;
    }
    case v1::RenderReportRequest::kChanges: {
      auto r = GetChangesReport(caller, decorate, request.changes());
      if (!r.ok()) {
        return nested("changes", r.status());
      }
      report = *std::move(r);
      break;
    }
    default:
      return InvalidField("report",
                          "must be set: end_of_year, progress, deadline_revisions, action_plan "
                          "or changes");
  }
  return render::Render(report, request.format());
}

}  // namespace gt::report
