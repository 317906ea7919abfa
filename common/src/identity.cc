#include "gt/identity.h"

#include <grpcpp/client_context.h>

#include "gt/status.h"

namespace gt {
namespace {

std::string Header(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) {
    return {};
  }
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

Caller CallerFrom(const grpc::ServerContextBase& context) {
  Caller caller;
  caller.organisation = Header(context, kOrganisationHeader);
  goldenthread::v1::Role role;
  if (goldenthread::v1::Role_Parse(Header(context, kRoleHeader), &role)) {
    caller.role = role;
  }
  caller.subject = Header(context, kSubjectHeader);
  caller.request_id = Header(context, kRequestIdHeader);
  return caller;
}

absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name) {
  if (!caller.organisation.empty() && caller.organisation != organisation) {
    return NotFound(kind, name);
  }
  return absl::OkStatus();
}

void PropagateCall(const grpc::ServerContextBase& from, grpc::ClientContext& to) {
  to.set_deadline(from.deadline());
  for (const char* key : {kOrganisationHeader, kRoleHeader, kSubjectHeader, kRequestIdHeader}) {
    std::string value = Header(from, key);
    if (!value.empty()) {
      to.AddMetadata(key, value);
    }
  }
}

}  // namespace gt
