#include "gt/idempotency.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <istream>
#include <memory>
#include <sstream>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gt/migrations.h"
#include "gt/status.h"

namespace gt {

namespace {

// Inserts the requests' rows, with their answers when known already. False
// when an id is taken (by a committed row; a concurrent uncommitted one is
// waited for): then none is inserted. A failed INSERT rolls back only itself:
// the transaction goes on.
bool InsertClaims(Session& conn, const std::vector<Claim>& claims) {
  std::string sql =
      "INSERT INTO request_log (org_id, request_id, method, request_hash, response, create_time) "
      "VALUES ";
  for (size_t i = 0; i < claims.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "(?, ?, ?, ?, ?, UTC_TIMESTAMP(6))");
  }
  sql::PreparedStatement* ins(conn.Prepare(sql));
  // The connector reads blobs from streams at execute time.
  std::vector<std::istringstream> streams;
  streams.reserve(claims.size());
  int i = 1;
  for (const Claim& claim : claims) {
    const RequestKey& key = *claim.key;
    ins->setString(i++, key.organisation);
    ins->setString(i++, key.request_id);
    ins->setString(i++, key.method);
    ins->setString(i++, key.request_hash);
    if (claim.answer != nullptr) {
      streams.emplace_back(*claim.answer);
      ins->setBlob(i++, &streams.back());
    } else {
      ins->setNull(i++, sql::DataType::LONGVARBINARY);
    }
  }
  try {
    ins->executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1062) {
      return false;
    }
    throw;
  }
  return true;
}

bool InsertClaim(Session& conn, const RequestKey& key, const std::string* response) {
  return InsertClaims(conn, {Claim{&key, response}});
}

}  // namespace

bool ClaimRequests(Session& conn, const std::vector<Claim>& claims) {
  return claims.empty() || InsertClaims(conn, claims);
}

absl::StatusOr<std::optional<std::string>> ClaimRequest(Session& conn, const RequestKey& key,
                                                        const std::optional<std::string>& answer) {
  if (InsertClaim(conn, key, answer.has_value() ? &*answer : nullptr)) {
    return std::optional<std::string>();
  }
  return FindAnswer(conn, key);
}

absl::StatusOr<std::optional<std::string>> FindAnswer(Session& conn, const RequestKey& key) {
  sql::PreparedStatement* sel(
      conn.Prepare("SELECT method, request_hash, response FROM request_log WHERE org_id = ? AND "
                   "request_id = ?"));
  sel->setString(1, key.organisation);
  sel->setString(2, key.request_id);
  std::unique_ptr<sql::ResultSet> rs(sel->executeQuery());
  if (!rs->next()) {
    return std::optional<std::string>();
  }
  if (rs->getString(1) != key.method || rs->getString(2) != key.request_hash) {
    return InvalidField("request_id",
                        absl::StrCat("'", key.request_id,
                                     "' was already used for a different request; use a new "
                                     "request_id for a new request"));
  }
  if (rs->isNull(3)) {
    // The first request is still running: the caller retries.
    return absl::AbortedError(
        absl::StrCat("request_id '", key.request_id, "' is being processed; retry"));
  }
  std::unique_ptr<std::istream> blob(rs->getBlob(3));
  std::stringstream content;
  content << blob->rdbuf();
  return std::optional<std::string>(content.str());
}

absl::Status StoreAnswer(Session& conn, const RequestKey& key, const std::string& response) {
  if (!InsertClaim(conn, key, &response)) {
    return absl::AbortedError(
        absl::StrCat("request_id '", key.request_id, "' is in use by another call; retry"));
  }
  return absl::OkStatus();
}

void RecordResponse(Session& conn, const RequestKey& key,
                    const google::protobuf::Message& response) {
  std::string bytes = response.SerializeAsString();
  std::istringstream stream(bytes);
  sql::PreparedStatement* upd(
      conn.Prepare("UPDATE request_log SET response = ? WHERE org_id = ? AND request_id = ?"));
  upd->setBlob(1, &stream);
  upd->setString(2, key.organisation);
  upd->setString(3, key.request_id);
  upd->executeUpdate();
}

}  // namespace gt
