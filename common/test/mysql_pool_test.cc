#include "gt/mysql_pool.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <memory>

#include "absl/strings/str_cat.h"
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
  absl::Status status = RunSql(pool, absl::Now() + absl::Seconds(5), "test", [&](Session& c) {
    std::unique_ptr<sql::Statement> st(c.connection().createStatement());
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
  absl::Status status =
      RunSql(pool, absl::InfiniteFuture(), "test", [](Session&) { return absl::OkStatus(); });
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
  absl::Status status = RunSql(pool, absl::InfiniteFuture(), "bad", [](Session& c) {
    std::unique_ptr<sql::Statement> st(c.connection().createStatement());
    st->execute("SELECT * FROM no_such_table_here");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message().find("no_such_table"), std::string::npos);
}

TEST_F(PoolTest, TransactionRollsBackOnError) {
  ConnectionPool pool(db_.uri(), PoolOptions{}, registry_);
  db_.Execute("CREATE TABLE t (org_id VARCHAR(10) PRIMARY KEY) ENGINE=InnoDB");
  absl::Status status = RunTransaction(pool, absl::InfiniteFuture(), "tx", [](Session& c) {
    std::unique_ptr<sql::Statement> st(c.connection().createStatement());
    st->execute("INSERT INTO t VALUES ('a')");
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(db_.QueryScalar("SELECT COUNT(*) FROM t"), "0");
}

// The server's own count of prepares on this session.
int64_t Prepares(Session& c) {
  std::unique_ptr<sql::Statement> st(c.connection().createStatement());
  std::unique_ptr<sql::ResultSet> rs(
      st->executeQuery("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'"));
  rs->next();
  return rs->getInt64(2);
}

TEST_F(PoolTest, StatementsArePreparedOncePerConnection) {
  PoolOptions options;
  options.max_connections = 1;
  ConnectionPool pool(db_.uri(), options, registry_);
  int64_t first = 0;
  int64_t last = 0;
  sql::PreparedStatement* kept = nullptr;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(RunSql(pool, absl::InfiniteFuture(), "read", [&](Session& c) {
                  if (i == 0) {
                    first = Prepares(c);
                  }
                  sql::PreparedStatement* st = c.Prepare("SELECT ? + 1");
                  EXPECT_TRUE(kept == nullptr || kept == st);
                  kept = st;
                  st->setInt(1, i);
                  std::unique_ptr<sql::ResultSet> rs(st->executeQuery());
                  EXPECT_TRUE(rs->next());
                  EXPECT_EQ(rs->getInt(1), i + 1);
                  last = Prepares(c);
                  return absl::OkStatus();
                }).ok());
  }
  // Five executions, one prepare on the server.
  EXPECT_EQ(last - first, 1);
}

TEST_F(PoolTest, CacheIsTrimmedBetweenUses) {
  PoolOptions options;
  options.max_connections = 1;
  options.max_cached_statements = 2;
  ConnectionPool pool(db_.uri(), options, registry_);
  size_t during = 0;
  ASSERT_TRUE(RunSql(pool, absl::InfiniteFuture(), "many", [&](Session& c) {
                for (int i = 0; i < 3; ++i) {
                  c.Prepare(absl::StrCat("SELECT ", i));
                }
                during = c.cached_statements();
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(during, 3u);
  ASSERT_TRUE(RunSql(pool, absl::InfiniteFuture(), "after", [&](Session& c) {
                EXPECT_EQ(c.cached_statements(), 0u);
                return absl::OkStatus();
              }).ok());
}

// A connection stays in manual-commit mode after a transaction; the next
// plain RunSql on it must be back in autocommit, or its write would wait in
// an open transaction that nobody commits.
TEST_F(PoolTest, PlainWriteAfterTransactionCommitsAtOnce) {
  PoolOptions options;
  options.max_connections = 1;
  ConnectionPool pool(db_.uri(), options, registry_);
  db_.Execute("CREATE TABLE t (org_id VARCHAR(10) PRIMARY KEY) ENGINE=InnoDB");
  auto insert = [](const std::string& value) {
    return [value](Session& c) {
      sql::PreparedStatement* st = c.Prepare("INSERT INTO t VALUES (?)");
      st->setString(1, value);
      st->executeUpdate();
      return absl::OkStatus();
    };
  };
  ASSERT_TRUE(RunTransaction(pool, absl::InfiniteFuture(), "tx", insert("a")).ok());
  ASSERT_TRUE(RunSql(pool, absl::InfiniteFuture(), "plain", insert("b")).ok());
  // Seen from another connection: both committed.
  EXPECT_EQ(db_.QueryScalar("SELECT GROUP_CONCAT(org_id ORDER BY org_id) FROM t"), "a,b");
  // And a refused transaction on the same connection leaves nothing behind
  // for the next one.
  EXPECT_FALSE(RunTransaction(pool, absl::InfiniteFuture(), "tx", [&](Session& c) {
                 insert("c")(c).IgnoreError();
                 return absl::InvalidArgumentError("no");
               }).ok());
  ASSERT_TRUE(RunTransaction(pool, absl::InfiniteFuture(), "tx", insert("d")).ok());
  EXPECT_EQ(db_.QueryScalar("SELECT GROUP_CONCAT(org_id ORDER BY org_id) FROM t"), "a,b,d");
}

}  // namespace
}  // namespace gt
