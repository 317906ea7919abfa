#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gt {

// AIP-158 page size: 0 -> default, negative -> INVALID_ARGUMENT, above max ->
// max.
absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size);

// Page tokens are opaque to callers: base64url of a version, a fingerprint of
// the request's other parameters (a token is refused with changed filters,
// as AIP-158 asks) and a cursor the repository understands.
std::string EncodePageToken(uint64_t request_fingerprint, absl::string_view cursor);
// Empty token -> empty cursor.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t request_fingerprint);

// Stable (across processes and builds) 64-bit FNV-1a of the given parts.
uint64_t Fingerprint(std::initializer_list<absl::string_view> parts);

// Etags (AIP-154) carry the row version, so an update can be a single
// "UPDATE ... WHERE version = ?", plus a check of the resource name so an etag
// of one resource is never accepted for another.
std::string MakeEtag(absl::string_view name, int64_t version);
// The version the etag stands for; ABORTED when it is not an etag of this
// resource (a mismatch and a garbled etag mean the same to the caller: re-read).
absl::StatusOr<int64_t> ParseEtag(absl::string_view field, absl::string_view name,
                                  absl::string_view etag);

}  // namespace gt
