#include "common/importers/loader.h"

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gt/grpc_status.h"
#include "gt/timestamps.h"

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

// The name of the activity a document's milestone sits under, in `tree` as
// written (its activities carry their names).
absl::StatusOr<std::string> ActivityName(const v1::PlanTree& tree, const ImportedMilestone& m) {
  const auto& path = m.activity_path;
  if (path.size() != 3 || path[0] < 0 || path[0] >= tree.priorities_size() || path[1] < 0 ||
      path[1] >= tree.priorities(path[0]).outcomes_size() || path[2] < 0 ||
      path[2] >= tree.priorities(path[0]).outcomes(path[1]).activities_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("milestone '", m.milestone.title().substr(0, 60),
                     "' points at an activity the document's tree does not have"));
  }
  return tree.priorities(path[0]).outcomes(path[1]).activities(path[2]).name();
}

}  // namespace

absl::StatusOr<v1::ReconcileMilestonesRequest> ReconcileRequest(
    const std::string& plan, const ImportedPlan& document, const v1::PlanTree& tree,
    absl::Time effective_at, const std::string& revision_reason) {
  v1::ReconcileMilestonesRequest request;
  request.set_parent(plan);
  for (const ImportedMilestone& m : document.milestones) {
    GT_ASSIGN_OR_RETURN(std::string activity, ActivityName(tree, m));
    v1::Milestone* out = request.add_milestones();
    *out = m.milestone;
    out->set_activity(std::move(activity));
    if (!absl::StartsWith(out->name(), absl::StrCat(plan, "/milestones/"))) {
      out->clear_name();  // another plan's id (a copied export): matched by title
    }
  }
  *request.mutable_effective_at() = ToTimestamp(effective_at);
  request.set_revision_reason(revision_reason);
  return request;
}

absl::StatusOr<LoadResult> Load(v1::PlanService::StubInterface& plans,
                                v1::MilestoneService::StubInterface& milestones,
                                const ImportedPlan& document, const LoadOptions& options) {
  // Unique to this load: a retried call is not written twice, while a later
  // load of the same document is a new request, not a replay of the first
  // load's answer.
  absl::BitGen random;
  const std::string run =
      absl::StrCat("load-", options.plan_id, "-", absl::ToUnixMicros(absl::Now()), "-",
                   absl::Uniform<uint32_t>(random));
  LoadResult result;
  v1::ImportPlanRequest import;
  import.set_parent(absl::StrCat("organisations/", options.organisation));
  import.set_plan_id(options.plan_id);
  *import.mutable_tree() = document.tree;
  import.set_replace(options.replace);
  // A replace removes the nodes the document no longer has only after the
  // milestones have moved off them (step 3).
  import.set_keep_missing(options.replace);
  import.set_request_id(absl::StrCat(run, "-tree"));
  GT_RETURN_IF_ERROR(FromGrpcStatus(
      plans.ImportPlan(Context(options, absl::Minutes(2)).get(), import, &result.tree)));
  const std::string plan = result.tree.plan().name();
  if (options.replace) {
    // The re-import that keeps history (README "Bulk changes"): matched
    // milestones keep their ids, changes become edits and history rows,
    // missing ones are soft-deleted — one transaction.
    GT_ASSIGN_OR_RETURN(v1::ReconcileMilestonesRequest reconcile,
                        ReconcileRequest(plan, document, result.tree, options.effective_at,
                                         options.revision_reason));
    reconcile.set_request_id(absl::StrCat(run, "-milestones"));
    v1::ReconcileMilestonesResponse reconciled;
    GT_RETURN_IF_ERROR(FromGrpcStatus(milestones.ReconcileMilestones(
        Context(options, absl::Minutes(5)).get(), reconcile, &reconciled)));
    import.set_keep_missing(false);
    import.set_request_id(absl::StrCat(run, "-prune"));
    GT_RETURN_IF_ERROR(FromGrpcStatus(
        plans.ImportPlan(Context(options, absl::Minutes(2)).get(), import, &result.tree)));
    result.milestones.assign(reconciled.milestones().begin(), reconciled.milestones().end());
    if (options.progress) {
      options.progress(result.milestones.size(), document.milestones.size());
    }
    return result;
  }

  std::vector<v1::CreateMilestoneRequest> requests;
  for (const ImportedMilestone& m : document.milestones) {
    GT_ASSIGN_OR_RETURN(std::string activity, ActivityName(result.tree, m));
    v1::CreateMilestoneRequest request;
    *request.mutable_milestone() = m.milestone;
    request.mutable_milestone()->set_activity(std::move(activity));
    *request.mutable_effective_at() = ToTimestamp(options.effective_at);
    const v1::Milestone& mm = m.milestone;
    if (!mm.current_deadline().empty() && !mm.baseline_deadline().empty() &&
        mm.current_deadline() != mm.baseline_deadline()) {
      request.set_revision_reason(options.revision_reason);
    }
    requests.push_back(std::move(request));
  }
  for (size_t start = 0; start < requests.size(); start += kBatch) {
    v1::BatchCreateMilestonesRequest batch;
    batch.set_parent(plan);
    batch.set_request_id(absl::StrCat(run, "-", start));
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
