#include "mysql_token_repository.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "gt/caller.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::gateway {
namespace {

using goldenthread::v1::ApiToken;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;

constexpr char kColumns[] =
    "org_id, token_id, secret_hash, secret_prefix, role, subject, display_name, created_by, "
    "create_time, expire_time, revoke_time, directorates";

TokenRecord ReadRecord(sql::ResultSet& rs) {
  TokenRecord r;
  r.organisation = rs.getString(1);
  r.token_id = rs.getString(2);
  r.secret_hash = rs.getString(3);
  r.secret_prefix = rs.getString(4);
  r.role = static_cast<goldenthread::v1::Role>(rs.getInt(5));
  r.subject = rs.getString(6);
  r.display_name = rs.getString(7);
  r.created_by = rs.getString(8);
  r.create_time = ParseDbTime(rs.getString(9));
  if (!rs.isNull(10)) {
    r.expire_time = ParseDbTime(rs.getString(10));
  }
  if (!rs.isNull(11)) {
    r.revoke_time = ParseDbTime(rs.getString(11));
  }
  // Stored joined with ',' (which no code contains), as forwarded.
  r.directorates = SplitDirectorates(std::string(rs.getString(12)));
  return r;
}

absl::StatusOr<TokenRecord> Load(Session& c, const std::string& organisation,
                                 const std::string& token_id) {
  Stmt st(c.Prepare(
      absl::StrCat("SELECT ", kColumns, " FROM api_tokens WHERE org_id = ? AND token_id = ?")));
  st->setString(1, organisation);
  st->setString(2, token_id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("token", TokenName(organisation, token_id));
  }
  return ReadRecord(*rs);
}

}  // namespace

absl::StatusOr<ApiToken> MysqlTokenRepository::Create(const TokenRecord& record,
                                                      const RequestKey* request, bool* replayed) {
  ApiToken out;
  *replayed = false;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "CreateToken", [&](Session& c) {
    if (request != nullptr) {
      GT_ASSIGN_OR_RETURN(auto previous, ClaimRequest(c, *request));
      if (previous.has_value()) {
        out.ParseFromString(*previous);
        *replayed = true;
        return absl::OkStatus();
      }
    }
    Stmt st(c.Prepare(absl::StrCat("INSERT INTO api_tokens (", kColumns,
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)")));
    st->setString(1, record.organisation);
    st->setString(2, record.token_id);
    st->setString(3, record.secret_hash);
    st->setString(4, record.secret_prefix);
    st->setInt(5, record.role);
    st->setString(6, record.subject);
    st->setString(7, record.display_name);
    st->setString(8, record.created_by);
    st->setString(9, FormatDbTime(record.create_time));
    BindNullableString(*st, 10, record.expire_time ? FormatDbTime(*record.expire_time) : "");
    st->setString(11, JoinDirectorates(record.directorates));
    st->executeUpdate();
    out = ToProto(record);
    if (request != nullptr) {
      // The answer kept for repeats has no secret: secrets are never stored.
      RecordResponse(c, *request, out);
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TokenRecord> MysqlTokenRepository::FindBySecret(const std::string& organisation,
                                                               const std::string& secret_hash) {
  TokenRecord out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "FindToken", [&](Session& c) {
    Stmt st(c.Prepare(absl::StrCat("SELECT ", kColumns,
                                   " FROM api_tokens WHERE org_id = ? AND secret_hash = ?")));
    st->setString(1, organisation);
    st->setString(2, secret_hash);
    Rows rs(st->executeQuery());
    if (!rs->next()) {
      return absl::NotFoundError("unknown token");
    }
    out = ReadRecord(*rs);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TokenRecord> MysqlTokenRepository::Get(const std::string& organisation,
                                                      const std::string& token_id) {
  TokenRecord out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "GetToken", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(out, Load(c, organisation, token_id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<TokenRecord>> MysqlTokenRepository::List(const std::string& organisation,
                                                                    const std::string& after,
                                                                    int limit, bool show_revoked) {
  std::vector<TokenRecord> out;
  GT_RETURN_IF_ERROR(RunSql(pool_, Deadline(), "ListTokens", [&](Session& c) {
    Stmt st(c.Prepare(absl::StrCat(
        "SELECT ", kColumns, " FROM api_tokens WHERE org_id = ? AND token_id > ?",
        show_revoked ? "" : " AND revoke_time IS NULL", " ORDER BY token_id LIMIT ?")));
    st->setString(1, organisation);
    st->setString(2, after);
    st->setInt(3, limit);
    Rows rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(ReadRecord(*rs));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TokenRecord> MysqlTokenRepository::Revoke(const std::string& organisation,
                                                         const std::string& token_id) {
  TokenRecord out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "RevokeToken", [&](Session& c) {
    // Revoking twice keeps the first time: the token stopped working then.
    Stmt st(
        c.Prepare("UPDATE api_tokens SET revoke_time = ? WHERE org_id = ? AND token_id = ? AND "
                  "revoke_time IS NULL"));
    st->setString(1, FormatDbTime(absl::Now()));
    st->setString(2, organisation);
    st->setString(3, token_id);
    st->executeUpdate();
    GT_ASSIGN_OR_RETURN(out, Load(c, organisation, token_id));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gt::gateway
