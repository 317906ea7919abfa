#include "gt/test_database.h"

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace gt {
namespace {

std::unique_ptr<sql::Connection> Connect(const MysqlUri& uri, bool with_database) {
  sql::ConnectOptionsMap opts;
  opts["hostName"] = sql::SQLString(absl::StrCat("tcp://", uri.host, ":", uri.port));
  opts["userName"] = sql::SQLString(uri.user);
  opts["password"] = sql::SQLString(uri.password);
  if (with_database) {
    opts["schema"] = sql::SQLString(uri.database);
  }
  return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(opts));
}

}  // namespace

TestDatabase::TestDatabase(const std::string& prefix) {
  const char* env = std::getenv("GT_TEST_MYSQL_URI");
  if (env == nullptr || *env == '\0') {
    throw std::runtime_error(
        "GT_TEST_MYSQL_URI is not set: run the tests through scripts/test.sh, which starts a "
        "throwaway MariaDB, or point it at a server where this user may CREATE DATABASE");
  }
  auto uri = ParseMysqlUri(env);
  if (!uri.ok()) {
    throw std::runtime_error(std::string(uri.status().message()));
  }
  uri_ = *uri;
  std::random_device rd;
  uri_.database = absl::StrCat("gt_t_", absl::StrReplaceAll(prefix, {{"-", "_"}}), "_", getpid(),
                               "_", rd() % 100000);
  auto conn = Connect(uri_, false);
  std::unique_ptr<sql::Statement> st(conn->createStatement());
  st->execute(absl::StrCat("CREATE DATABASE `", uri_.database,
                           "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
}

TestDatabase::~TestDatabase() {
  try {
    auto conn = Connect(uri_, false);
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute(absl::StrCat("DROP DATABASE IF EXISTS `", uri_.database, "`"));
  } catch (const std::exception&) {
    // The throwaway server is deleted after the run anyway.
  }
}

std::string TestDatabase::uri_string() const {
  return absl::StrCat("mysql://", uri_.user, ":", uri_.password, "@", uri_.host, ":", uri_.port,
                      "/", uri_.database);
}

void TestDatabase::Execute(const std::string& statement) {
  auto conn = Connect(uri_, true);
  std::unique_ptr<sql::Statement> st(conn->createStatement());
  st->execute(statement);
}

std::string TestDatabase::QueryScalar(const std::string& query,
                                      const std::vector<std::string>& params) {
  auto conn = Connect(uri_, true);
  std::unique_ptr<sql::PreparedStatement> st(conn->prepareStatement(query));
  for (size_t i = 0; i < params.size(); ++i) {
    st->setString(static_cast<int>(i + 1), params[i]);
  }
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery());
  if (!rs->next()) {
    return "";
  }
  return rs->getString(1);
}

}  // namespace gt
