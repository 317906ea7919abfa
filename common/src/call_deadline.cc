#include "gt/call_deadline.h"

namespace gt {
namespace {
thread_local absl::Time current_deadline = absl::InfiniteFuture();
}  // namespace

ScopedCallDeadline::ScopedCallDeadline(absl::Time deadline) : previous_(current_deadline) {
  current_deadline = deadline;
}

ScopedCallDeadline::~ScopedCallDeadline() { current_deadline = previous_; }

absl::Time CurrentCallDeadline() { return current_deadline; }

}  // namespace gt
