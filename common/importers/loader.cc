#include "common/importers/loader.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gt/grpc_status.h"
#include "gt/sql_util.h"

namespace gt::importers {

namespace v1 = goldenthread::v1;

namespace {

constexpr int kBatch = 1000;

std::unique_ptr<grpc::ClientContext> Context(const LoadOptions& options, absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (options.decorate) {
    options.decorate(*context);
  }
  return context;
}

absl::Status ReplaceMilestones(v1::MilestoneService::StubInterface& milestones,
                               const std::string& plan, const LoadOptions& options) {
  while (true) {
    v1::ListMilestonesRequest list;
    list.set_parent(plan);
    list.set_page_size(1000);
    v1::ListMilestonesResponse page;
    GT_RETURN_IF_ERROR(FromGrpcStatus(
        milestones.ListMilestones(Context(options, absl::Seconds(30)).get(), list, &page)));
    if (page.milestones().empty()) {
      return absl::OkStatus();
    }
    for (const auto& m : page.milestones()) {
      v1::DeleteMilestoneRequest del;
      del.set_name(m.name());
      google::protobuf::Empty empty;
      GT_RETURN_IF_ERROR(FromGrpcStatus(
          milestones.DeleteMilestone(Context(options, absl::Seconds(30)).get(), del, &empty)));
    }
  }
}

}  // namespace

absl::StatusOr<LoadResult> Load(v1::PlanService::StubInterface& plans,
                                v1::MilestoneService::StubInterface& milestones,
                                const ImportedPlan& document, const LoadOptions& options) {
  LoadResult result;
  v1::ImportPlanRequest import;
  import.set_parent(absl::StrCat("organisations/", options.organisation));
  import.set_plan_id(options.plan_id);
  *import.mutable_tree() = document.tree;
  import.set_replace(options.replace);
  GT_RETURN_IF_ERROR(FromGrpcStatus(
      plans.ImportPlan(Context(options, absl::Minutes(2)).get(), import, &result.tree)));
  const std::string plan = result.tree.plan().name();
  if (options.replace) {
    GT_RETURN_IF_ERROR(ReplaceMilestones(milestones, plan, options));
  }

  std::vector<v1::CreateMilestoneRequest> requests;
  for (const ImportedMilestone& m : document.milestones) {
    const auto& path = m.activity_path;
    if (path.size() != 3 || path[0] >= result.tree.priorities_size() ||
        path[1] >= result.tree.priorities(path[0]).outcomes_size() ||
        path[2] >= result.tree.priorities(path[0]).outcomes(path[1]).activities_size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("milestone '", m.milestone.title().substr(0, 60),
                       "' points at an activity the document's tree does not have"));
    }
    v1::CreateMilestoneRequest request;
    *request.mutable_milestone() = m.milestone;
    request.mutable_milestone()->set_activity(
        result.tree.priorities(path[0]).outcomes(path[1]).activities(path[2]).name());
    *request.mutable_effective_at() = ToTimestamp(options.effective_at);
    const v1::Milestone& mm = m.milestone;
    if (!mm.current_deadline().empty() && !mm.baseline_deadline().empty() &&
        mm.current_deadline() != mm.baseline_deadline()) {
      request.set_revision_reason(options.revision_reason);
    }
    requests.push_back(std::move(request));
  }
  // Unique to this load: a retried batch is not written twice, while a later
  // load of the same document (e.g. with replace) is a new request, not a
  // replay of the first load's answer.
  absl::BitGen random;
  const std::string run =
      absl::StrCat(absl::ToUnixMicros(absl::Now()), "-", absl::Uniform<uint32_t>(random));
  for (size_t start = 0; start < requests.size(); start += kBatch) {
    v1::BatchCreateMilestonesRequest batch;
    batch.set_parent(plan);
    batch.set_request_id(absl::StrCat("load-", options.plan_id, "-", run, "-", start));
    for (size_t i = start; i < requests.size() && i < start + kBatch; ++i) {
      *batch.add_requests() = requests[i];
    }
    v1::BatchCreateMilestonesResponse created;
    GT_RETURN_IF_ERROR(FromGrpcStatus(milestones.BatchCreateMilestones(
        Context(options, absl::Minutes(2)).get(), batch, &created)));
    for (auto& m : *created.mutable_milestones()) {
      result.milestones.push_back(std::move(m));
    }
    if (options.progress) {
      options.progress(result.milestones.size(), requests.size());
    }
  }
  return result;
}

}  // namespace gt::importers
