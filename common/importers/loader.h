#pragma once

#include <grpcpp/client_context.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/importers/importers.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"

namespace gt::importers {

struct LoadOptions {
  std::string organisation;  // "th"
  std::string plan_id;       // "2017-18"
  // The instant the document's statuses speak for (its quarter or year end).
  absl::Time effective_at;
  // Replace an existing plan the way `gtctl import --replace` does: the tree
  // updated in place (ids kept where codes match, dropped nodes removed only
  // after the milestones have left them) and the milestones reconciled
  // (ReconcileMilestones: matched ones keep their ids and history, changes
  // become edits and history rows, missing ones are soft-deleted). Never
  // deletes and re-creates.
  bool replace = false;
  // Recorded on milestones whose document deadline differs from the date in
  // their text.
  std::string revision_reason = "Deadline revised, as reported in the source document";
  // Adds credentials / request ids to every call.
  std::function<void(grpc::ClientContext&)> decorate;
  // Called with (done, total) milestones as batches are written.
  std::function<void(size_t, size_t)> progress;
};

struct LoadResult {
  goldenthread::v1::PlanTree tree;
  std::vector<goldenthread::v1::Milestone> milestones;
};

// The ReconcileMilestonesRequest that makes `plan`'s milestones the
// document's, placed on `tree` (the plan's tree as written, whose activities
// carry their names). A milestone name of another plan (a copied export) is
// dropped, so that one is matched by activity, ordinal and title. No
// request_id: the caller chooses it. INVALID_ARGUMENT when a milestone's
// activity is not in `tree`.
absl::StatusOr<goldenthread::v1::ReconcileMilestonesRequest> ReconcileRequest(
    const std::string& plan, const ImportedPlan& document, const goldenthread::v1::PlanTree& tree,
    absl::Time effective_at, const std::string& revision_reason);

// Writes an imported document through the public API. A new plan: the tree
// in one ImportPlan transaction, then the milestones in batches (each batch
// one transaction). With `replace`: ImportPlan keeping missing nodes, one
// ReconcileMilestones, ImportPlan pruning them. Every call idempotent by a
// request id unique to this load. Errors are the services' own.
absl::StatusOr<LoadResult> Load(goldenthread::v1::PlanService::StubInterface& plans,
                                goldenthread::v1::MilestoneService::StubInterface& milestones,
                                const ImportedPlan& document, const LoadOptions& options);

}  // namespace gt::importers
