#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gt/mysql_pool.h"

namespace gt {

// A fresh database on the MariaDB/MySQL server named by GT_TEST_MYSQL_URI
// (mysql://user:password@host:port/), created for one test binary and dropped
// when destroyed. Tests fail loudly when the variable is missing: a test that
// silently skips its database is a test that cannot fail.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& prefix);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const MysqlUri& uri() const { return uri_; }
  // mysql://user:password@host:port/<database>
  std::string uri_string() const;
  const std::string& name() const { return uri_.database; }

  // Runs one statement as the test user, e.g. to inspect rows.
  void Execute(const std::string& statement);
  // The first column of the first row of a query, as text; `?` placeholders
  // are bound to `params` in order.
  std::string QueryScalar(const std::string& query, const std::vector<std::string>& params = {});

 private:
  MysqlUri uri_;
};

}  // namespace gt
