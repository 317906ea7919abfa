#include "gt/migrations.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <openssl/evp.h>

#include <map>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gt/log.h"

namespace gt {

std::vector<std::string> SplitSqlStatements(absl::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) {
      continue;
    }
    if (absl::EndsWith(trimmed, ";")) {
      absl::StrAppend(&current, trimmed.substr(0, trimmed.size() - 1));
      statements.push_back(std::move(current));
      current.clear();
    } else {
      absl::StrAppend(&current, trimmed, "\n");
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    statements.push_back(std::move(current));
  }
  return statements;
}

absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<Migration>& migrations) {
  return RunSql(pool, absl::Now() + absl::Minutes(5), "migrate", [&](Session& conn) {
    std::unique_ptr<sql::Statement> st(conn.connection().createStatement());
    {
      std::unique_ptr<sql::ResultSet> lock(
          st->executeQuery("SELECT GET_LOCK('goldenthread_migrate', 120)"));
      if (!lock->next() || lock->getInt(1) != 1) {
        return absl::UnavailableError("another instance holds the migration lock for 120 s");
      }
    }
    struct Unlock {
      sql::Statement* st;
      ~Unlock() {
        try {
          std::unique_ptr<sql::ResultSet>(
              st->executeQuery("SELECT RELEASE_LOCK('goldenthread_migrate')"));
        } catch (const sql::SQLException&) {
          // The lock dies with the connection anyway.
        }
      }
    } unlock{st.get()};

    st->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INT NOT NULL PRIMARY KEY,"
        " name VARCHAR(255) NOT NULL,"
        " checksum CHAR(64) NOT NULL,"
        " applied_at DATETIME(6) NOT NULL"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

    std::map<int, std::pair<std::string, std::string>> applied;  // version -> (name, checksum)
    {
      std::unique_ptr<sql::ResultSet> rs(
          st->executeQuery("SELECT version, name, checksum FROM schema_migrations"));
      while (rs->next()) {
        applied[rs->getInt(1)] = {rs->getString(2), rs->getString(3)};
      }
    }
    std::map<int, const Migration*> known;
    for (const Migration& m : migrations) {
      known[m.version] = &m;
    }
    for (const auto& [version, row] : applied) {
      auto it = known.find(version);
      if (it == known.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the database has migration ", version, " (", row.first,
                         ") which this binary does not know: it was migrated by a newer version"));
      }
      if (Sha256Hex(it->second->sql) != row.second) {
        return absl::FailedPreconditionError(
            absl::StrCat("migration ", it->second->name,
                         " was edited after it was applied (checksum ", row.second.substr(0, 12),
                         " in the database, ", Sha256Hex(it->second->sql).substr(0, 12),
                         " in this binary); restore it and add a new migration instead"));
      }
    }
    for (const auto& [version, m] : known) {
      if (applied.count(version) != 0) {
        continue;
      }
      for (const std::string& statement : SplitSqlStatements(m->sql)) {
        st->execute(statement);
      }
      std::unique_ptr<sql::PreparedStatement> ins(conn.connection().prepareStatement(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
          "VALUES (?, ?, ?, UTC_TIMESTAMP(6))"));
      ins->setInt(1, version);
      ins->setString(2, m->name);
      ins->setString(3, Sha256Hex(m->sql));
      ins->executeUpdate();
      LogInfo("migration applied", {{"version", absl::StrCat(version), true}, {"name", m->name}});
    }
    return absl::OkStatus();
  });
}

}  // namespace gt
