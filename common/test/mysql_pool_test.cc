#include "gt/mysql_pool.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <memory>

#include "gt/call_deadline.h"
#include "gt/test_database.h"

namespace gt {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  TestDatabase db_{"pool"};
  prometheus::Registry registry_;
};

absl::StatusOr<std::string> ConnectionId(ConnectionPool& pool) {
  std::string id;
  absl::Status status =
      RunSql(pool, absl::Now() + absl::Seconds(5), "test", [&](sql::Connection& c) {
        std::unique_ptr<sql::Statement> st(c.createStatement());
        std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT CONNECTION_ID()"));
        rs->next();
        id = rs->getString(1);
        return absl::OkStatus();
      });
  if (!status.ok()) {
    return status;
  }
  return id;
}

TEST_F(PoolTest, BoundedAndWaitsNoLongerThanTheDeadline) {
  PoolOptions options;
  options.max_connections = 2;
  ConnectionPool pool(db_.uri(), options, registry_);
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  absl::Time start = absl::Now();
  auto c = pool.Acquire(absl::Now() + absl::Milliseconds(200));
  EXPECT_EQ(c.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(PoolTest, WaitsNoLongerThanTheCallBeingServed) {
  PoolOptions options;
  options.max_connections = 1;
  ConnectionPool pool(db_.uri(), options, registry_);
  auto held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  absl::Time start = absl::Now();
  // As a gRPC handler does: the repository passes no deadline of its own.
  ScopedCallDeadline call(absl::Now() + absl::Milliseconds(200));
  absl::Status status = RunSql(pool, absl::InfiniteFuture(), "test",
                               [](sql::Connection&) { return absl::OkStatus(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(PoolTest, ReusesConnectionsAndDiscardsKilledOnes) {
  ConnectionPool pool(db_.uri(), PoolOptions{}, registry_);
  auto first = ConnectionId(pool);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*ConnectionId(pool), *first);  // reused, not reopened
  db_.Execute("KILL CONNECTION " + *first);
  // The killed connection answers UNAVAILABLE once (or is caught by
  // validation); either way the next call works on a new connection.
  auto after = ConnectionId(pool);
  if (!after.ok()) {
    EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable) << after.status();
    after = ConnectionId(pool);
  }
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, *first);
}

TEST_F(PoolTest, UnreachableServerIsUnavailableWithoutDetails) {
  MysqlUri uri = db_.uri();
  uri.port = 1;  // nothing listens there
  ConnectionPool pool(uri, PoolOptions{}, registry_);
  auto id = ConnectionId(pool);
  EXPECT_EQ(id.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(id.status().message(), "the database is unavailable; retry shortly");
  EXPECT_EQ(pool.Ping().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PoolTest, SqlErrorsNeverLeakSqlText) {
  ConnectionPool pool(db_.uri(), PoolOptions{}, registry_);
  absl::Status status = RunSql(pool, absl::InfiniteFuture(), "bad", [](sql::Connection& c) {
    std::unique_ptr<sql::Statement> st(c.createStatement());
    st->execute("SELECT * FROM no_such_table_here");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message().find("no_such_table"), std::string::npos);
}

TEST_F(PoolTest, TransactionRollsBackOnError) {
  ConnectionPool pool(db_.uri(), PoolOptions{}, registry_);
  db_.Execute("CREATE TABLE t (org_id VARCHAR(10) PRIMARY KEY) ENGINE=InnoDB");
  absl::Status status = RunTransaction(pool, absl::InfiniteFuture(), "tx", [](sql::Connection& c) {
    std::unique_ptr<sql::Statement> st(c.createStatement());
    st->execute("INSERT INTO t VALUES ('a')");
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(db_.QueryScalar("SELECT COUNT(*) FROM t"), "0");
}

}  // namespace
}  // namespace gt
