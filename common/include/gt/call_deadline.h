#pragma once

#include "absl/time/time.h"

namespace gt {

// The deadline of the gRPC call this thread is serving, so that work deep
// below the edge (waiting for a database connection) never outlives the
// caller's patience without every layer passing it along. Set by the gRPC
// edge for the duration of a synchronous handler; InfiniteFuture otherwise.
class ScopedCallDeadline {
 public:
  explicit ScopedCallDeadline(absl::Time deadline);
  ~ScopedCallDeadline();
  ScopedCallDeadline(const ScopedCallDeadline&) = delete;
  ScopedCallDeadline& operator=(const ScopedCallDeadline&) = delete;

 private:
  absl::Time previous_;
};

absl::Time CurrentCallDeadline();

}  // namespace gt
