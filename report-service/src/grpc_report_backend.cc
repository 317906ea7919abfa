#include "grpc_report_backend.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/grpc_status.h"
#include "gt/timestamps.h"

namespace gt::report {

namespace v1 = goldenthread::v1;

namespace {

// A page of milestones with long comments can pass the services' message
// limit (4 MiB by default); the page is then asked for again in halves, down
// to this size, rather than failing the report.
constexpr int kFirstMilestonePage = 2000;
constexpr int kSmallestPage = 50;
// ListMilestoneUpdates clamps larger pages to this.
constexpr int kHistoryPage = 1000;
// ListDirectorates clamps larger pages to this.
constexpr int kMaxDirectoratePage = 1000;

absl::Status FromBackend(const grpc::Status& status, absl::string_view service) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat(service, " is unavailable; retry shortly"));
  }
  return FromGrpcStatus(status);
}

std::unique_ptr<grpc::ClientContext> Context(const CallDecorator& decorate) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (decorate) {
    decorate(*context);
  }
  return context;
}

// Fetches every page of a paged call, halving the page when a response is too
// large for the wire.
template <typename Response, typename Call>
absl::Status AllPages(int first_page, absl::string_view service, const Call& call,
                      const std::function<void(Response&)>& take) {
  std::string token;
  int size = first_page;
  while (true) {
    Response page;
    grpc::Status status = call(size, token, page);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && size > kSmallestPage) {
      size /= 2;
      continue;
    }
    if (!status.ok()) {
      return FromBackend(status, service);
    }
    take(page);
    if (page.next_page_token().empty()) {
      return absl::OkStatus();
    }
    token = page.next_page_token();
  }
}

}  // namespace

absl::StatusOr<v1::PlanTree> GrpcReportBackend::PlanTree(const CallDecorator& decorate,
                                                         const std::string& plan) {
  v1::GetPlanTreeRequest request;
  request.set_name(plan);
  v1::PlanTree tree;
  grpc::Status status = plans_.GetPlanTree(Context(decorate).get(), request, &tree);
  if (!status.ok()) {
    return FromBackend(status, "plan-service");
  }
  return tree;
}

std::string GrpcReportBackend::OrganisationDisplayName(const CallDecorator& decorate,
                                                       const std::string& organisation) {
  v1::GetOrganisationRequest request;
  request.set_name(absl::StrCat("organisations/", organisation));
  v1::Organisation org;
  grpc::Status status = plans_.GetOrganisation(Context(decorate).get(), request, &org);
  return status.ok() ? org.display_name() : "";
}

absl::StatusOr<std::vector<v1::Milestone>> GrpcReportBackend::MilestonesAsOf(
    const CallDecorator& decorate, const std::string& plan, absl::CivilDay as_of,
    std::optional<absl::Time> published_at) {
  std::vector<v1::Milestone> out;
  GT_RETURN_IF_ERROR(AllPages<v1::GetMilestonesAsOfResponse>(
      kFirstMilestonePage, "milestone-service",
      [&](int size, const std::string& token, v1::GetMilestonesAsOfResponse& page) {
        v1::GetMilestonesAsOfRequest request;
        request.set_parent(plan);
        request.set_as_of(FormatDate(as_of));
        if (published_at.has_value()) {
          *request.mutable_published_at() = ToTimestamp(*published_at);
        }
        request.set_page_size(size);
        request.set_page_token(token);
        return milestones_.GetMilestonesAsOf(Context(decorate).get(), request, &page);
      },
      [&](v1::GetMilestonesAsOfResponse& page) {
        for (auto& m : *page.mutable_milestones()) {
          out.push_back(std::move(m));
        }
      }));
  return out;
}

absl::StatusOr<std::vector<v1::MilestoneUpdate>> GrpcReportBackend::DeadlineRevisions(
    const CallDecorator& decorate, const std::string& plan) {
  std::vector<v1::MilestoneUpdate> out;
  GT_RETURN_IF_ERROR(AllPages<v1::ListMilestoneUpdatesResponse>(
      kHistoryPage, "milestone-service",
      [&](int size, const std::string& token, v1::ListMilestoneUpdatesResponse& page) {
        v1::ListMilestoneUpdatesRequest request;
        request.set_parent(plan);
        request.set_oldest_first(true);
        // Not the progress reports: a plan has many more of those. (A
        // milestone-service from before the filter ignores it and sends every
        // kind; the report keeps only revisions all the same.)
        request.set_kind(v1::DEADLINE_REVISION);
        request.set_page_size(size);
        request.set_page_token(token);
        return milestones_.ListMilestoneUpdates(Context(decorate).get(), request, &page);
      },
      [&](v1::ListMilestoneUpdatesResponse& page) {
        for (auto& u : *page.mutable_updates()) {
          out.push_back(std::move(u));
        }
      }));
  return out;
}

absl::StatusOr<std::vector<v1::Directorate>> GrpcReportBackend::Directorates(
    const CallDecorator& decorate, const std::string& organisation) {
  std::vector<v1::Directorate> out;
  GT_RETURN_IF_ERROR(AllPages<v1::ListDirectoratesResponse>(
      kMaxDirectoratePage, "plan-service",
      [&](int size, const std::string& token, v1::ListDirectoratesResponse& page) {
        v1::ListDirectoratesRequest request;
        request.set_parent(absl::StrCat("organisations/", organisation));
        request.set_page_size(size);
        request.set_page_token(token);
        return plans_.ListDirectorates(Context(decorate).get(), request, &page);
      },
      [&](v1::ListDirectoratesResponse& page) {
        for (auto& d : *page.mutable_directorates()) {
          out.push_back(std::move(d));
        }
      }));
  return out;
}

absl::StatusOr<std::vector<v1::MeasureValue>> GrpcReportBackend::MeasureValues(
    const CallDecorator& decorate, const std::string& plan,
    std::optional<absl::Time> published_at) {
  std::vector<v1::MeasureValue> out;
  GT_RETURN_IF_ERROR(AllPages<v1::ListMeasureValuesResponse>(
      1000, "plan-service",
      [&](int size, const std::string& token, v1::ListMeasureValuesResponse& page) {
        v1::ListMeasureValuesRequest request;
        request.set_parent(plan);
        request.set_page_size(size);
        request.set_page_token(token);
        if (published_at.has_value()) {
          *request.mutable_published_at() = ToTimestamp(*published_at);
        }
        return plans_.ListMeasureValues(Context(decorate).get(), request, &page);
      },
      [&](v1::ListMeasureValuesResponse& page) {
        for (v1::MeasureValue& v : *page.mutable_values()) {
          out.push_back(std::move(v));
        }
      }));
  return out;
}

absl::StatusOr<std::vector<v1::Period>> GrpcReportBackend::Periods(const CallDecorator& decorate,
                                                                   const std::string& plan) {
  std::vector<v1::Period> out;
  GT_RETURN_IF_ERROR(AllPages<v1::ListPeriodsResponse>(
      1000, "milestone-service",
      [&](int size, const std::string& token, v1::ListPeriodsResponse& page) {
        v1::ListPeriodsRequest request;
        request.set_parent(plan);
        request.set_page_size(size);
        request.set_page_token(token);
        return milestones_.ListPeriods(Context(decorate).get(), request, &page);
      },
      [&](v1::ListPeriodsResponse& page) {
        for (v1::Period& p : *page.mutable_periods()) {
          out.push_back(std::move(p));
        }
      }));
  return out;
}

absl::StatusOr<v1::Period> GrpcReportBackend::RecordPublication(
    const CallDecorator& decorate, const v1::RecordPublicationRequest& request) {
  v1::Period period;
  grpc::Status status = milestones_.RecordPublication(Context(decorate).get(), request, &period);
  if (!status.ok()) {
    return FromBackend(status, "milestone-service");
  }
  return period;
}

}  // namespace gt::report
