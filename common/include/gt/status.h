#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gt {

// The one place absl::Status becomes grpc::Status. Codes map one to one; the
// message is passed through, so everything below the edge must already speak
// in messages a caller can act on (no SQL text, no exception dumps).
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// INVALID_ARGUMENT "<field>: <rule>", e.g.
// "plan.title: must not be empty".
absl::Status InvalidField(absl::string_view field, absl::string_view rule);

// NOT_FOUND "<kind> <name> not found". Used both for a missing resource and for
// one in another organisation, so the two answers cannot be told apart.
absl::Status NotFound(absl::string_view kind, absl::string_view name);

}  // namespace gt
