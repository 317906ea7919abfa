#pragma once

// The rules of a progress update and a deadline revision, shared by the
// single methods and the batch (MilestoneManager). No gRPC, no SQL.
#include <cstddef>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "goldenthread/v1/milestone.pb.h"
#include "milestone_model.h"

namespace gt::milestone {

inline constexpr size_t kMaxTitle = 1000;
inline constexpr size_t kMaxComment = 20000;
inline constexpr size_t kMaxReason = 2000;
// Most items of one batch (creates, updates, a reconciled plan).
inline constexpr int kMaxBatch = 5000;

// The rules every reported state obeys, at creation or in an update:
// COMPLETED means 100%, 0..100, DELAYED needs its explanation.
absl::Status CheckProgress(absl::string_view prefix, int32_t status, int32_t percent,
                           absl::string_view comment, bool percent_given);

// ABORTED when a non-empty etag is not the milestone's version.
absl::Status CheckEtag(absl::string_view field, const std::string& etag, const MilestoneKey& key,
                       int64_t version);
// The same for any resource named `name` (a period).
absl::Status CheckResourceEtag(absl::string_view field, const std::string& etag,
                               const std::string& name, int64_t version);

// A deadline revision of the current state (effective time not set).
UpdateRow RevisionRow(const MilestoneRow& current, const std::string& new_deadline,
                      const std::string& reason);

// Turns the locked current state into the history row to append.
using Decision = std::function<absl::StatusOr<UpdateRow>(const MilestoneRow&)>;

// Checks what can be checked without the current state (fields named under
// `prefix`, "" for the single method) and returns the decision, which checks
// the etag and the rest against the state. `request` must outlive it.
absl::StatusOr<Decision> ProgressDecision(
    absl::string_view prefix, const goldenthread::v1::UpdateMilestoneProgressRequest& request,
    const MilestoneKey& key, absl::Time effective);
absl::StatusOr<Decision> RevisionDecision(absl::string_view prefix,
                                          const goldenthread::v1::ReviseDeadlineRequest& request,
                                          const MilestoneKey& key, absl::Time effective);

}  // namespace gt::milestone
