#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Early returns for absl::Status / StatusOr, as in most abseil codebases.
#define GT_RETURN_IF_ERROR(expr)            \
  do {                                      \
    const absl::Status _gt_status = (expr); \
    if (!_gt_status.ok()) {                 \
      return _gt_status;                    \
    }                                       \
  } while (0)

#define GT_CONCAT_INNER(a, b) a##b
#define GT_CONCAT(a, b) GT_CONCAT_INNER(a, b)
#define GT_ASSIGN_OR_RETURN(lhs, expr) \
  GT_ASSIGN_OR_RETURN_IMPL(GT_CONCAT(_gt_statusor_, __LINE__), lhs, expr)
#define GT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) {                               \
    return tmp.status();                         \
  }                                              \
  lhs = std::move(*tmp)

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
