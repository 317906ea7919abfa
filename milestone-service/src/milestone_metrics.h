#pragma once

#include <array>
#include <vector>

#include "milestone_repository.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace gt::milestone {

// goldenthread_milestone_updates_total{status}: committed progress updates
// (never replays or failures).
// At scrape time, from one covering-index query (so never stale):
//   goldenthread_milestones_overdue{organisation,plan,directorate}
//   goldenthread_milestones_total{organisation,plan,status}
//   goldenthread_milestone_last_update_timestamp_seconds{organisation,plan}
//   goldenthread_milestone_scrape_seconds, goldenthread_milestone_scrape_success
class MilestoneMetrics : public prometheus::Collectable {
 public:
  MilestoneMetrics(prometheus::Registry& registry, MilestoneRepository& repository);
  void CountUpdate(int32_t status);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  MilestoneRepository& repository_;
  std::array<prometheus::Counter*, 7> updates_{};
};

}  // namespace gt::milestone
