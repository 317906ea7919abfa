#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "goldenthread/v1/common.pb.h"

namespace gt {

// Metadata the gateway sets after verifying a token; the gateway strips any a
// client sends, so backends can rely on it.
inline constexpr char kOrganisationHeader[] = "x-gt-organisation";
inline constexpr char kRoleHeader[] = "x-gt-role";
inline constexpr char kSubjectHeader[] = "x-gt-subject";
inline constexpr char kRequestIdHeader[] = "x-request-id";

struct Caller {
  // Empty for trusted in-cluster callers that carry no identity (tools, the
  // test harness): they may address any organisation.
  std::string organisation;
  goldenthread::v1::Role role = goldenthread::v1::ROLE_UNSPECIFIED;
  std::string subject;
  std::string request_id;
};

Caller CallerFrom(const grpc::ServerContextBase& context);

// A caller may only see its own organisation; another organisation's object
// answers exactly as a missing one: NOT_FOUND "<kind> <name> not found".
absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name);

// Copies the caller's identity and request id onto an outgoing call to
// another backend, with the caller's deadline.
void PropagateCall(const grpc::ServerContextBase& from, grpc::ClientContext& to);

}  // namespace gt
