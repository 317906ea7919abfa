#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/statement.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace sql {
class SQLException;
}

namespace gt {

// mysql://user:password@host:port/database  (port defaults to 3306; database
// may be empty). Percent-escapes in user and password are decoded.
struct MysqlUri {
  std::string user;
  std::string password;
  std::string host;
  int port = 3306;
  std::string database;
};
absl::StatusOr<MysqlUri> ParseMysqlUri(absl::string_view uri);

struct PoolOptions {
  int max_connections = 16;
  // Longest a caller waits for a free connection, whatever its own deadline.
  absl::Duration max_wait = absl::Seconds(5);
  // A connection idle longer than this is pinged on checkout. Pinging every
  // checkout would add a round trip to every call; a connection used within
  // this window is known good, and one that fails mid-query is discarded.
  absl::Duration validate_after_idle = absl::Seconds(1);
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration read_timeout = absl::Seconds(30);
  // Prepared statements kept per connection (see Session). The server's
  // max_prepared_stmt_count (16,382 by default) bounds the sum over every
  // connection of every service. milestone-service's grouped updates use
  // about 80 texts (multi-row statements for 2..32 updates).
  size_t max_cached_statements = 128;
  // READ COMMITTED instead of InnoDB's REPEATABLE READ: every statement sees
  // the latest commits (an idempotency check must see a concurrent
  // duplicate's answer) and no gap locks are taken (which deadlock
  // concurrent inserts of unrelated keys into the same gap).
  bool read_committed = false;
};

class ConnectionPool;

// One database connection as the repositories use it: the connector's
// connection plus what is worth keeping between calls on it.
//
// Prepare() keeps each statement it prepares for the connection's life, so a
// statement text costs one prepare round trip (and one parse on the server)
// per connection instead of one per call; later calls only execute it. The
// returned statement is owned by the session: bind every parameter before
// each execute, and finish with its result set before executing it again.
// Texts that vary with the input (multi-row inserts, IN lists) are kept too;
// the pool empties a cache that has grown past max_cached_statements when
// the connection comes back, when no statement of it is in use.
//
// The session also remembers the connection's autocommit mode, so that a
// connection used for transactions stays in manual-commit mode between them
// and a transaction costs its statements plus COMMIT, not two `SET
// autocommit` round trips more.
class Session {
 public:
  explicit Session(std::unique_ptr<sql::Connection> conn);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  sql::Connection& connection() { return *conn_; }
  sql::PreparedStatement* Prepare(const std::string& sql);
  size_t cached_statements() const { return statements_.size(); }

  // Not to be reused (e.g. a rollback failed): the pool closes it.
  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }

  // Called by the pool between uses.
  void SetAutoCommit(bool on);
  // COMMIT and ROLLBACK sent as statements, so that their failures throw.
  // Connector/C++ 1.1's Connection::commit(), rollback() and setAutoCommit()
  // ignore the result of the C API call beneath them: a COMMIT whose
  // connection dropped returned normally, and the service answered OK for a
  // write the server never made durable (issue 14).
  void Commit();
  void Rollback();
  void TrimCache(size_t max_statements);

 private:
  void Execute(const char* sql);

  std::unique_ptr<sql::Connection> conn_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  std::unique_ptr<sql::Statement> plain_;  // for COMMIT, ROLLBACK, SET autocommit
  bool autocommit_ = true;
  bool broken_ = false;
};

// A checked-out connection; returns itself to the pool when destroyed, unless
// its session was marked broken.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Session> session);
  PooledConnection(PooledConnection&& other) noexcept;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();

  Session& operator*() { return *session_; }
  Session* operator->() { return session_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Session> session_;
};

// Bounded pool over Connector/C++ 1.1 connections.
class ConnectionPool {
 public:
  ConnectionPool(MysqlUri uri, PoolOptions options, prometheus::Registry& registry);
  ~ConnectionPool();

  // Waits for a connection no longer than min(deadline, the deadline of the
  // gRPC call being served (CurrentCallDeadline), now + max_wait).
  // UNAVAILABLE when the database cannot be reached, DEADLINE_EXCEEDED when
  // the caller's deadline passes first.
  absl::StatusOr<PooledConnection> Acquire(absl::Time deadline = absl::InfiniteFuture());

  // Opens a fresh connection and runs a trivial query; for readiness.
  absl::Status Ping();

  const MysqlUri& uri() const { return uri_; }
  prometheus::Histogram& QueryHistogram(absl::string_view operation);

 private:
  friend class PooledConnection;
  struct Idle {
    std::unique_ptr<Session> session;
    absl::Time since;
  };
  absl::StatusOr<std::unique_ptr<sql::Connection>> Connect();
  void Release(std::unique_ptr<Session> session);
  void UpdateGauges() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const MysqlUri uri_;
  const PoolOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Idle> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;

  prometheus::Gauge& in_use_gauge_;
  prometheus::Gauge& idle_gauge_;
  prometheus::Histogram& wait_histogram_;
  prometheus::Counter& connect_failures_;
  prometheus::Family<prometheus::Histogram>& query_family_;
};

// Maps a connector exception to a status a caller can act on; never carries
// SQL text. Connection-level failures are UNAVAILABLE, deadlocks ABORTED,
// duplicate keys ALREADY_EXISTS (callers usually replace the message). The
// full error is logged with `operation`.
absl::Status SqlError(const sql::SQLException& e, absl::string_view operation);
bool IsConnectionLost(const sql::SQLException& e);

// Runs fn on a pooled connection (in autocommit mode), catching connector
// exceptions, discarding the connection when it was lost, and timing the call
// as `operation`.
absl::Status RunSql(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                    const std::function<absl::Status(Session&)>& fn);

// RunSql for a read that yields one value: `fn(conn)` returns StatusOr<T>.
template <typename T, typename Fn>
absl::StatusOr<T> QuerySql(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                           Fn fn) {
  T out;
  absl::Status status = RunSql(pool, deadline, operation, [&](Session& c) {
    absl::StatusOr<T> result = fn(c);
    if (!result.ok()) {
      return result.status();
    }
    out = *std::move(result);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  return out;
}

// The same inside a transaction: commit when fn returns OK, roll back
// otherwise. Deadlocks and lock timeouts are retried a few times. OK means
// the COMMIT was acknowledged by the server; a connection lost before that
// answer is UNAVAILABLE, as the outcome is unknown (a request_id retry
// settles it). A refusal from fn is returned as it is, rolled back.
// `after_commit`, when given, runs on the same connection once the commit
// succeeded (e.g. to read LAST_INSERT_ID() only when it is wanted); the
// transaction stands whatever it does, so its failures are logged, not
// returned.
absl::Status RunTransaction(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                            const std::function<absl::Status(Session&)>& fn,
                            const std::function<void(Session&)>& after_commit = nullptr);

}  // namespace gt
