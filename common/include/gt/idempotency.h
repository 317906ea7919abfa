#pragma once

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gt/mysql_pool.h"
#include "gt/request_key.h"

namespace gt {

// AIP-155 idempotency over a service's `request_log` table (see any
// schema/0001_*.sql), for a RequestKey (gt/request_key.h). Used inside the
// write's own transaction, so the log row and the write commit or roll back
// together.
// Claims the request id in one INSERT. Concurrent repeats wait on the row
// lock, then see the committed answer. Returns:
//   nullopt           -> new request: do the write (then RecordResponse()
//                        unless `answer` was given: it is stored already);
//   the first answer  -> a repeat: return it and write nothing;
//   INVALID_ARGUMENT  -> the same id was used with a different request.
// Without `answer`, call it first thing in the transaction. With it, for a
// write that serialises on a row lock and knows its answer before writing
// anything (a milestone update): one round trip instead of FindAnswer's plus
// StoreAnswer's.
absl::StatusOr<std::optional<std::string>> ClaimRequest(
    Session& conn, const RequestKey& key, const std::optional<std::string>& answer = std::nullopt);
// ClaimRequest for several requests whose answers are known, in one INSERT
// (a group of milestone updates). False when any id is taken: then none is
// claimed, and each request should go its own way (ClaimRequest).
struct Claim {
  const RequestKey* key;
  const std::string* answer;  // null: recorded later (RecordResponse)
};
bool ClaimRequests(Session& conn, const std::vector<Claim>& claims);

void RecordResponse(Session& conn, const RequestKey& key,
                    const google::protobuf::Message& response);

// The other strategy, for writes that already serialise on a row lock (a
// milestone's) under READ COMMITTED: look the id up after taking the lock,
// store the answer at the end.
//   FindAnswer: nullopt when unseen; the first answer; INVALID_ARGUMENT when
//   the id came with a different request; ABORTED while the first is running.
//   StoreAnswer: ABORTED when a concurrent call took the id meanwhile.
absl::StatusOr<std::optional<std::string>> FindAnswer(Session& conn, const RequestKey& key);
absl::Status StoreAnswer(Session& conn, const RequestKey& key, const std::string& response);

}  // namespace gt
