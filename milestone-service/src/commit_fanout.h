#pragma once

#include "milestone_manager.h"
#include "milestone_metrics.h"
#include "update_bus.h"

namespace gt::milestone {

// What a committed update tells the rest of the service: the updates counter
// and, when it carries its sequence (the plan is watched), the watchers. One
// wiring for the binary and the tests.
CommitListener FanOutCommits(MilestoneMetrics& metrics, UpdateBus& bus);

// Reading an update's sequence costs the writer a round trip; only plans with
// a watcher need it. Asked after the commit, so a watcher subscribed before
// the commit always gets the update.
SequenceWanted WatchedPlans(UpdateBus& bus);

}  // namespace gt::milestone
