#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gt/mysql_pool.h"
#include "gt/sha256.h"

namespace gt {

// One file schema/NNNN_name.sql, embedded in the binary at build time (see
// gt_embed_migrations in common/CMakeLists.txt) so an image needs nothing but
// its binary.
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Splits a migration into statements on ';' at the end of a line; "--" comment
// lines are dropped.
std::vector<std::string> SplitSqlStatements(absl::string_view sql);

// Applies the pending migrations in order, under a database lock so replicas
// starting together apply each once. Refuses to start (FAILED_PRECONDITION)
// when an applied migration's checksum differs from the embedded file, or the
// database has a migration this binary does not know.
absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<Migration>& migrations);

}  // namespace gt
