#pragma once

// The gRPC side of a caller's identity: reading it from a call's metadata,
// passing it on, sealing it (gt_grpc). The Caller itself is gt/caller.h.

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "goldenthread/v1/common.pb.h"
#include "gt/caller.h"

namespace gt {

Caller CallerFrom(const grpc::ServerContextBase& context);

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
