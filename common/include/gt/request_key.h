#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gt {

// AIP-155: the key a write is remembered by (organisation, request_id) and
// the hash of the request it came with. The store is gt/idempotency.h.
struct RequestKey {
  std::string organisation;
  std::string request_id;
  std::string method;
  // SHA-256 of the request with its request_id cleared.
  std::string request_hash;
};

// Validates request_id (field name for errors) and hashes the request. The
// message must be passed with request_id already cleared.
absl::StatusOr<RequestKey> MakeRequestKey(absl::string_view organisation,
                                          absl::string_view request_id, absl::string_view method,
                                          const google::protobuf::Message& request_without_id);

}  // namespace gt
