// The organisation's directorate table and the spellings each directorate
// claims.
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gt/directorates.h"
#include "gt/paging.h"
#include "gt/sql_util.h"
#include "gt/status.h"
#include "mysql_plan_repository.h"

namespace gt::plan {

using goldenthread::v1::Directorate;
using Stmt = sql::PreparedStatement*;  // owned by the session's cache
using Rows = std::unique_ptr<sql::ResultSet>;
using sqlrows::ListAfter;

namespace {

constexpr const char* kDirectorateColumns =
    "directorate_id, code, display_name, aliases, version, create_time, update_time";

Directorate ReadDirectorate(const std::string& organisation, sql::ResultSet& rs) {
  Directorate out;
  out.set_name(DirectorateName(DirectorateKey{organisation, rs.getString(1)}));
  out.set_code(rs.getString(2));
  out.set_display_name(rs.getString(3));
  std::string aliases = rs.getString(4);
  for (absl::string_view alias : absl::StrSplit(aliases, '\n', absl::SkipEmpty())) {
    out.add_aliases(std::string(alias));
  }
  out.set_etag(MakeEtag(out.name(), rs.getInt64(5)));
  *out.mutable_create_time() = ToTimestamp(ParseDbTime(rs.getString(6)));
  *out.mutable_update_time() = ToTimestamp(ParseDbTime(rs.getString(7)));
  return out;
}

absl::StatusOr<Directorate> LoadDirectorate(Session& c, const DirectorateKey& key,
                                            bool for_update) {
  Stmt st(c.Prepare(absl::StrCat("SELECT ", kDirectorateColumns,
                                 " FROM directorates WHERE org_id = ? AND directorate_id = ?",
                                 for_update ? " FOR UPDATE" : "")));
  st->setString(1, key.organisation);
  st->setString(2, key.id);
  Rows rs(st->executeQuery());
  if (!rs->next()) {
    return NotFound("directorate", DirectorateName(key));
  }
  return ReadDirectorate(key.organisation, *rs);
}

absl::Status SpellingTaken(const DirectorateKey& key, const std::string& field,
                           const std::string& spelling, const std::string& holder) {
  return absl::AlreadyExistsError(absl::StrCat(
      field, ": '", spelling, "' already means directorate ",
      holder.empty() ? std::string("another directorate")
                     : DirectorateName(DirectorateKey{key.organisation, holder}),
      "; a code or alias belongs to one directorate of the organisation (case and spaces around "
      "'&' ignored)"));
}

void DeleteSpellings(Session& c, const DirectorateKey& key) {
  Stmt st(c.Prepare("DELETE FROM directorate_spellings WHERE org_id = ? AND directorate_id = ?"));
  st->setString(1, key.organisation);
  st->setString(2, key.id);
  st->executeUpdate();
}

// Claims the code and every alias of `d` for it. Its own old spellings must
// be deleted first.
absl::Status ClaimSpellings(Session& c, const DirectorateKey& key, const Directorate& d) {
  std::vector<std::pair<std::string, std::string>> spellings = {{"directorate.code", d.code()}};
  for (int i = 0; i < d.aliases_size(); ++i) {
    spellings.emplace_back(absl::StrCat("directorate.aliases[", i, "]"), d.aliases(i));
  }
  Stmt find(c.Prepare(
      "SELECT directorate_id FROM directorate_spellings WHERE org_id = ? AND match_key = ? "
      "FOR UPDATE"));
  Stmt ins(c.Prepare(
      "INSERT INTO directorate_spellings (org_id, match_key, directorate_id) VALUES (?, ?, ?)"));
  for (const auto& [field, spelling] : spellings) {
    const std::string match_key = DirectorateMatchKey(spelling);
    find->setString(1, key.organisation);
    find->setString(2, match_key);
    Rows rs(find->executeQuery());
    if (rs->next()) {
      return SpellingTaken(key, field, spelling, rs->getString(1));
    }
    ins->setString(1, key.organisation);
    ins->setString(2, match_key);
    ins->setString(3, key.id);
    try {
      ins->executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == 1062) {
        // Claimed by a concurrent write since the look-up.
        return SpellingTaken(key, field, spelling, "");
      }
      throw;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Directorate> MysqlPlanRepository::CreateDirectorate(const DirectorateKey& key,
                                                                   const Directorate& directorate,
                                                                   const RequestKey* request) {
  return sqlrows::CreateInOrganisation<Directorate>(
      pool_, Deadline(), "CreateDirectorate", key.organisation, request,
      [&](Session& c, Directorate& out) {
        Stmt st(c.Prepare(
            "INSERT INTO directorates (org_id, directorate_id, code, display_name, aliases, "
            "version, create_time, update_time) VALUES (?, ?, ?, ?, ?, 1, UTC_TIMESTAMP(6), "
            "UTC_TIMESTAMP(6))"));
        st->setString(1, key.organisation);
        st->setString(2, key.id);
        st->setString(3, directorate.code());
        st->setString(4, directorate.display_name());
        st->setString(5, absl::StrJoin(directorate.aliases(), "\n"));
        try {
          st->executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == 1062) {
            return absl::AlreadyExistsError(
                absl::StrCat("directorate ", DirectorateName(key), " already exists"));
          }
          throw;
        }
        GT_RETURN_IF_ERROR(ClaimSpellings(c, key, directorate));
        GT_ASSIGN_OR_RETURN(out, LoadDirectorate(c, key, false));
        return absl::OkStatus();
      });
}

absl::StatusOr<Directorate> MysqlPlanRepository::GetDirectorate(const DirectorateKey& key) {
  return QuerySql<Directorate>(pool_, Deadline(), "GetDirectorate",
                               [&](Session& c) { return LoadDirectorate(c, key, false); });
}

absl::StatusOr<std::vector<Directorate>> MysqlPlanRepository::ListDirectorates(
    const std::string& organisation, const std::string& after, int limit) {
  return ListAfter<Directorate>(
      pool_, Deadline(), "ListDirectorates",
      absl::StrCat("SELECT ", kDirectorateColumns,
                   " FROM directorates WHERE org_id = ? AND directorate_id > ? "
                   "ORDER BY directorate_id LIMIT ?"),
      organisation, after, limit, ReadDirectorate);
}

absl::StatusOr<Directorate> MysqlPlanRepository::UpdateDirectorate(
    const DirectorateKey& key, const std::function<absl::Status(Directorate&)>& mutate) {
  Directorate out;
  GT_RETURN_IF_ERROR(RunTransaction(pool_, Deadline(), "UpdateDirectorate", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(Directorate current, LoadDirectorate(c, key, true));
    GT_RETURN_IF_ERROR(mutate(current));
    DeleteSpellings(c, key);
    GT_RETURN_IF_ERROR(ClaimSpellings(c, key, current));
    Stmt st(c.Prepare(
        "UPDATE directorates SET code = ?, display_name = ?, aliases = ?, version = version + 1, "
        "update_time = UTC_TIMESTAMP(6) WHERE org_id = ? AND directorate_id = ?"));
    st->setString(1, current.code());
    st->setString(2, current.display_name());
    st->setString(3, absl::StrJoin(current.aliases(), "\n"));
    st->setString(4, key.organisation);
    st->setString(5, key.id);
    st->executeUpdate();
    GT_ASSIGN_OR_RETURN(out, LoadDirectorate(c, key, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status MysqlPlanRepository::DeleteDirectorate(
    const DirectorateKey& key, const std::function<absl::Status(const Directorate&)>& check) {
  return RunTransaction(pool_, Deadline(), "DeleteDirectorate", [&](Session& c) {
    GT_ASSIGN_OR_RETURN(Directorate current, LoadDirectorate(c, key, true));
    GT_RETURN_IF_ERROR(check(current));
    DeleteSpellings(c, key);
    Stmt st(c.Prepare("DELETE FROM directorates WHERE org_id = ? AND directorate_id = ?"));
    st->setString(1, key.organisation);
    st->setString(2, key.id);
    st->executeUpdate();
    return absl::OkStatus();
  });
}

}  // namespace gt::plan
