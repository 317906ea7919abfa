#include "commit_fanout.h"

namespace gt::milestone {

CommitListener FanOutCommits(MilestoneMetrics& metrics, UpdateBus& bus) {
  return [&metrics, &bus](const PlanRef& plan, const UpdateRow& update) {
    if (update.kind == goldenthread::v1::PROGRESS) {
      metrics.CountUpdate(update.status);
    }
    if (update.update_id != 0) {
      bus.Publish(PlanName(plan), ToProto(plan, update));
    }
  };
}

SequenceWanted WatchedPlans(UpdateBus& bus) {
  return [&bus](const PlanRef& plan) { return bus.HasWatchers(PlanName(plan)); };
}

}  // namespace gt::milestone
