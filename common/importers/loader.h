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
  // Replace an existing plan: its tree is updated in place (ids kept where
  // codes match) and its milestones are replaced (the old ones are deleted,
  // which keeps their history).
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

// Writes an imported document through the public API: the tree in one
// ImportPlan transaction, then the milestones in batches (each batch one
// transaction, idempotent by request id). Errors are the services' own.
absl::StatusOr<LoadResult> Load(goldenthread::v1::PlanService::StubInterface& plans,
                                goldenthread::v1::MilestoneService::StubInterface& milestones,
                                const ImportedPlan& document, const LoadOptions& options);

}  // namespace gt::importers
