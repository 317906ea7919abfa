#pragma once

// absl::Status at the gRPC edge (gt_grpc). The domain speaks absl::Status
// (gt/status.h); this is where it becomes grpc::Status and back.

#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <vector>

#include "gt/status.h"

namespace gt {

// The one place absl::Status becomes grpc::Status. Codes map one to one; the
// message is passed through, so everything below the edge must already speak
// in messages a caller can act on (no SQL text, no exception dumps).
//
// INVALID_ARGUMENT also carries google.rpc.Status{code, message,
// details: [BadRequest]} as binary error details (the grpc-status-details-bin
// trailer), so that clients read the field without parsing the message: the
// BadRequest payload when the status has one (InvalidField), else one
// violation read from a message that starts with a field path and ": "
// ("requests[3].progress.comment: must ..."), else no details at all.
grpc::Status ToGrpcStatus(const absl::Status& status);
// Keeps a BadRequest that came in the details as the payload, so that an
// answer passed on by a client of another service keeps its fields.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The (field, description) pairs of the google.rpc.BadRequest in a status's
// binary error details; empty when it has none (or they do not parse).
std::vector<std::pair<std::string, std::string>> FieldViolations(const grpc::Status& status);

// `code` and `message` in place of `original`'s, keeping the detail entries
// of its binary error details (their google.rpc.Status rewritten to the new
// code and message, as clients check that they agree): for a proxy that
// changes an upstream's answer.
grpc::Status ReplaceCodeAndMessage(const grpc::Status& original, grpc::StatusCode code,
                                   std::string message);

// Finishes a unary gRPC handler: copies the value into the response or maps
// the error.
template <typename T>
grpc::Status Respond(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) {
    return ToGrpcStatus(result.status());
  }
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace gt
