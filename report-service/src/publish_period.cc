// ReportManager::PublishPeriod: the period's pack, rendered once as
// published at one instant and handed to milestone-service to store and
// freeze. What the pack holds is decided here; whether the period may be
// published (state, sign-off) is milestone-service's rule, asked first
// (validate_only) and again in the transaction that stores the pack.
#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "render/renderers.h"
#include "report_manager.h"

namespace gt::report {

namespace {

constexpr v1::ReportFormat kFormats[] = {v1::MARKDOWN, v1::HTML, v1::CSV, v1::JSON};

// "progress.html" from the renderer's "progress-...-2017-09-30.html".
std::string PackFilename(absl::string_view stem, const v1::RenderedReport& rendered) {
  absl::string_view name = rendered.filename();
  size_t dot = name.rfind('.');
  return absl::StrCat(stem, dot == absl::string_view::npos ? "" : name.substr(dot));
}

// The previous publication: the latest PUBLISHED period before `period`.
const v1::Period* Previous(const std::vector<v1::Period>& periods, const v1::Period& period) {
  const v1::Period* previous = nullptr;
  for (const v1::Period& p : periods) {
    if (p.state() == v1::Period::PUBLISHED && p.as_of() < period.start_date() &&
        (previous == nullptr || p.as_of() > previous->as_of())) {
      previous = &p;
    }
  }
  return previous;
}

}  // namespace

absl::StatusOr<v1::Period> ReportManager::PublishPeriod(const Caller& caller,
                                                        const CallDecorator& decorate,
                                                        const v1::PublishPeriodRequest& request) {
  GT_ASSIGN_OR_RETURN(auto vars,
                      MatchName("name", request.name(),
                                "organisations/{organisation}/plans/{plan}/periods/{period}"));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, vars[0], "period", request.name()));
  const std::string plan = absl::StrCat("organisations/", vars[0], "/plans/", vars[1]);

  // May it be published? (A retry of a publication that committed gets the
  // published period back here, and nothing is rendered again.)
  v1::RecordPublicationRequest check;
  check.set_name(request.name());
  check.set_request_id(request.request_id());
  check.set_validate_only(true);
  absl::Time publish = absl::FromUnixMicros(absl::ToUnixMicros(now_()));
  *check.mutable_publish_time() = ToTimestamp(publish);
  GT_ASSIGN_OR_RETURN(v1::Period checked, backend_.RecordPublication(decorate, check));
  if (checked.state() == v1::Period::PUBLISHED) {
    return checked;
  }

  GT_ASSIGN_OR_RETURN(std::vector<v1::Period> periods, backend_.Periods(decorate, plan));
  const v1::Period* period = nullptr;
  for (const v1::Period& p : periods) {
    if (p.name() == request.name()) {
      period = &p;
    }
  }
  if (period == nullptr) {
    return NotFound("period", request.name());
  }
  const v1::Period* previous = Previous(periods, *period);

  v1::ReportRequest now_view;
  now_view.set_plan(plan);
  now_view.set_as_of(period->as_of());
  *now_view.mutable_published_at() = ToTimestamp(publish);

  v1::RecordPublicationRequest store;
  store.set_name(request.name());
  store.set_request_id(request.request_id());
  *store.mutable_publish_time() = ToTimestamp(publish);
  auto add = [&](absl::string_view stem, const render::AnyReport& report) -> absl::Status {
    for (v1::ReportFormat format : kFormats) {
      GT_ASSIGN_OR_RETURN(v1::RenderedReport rendered, render::Render(report, format));
      v1::PackFile* file = store.add_files();
      file->set_filename(PackFilename(stem, rendered));
      file->set_content_type(rendered.content_type());
      *file->mutable_content() = std::move(*rendered.mutable_content());
    }
    return absl::OkStatus();
  };

  v1::ProgressReportRequest progress;
  *progress.mutable_report() = now_view;
  GT_ASSIGN_OR_RETURN(v1::ProgressReport progress_report,
                      GetProgressReport(caller, decorate, progress));
  progress_report.mutable_header()->set_title(absl::StrCat(period->title(), ": progress report"));
  GT_RETURN_IF_ERROR(add("progress", progress_report));

  GT_ASSIGN_OR_RETURN(v1::DeadlineRevisionReport revisions,
                      GetDeadlineRevisionReport(caller, decorate, now_view));
  revisions.mutable_header()->set_title(absl::StrCat(period->title(), ": deadline revisions"));
  GT_RETURN_IF_ERROR(add("deadline-revisions", revisions));

  if (previous != nullptr) {
    v1::ReportRequest as_published;
    as_published.set_plan(plan);
    as_published.set_as_of(previous->as_of());
    *as_published.mutable_published_at() = previous->publish_time();

    // What moved since the last pack.
    v1::ChangesReportRequest since;
    *since.mutable_from() = as_published;
    *since.mutable_to() = now_view;
    GT_ASSIGN_OR_RETURN(v1::ChangesReport changes, GetChangesReport(caller, decorate, since));
    changes.mutable_header()->set_title(
        absl::StrCat(period->title(), ": changes since ", previous->title()));
    GT_RETURN_IF_ERROR(add("changes-since-previous", changes));

    // The last pack's own date, as it stood then and as it stands now:
    // corrections recorded after it was published (backdated into it).
    v1::ChangesReportRequest restated;
    *restated.mutable_from() = as_published;
    *restated.mutable_to() = as_published;
    *restated.mutable_to()->mutable_published_at() = ToTimestamp(publish);
    GT_ASSIGN_OR_RETURN(v1::ChangesReport restatements,
                        GetChangesReport(caller, decorate, restated));
    restatements.mutable_header()->set_title(absl::StrCat(
        "Restated since last publication: ", previous->title(), " as of ", previous->as_of()));
    GT_RETURN_IF_ERROR(add("restated-since-last-publication", restatements));
  }
  absl::StatusOr<v1::Period> stored = backend_.RecordPublication(decorate, store);
  if (absl::IsResourceExhausted(stored.status())) {
    // The pack goes to milestone-service in one message, so that it is
    // stored in one transaction; a plan large enough to pass its limit says
    // so rather than failing with the transport's words.
    return absl::ResourceExhaustedError(
        absl::StrCat("the pack of ", request.name(), " is ", store.ByteSizeLong(),
                     " bytes, more than milestone-service accepts in one message; raise its "
                     "--max_message_bytes (GT_MAX_MESSAGE_BYTES) and publish again (",
                     stored.status().message(), ")"));
  }
  return stored;
}

}  // namespace gt::report
