#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "milestone_repository.h"
#include "period_manager.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace gt::milestone {

// goldenthread_milestone_updates_total{status}: committed progress updates
// (never replays or failures).
// At scrape time (so never stale), recounting only the plans whose
// milestones changed since the last scrape (or all of them when the day
// turns, or when many changed: then one covering-index scan):
//   goldenthread_milestones_overdue{organisation,plan,directorate}
//   goldenthread_milestones_total{organisation,plan,status}
//   goldenthread_milestone_last_update_timestamp_seconds{organisation,plan}
//   goldenthread_milestone_scrape_seconds, goldenthread_milestone_scrape_success
class MilestoneMetrics : public prometheus::Collectable {
 public:
  MilestoneMetrics(prometheus::Registry& registry, MilestoneRepository& repository);
  void CountUpdate(int32_t status);
  std::vector<prometheus::MetricFamily> Collect() const override;

  // The scrape's rows: cached per plan, recounted where the plan changed.
  absl::StatusOr<std::vector<ScrapeRow>> Rows(absl::CivilDay day) const;

 private:
  struct PlanRows {
    absl::Time changed;
    std::vector<ScrapeRow> rows;
  };
  // More changed plans than this in one scrape: one full scan is cheaper.
  static constexpr size_t kRecountPlansAtMost = 50;

  MilestoneRepository& repository_;
  mutable std::mutex mu_;
  mutable absl::CivilDay cache_day_ ABSL_GUARDED_BY(mu_);
  mutable std::map<std::pair<std::string, std::string>, PlanRows> cache_ ABSL_GUARDED_BY(mu_);
  std::array<prometheus::Counter*, 7> updates_{};
};

// The monitoring round, at scrape time, for periods in a round (OPEN,
// IN_REVIEW) only — so the label values are bounded by the open periods
// times their directorates times four states:
//   goldenthread_updates_due{organisation,plan,period,directorate,state}
//   goldenthread_period_due_date_seconds{organisation,plan,period}
// Every replica exports the same values (they come from the database):
// dashboards and alerts aggregate with max by (...), never sum.
class PeriodMetrics : public prometheus::Collectable {
 public:
  explicit PeriodMetrics(PeriodManager& periods) : periods_(periods) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  PeriodManager& periods_;
};

}  // namespace gt::milestone
