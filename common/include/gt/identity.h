#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "goldenthread/v1/common.pb.h"

namespace gt {

// Metadata the gateway sets after verifying a token; the gateway strips any a
// client sends, so backends can rely on it.
inline constexpr char kOrganisationHeader[] = "x-gt-organisation";
inline constexpr char kRoleHeader[] = "x-gt-role";
inline constexpr char kSubjectHeader[] = "x-gt-subject";
inline constexpr char kRequestIdHeader[] = "x-request-id";
// The gateway's seal over the identity above (SealIdentity): backends that
// hold the identity key answer only sealed calls (issue 16).
inline constexpr char kSealHeader[] = "x-gt-identity-seal";

struct Caller {
  // Empty for trusted in-cluster callers that carry no identity (tools, the
  // test harness): they may address any organisation.
  std::string organisation;
  goldenthread::v1::Role role = goldenthread::v1::ROLE_UNSPECIFIED;
  std::string subject;
  std::string request_id;
  // The seal that came with the identity, passed on unchanged when a backend
  // calls another on the caller's behalf.
  std::string seal;
};

Caller CallerFrom(const grpc::ServerContextBase& context);

// A caller may only see its own organisation; another organisation's object
// answers exactly as a missing one: NOT_FOUND "<kind> <name> not found".
absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name);

// Copies the caller's identity, its seal and request id onto an outgoing call
// to another backend, with the caller's deadline.
void PropagateCall(const grpc::ServerContextBase& from, grpc::ClientContext& to);

// ---- sealed identities ---------------------------------------------------
// The identity headers are believed only when sealed: HMAC-SHA256, with a key
// only the gateway, the backends and operators' tools hold, over
// (organisation, role, subject, expiry). The gateway seals what it verified
// from a token; an operator's tool seals the empty identity (any
// organisation) with the same key. A backend that holds the key refuses any
// call without a valid, unexpired seal for exactly the headers sent —
// whatever else it carries — UNAUTHENTICATED. "<expiry unix seconds>.<hex>".
std::string SealIdentity(absl::string_view key, const Caller& caller, absl::Time expires);
absl::Status CheckSeal(absl::string_view key, const grpc::ServerContextBase& context,
                       absl::Time now);
// Adds the identity headers and their seal to an outgoing call (tools, tests).
void AddSealedIdentity(grpc::ClientContext& context, absl::string_view key, const Caller& caller,
                       absl::Time expires);

// The key this process checks seals with; unset (the default inside tests
// that host services in-process), calls are not checked. Service binaries
// set it at start-up, or refuse to start without --insecure_identity.
void RequireSealedIdentity(std::string key);
const std::string* SealKey();
// The key from --identity_key_file / GT_IDENTITY_KEY_FILE (a file holding at
// least 32 characters); NotFound when neither is given.
absl::StatusOr<std::string> LoadIdentityKey(const std::string& path);

}  // namespace gt
