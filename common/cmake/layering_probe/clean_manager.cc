// What a manager may use: gt_base's headers and the protobuf messages.
#include "goldenthread/v1/milestone.pb.h"
#include "gt/caller.h"
#include "gt/dates.h"
#include "gt/overdue.h"
#include "gt/paging.h"
#include "gt/request_key.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/update_mask.h"
#include "gt/validation.h"

int CleanManager(const goldenthread::v1::Milestone& m) {
  return gt::IsOverdue(m.current_deadline(), m.status(), absl::CivilDay(2018, 3, 31)) ? 1 : 0;
}
