#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gt/request_key.h"
#include "milestone_repository.h"
#include "period_model.h"

namespace gt::milestone {

// What ReviewUpdate decides on, read under the locks of the milestone and of
// the period the update belongs to.
struct ReviewContext {
  MilestoneRow milestone;
  UpdateRow update;
  // The period whose dates hold the update's effective time (none: nullopt).
  std::optional<PeriodRow> period;
  // The milestone's latest PROGRESS update inside that period.
  int64_t latest_in_period = 0;
  // The latest review of this update.
  std::optional<ReviewRow> latest_review;
};

// Storage of the monitoring round (periods, reviews, packs). Every call is
// scoped by organisation and plan.
class PeriodRepository {
 public:
  virtual ~PeriodRepository() = default;

  // Creates the periods in one transaction, under the plan's period lock:
  // `check` sees the plan's existing periods and refuses overlaps.
  virtual absl::StatusOr<WriteResult<std::vector<PeriodRow>>> CreatePeriods(
      const PlanRef& plan, std::vector<PeriodRow> periods, const RequestKey* request,
      const std::function<absl::Status(const std::vector<PeriodRow>& existing)>& check,
      const std::function<std::string(const std::vector<PeriodRow>&)>& encode) = 0;
  virtual absl::StatusOr<PeriodRow> GetPeriod(const PeriodKey& key) = 0;
  // By start date, after the period starting at `after` (id breaks ties).
  virtual absl::StatusOr<std::vector<PeriodRow>> ListPeriods(const PlanRef& plan,
                                                             const std::string& after_id,
                                                             int limit) = 0;
  // Locks the period and lets `change` edit it (state, times); bumps its
  // version.
  virtual absl::StatusOr<PeriodRow> ChangePeriod(
      const PeriodKey& key, const std::function<absl::Status(PeriodRow&)>& change) = 0;

  // Everything DueOf needs, read in one consistent snapshot.
  virtual absl::StatusOr<DueFacts> Due(const PlanRef& plan, const PeriodRow& period) = 0;

  // Locks the milestone (as updates do) and the period holding the update,
  // lets `decide` judge, and appends the review; idempotent by request id.
  virtual absl::StatusOr<WriteResult<ReviewRow>> Review(
      const UpdateKey& key, const RequestKey* request,
      const std::function<absl::StatusOr<ReviewRow>(const ReviewContext&)>& decide,
      const std::function<std::string(const ReviewRow&)>& encode) = 0;
  virtual absl::StatusOr<std::vector<ReviewRow>> ListReviews(const PeriodKey& key,
                                                             int64_t after_review_id,
                                                             int limit) = 0;

  // Locks the period; `decide` checks it may be published given its due
  // updates as they stand under the lock and sets what publishing changes.
  // Unless `dry_run`, stores the files and the period in one transaction
  // and answers the period as stored; a dry run answers it as it stands.
  // A request id seen before answers the first publication (even dry).
  virtual absl::StatusOr<WriteResult<PeriodRow>> Publish(
      const PeriodKey& key, const RequestKey* request,
      const std::function<absl::Status(PeriodRow&, const DueFacts&)>& decide,
      const std::vector<PackFileRow>& files, bool dry_run,
      const std::function<std::string(const PeriodRow&)>& encode) = 0;
  // The pack's files in order; content only for `filename` (when given: that
  // file alone, NOT_FOUND when absent).
  virtual absl::StatusOr<std::vector<PackFileRow>> PackFiles(const PeriodKey& key,
                                                             const std::string& filename) = 0;

  // For the gauges: every period in a round (OPEN, IN_REVIEW), across
  // organisations.
  virtual absl::StatusOr<std::vector<std::pair<PlanRef, PeriodRow>>> PeriodsInRound() = 0;
};

}  // namespace gt::milestone
