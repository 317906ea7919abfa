#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// The absl::Status payload that holds a serialized google.rpc.BadRequest
// (the same type URL as in the Any that carries it over the wire).
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

// The serialized google.rpc.BadRequest an INVALID_ARGUMENT status stands
// for: its payload (InvalidField), else one violation read from a message
// that starts with a field path and ": " ("requests[3].progress.comment:
// must ..."), else none. gt/grpc_status.h sends it as error details.
std::optional<std::string> BadRequestFor(const absl::Status& status);

// INVALID_ARGUMENT "<field>: <rule>", e.g.
// "plan.title: must not be empty", with the BadRequest payload
// {field, rule}.
absl::Status InvalidField(absl::string_view field, absl::string_view rule);

// NOT_FOUND "<kind> <name> not found". Used both for a missing resource and for
// one in another organisation, so the two answers cannot be told apart.
absl::Status NotFound(absl::string_view kind, absl::string_view name);

}  // namespace gt
