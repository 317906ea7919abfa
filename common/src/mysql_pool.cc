#include "gt/mysql_pool.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gt/call_deadline.h"
#include "gt/log.h"

namespace gt {
namespace {

std::string PercentDecode(absl::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    int value = 0;
    if (in[i] == '%' && i + 2 < in.size() && absl::SimpleHexAtoi(in.substr(i + 1, 2), &value)) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

constexpr absl::string_view kRetryablePayload = "goldenthread/retryable";

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5};
  return buckets;
}

// Server error codes that mean "this connection is no longer usable".
bool IsConnectionErrorCode(int code) {
  switch (code) {
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed (MariaDB)
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2005:  // unknown host
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2026:  // SSL connection error
    case 2055:  // lost connection at reading/sending
    case 4031:  // disconnected by the server because of inactivity (MySQL 8)
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<MysqlUri> ParseMysqlUri(absl::string_view uri) {
  constexpr absl::string_view kScheme = "mysql://";
  auto bad = [&](absl::string_view why) {
    // Never echo the URI: it may hold a password.
    return absl::InvalidArgumentError(
        absl::StrCat("MySQL URI must look like mysql://user:password@host:port/database: ", why));
  };
  if (uri.substr(0, kScheme.size()) != kScheme) {
    return bad("missing mysql:// scheme");
  }
  absl::string_view rest = uri.substr(kScheme.size());
  MysqlUri out;
  size_t at = rest.rfind('@');
  if (at == absl::string_view::npos) {
    return bad("missing user@");
  }
  absl::string_view userinfo = rest.substr(0, at);
  rest = rest.substr(at + 1);
  size_t colon = userinfo.find(':');
  out.user = PercentDecode(userinfo.substr(0, colon));
  if (colon != absl::string_view::npos) {
    out.password = PercentDecode(userinfo.substr(colon + 1));
  }
  size_t slash = rest.find('/');
  absl::string_view hostport = rest.substr(0, slash);
  if (slash != absl::string_view::npos) {
    out.database = std::string(rest.substr(slash + 1));
  }
  size_t port_colon = hostport.rfind(':');
  out.host = std::string(hostport.substr(0, port_colon));
  if (port_colon != absl::string_view::npos &&
      !absl::SimpleAtoi(hostport.substr(port_colon + 1), &out.port)) {
    return bad("port is not a number");
  }
  if (out.user.empty() || out.host.empty()) {
    return bad("user and host are required");
  }
  return out;
}

Session::Session(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

Session::~Session() {
  // Statements before their connection: closing one talks to the server.
  statements_.clear();
  plain_.reset();
}

sql::PreparedStatement* Session::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::unique_ptr<sql::PreparedStatement> st(conn_->prepareStatement(sql));
    it = statements_.emplace(sql, std::move(st)).first;
  }
  return it->second.get();
}

void Session::SetAutoCommit(bool on) {
  if (autocommit_ != on) {
    Execute(on ? "SET autocommit = 1" : "SET autocommit = 0");
    autocommit_ = on;
  }
}

void Session::Commit() { Execute("COMMIT"); }

void Session::Rollback() { Execute("ROLLBACK"); }

void Session::Execute(const char* sql) {
  if (!plain_) {
    plain_.reset(conn_->createStatement());
  }
  plain_->execute(sql);
}

void Session::TrimCache(size_t max_statements) {
  // Between uses no statement is referenced, so dropping them all is safe;
  // the ones still in use are prepared again on their next call.
  if (statements_.size() > max_statements) {
    statements_.clear();
  }
}

PooledConnection::PooledConnection(ConnectionPool* pool, std::unique_ptr<Session> session)
    : pool_(pool), session_(std::move(session)) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(other.pool_), session_(std::move(other.session_)) {
  other.pool_ = nullptr;
}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && session_ != nullptr) {
    pool_->Release(std::move(session_));
  }
}

ConnectionPool::ConnectionPool(MysqlUri uri, PoolOptions options, prometheus::Registry& registry)
    : uri_(std::move(uri)),
      options_(options),
      in_use_gauge_(prometheus::BuildGauge()
                        .Name("goldenthread_db_pool_connections")
                        .Help("Database connections by state")
                        .Register(registry)
                        .Add({{"state", "in_use"}})),
      idle_gauge_(prometheus::BuildGauge()
                      .Name("goldenthread_db_pool_connections")
                      .Help("Database connections by state")
                      .Register(registry)
                      .Add({{"state", "idle"}})),
      wait_histogram_(prometheus::BuildHistogram()
                          .Name("goldenthread_db_pool_wait_seconds")
                          .Help("Time callers waited for a database connection")
                          .Register(registry)
                          .Add({}, LatencyBuckets())),
      connect_failures_(prometheus::BuildCounter()
                            .Name("goldenthread_db_connect_failures_total")
                            .Help("Failed attempts to open a database connection")
                            .Register(registry)
                            .Add({})),
      query_family_(prometheus::BuildHistogram()
                        .Name("goldenthread_db_query_seconds")
                        .Help("Database work per operation, including transaction commit")
                        .Register(registry)) {
  // The driver's first use is not thread-safe; take it here, once.
  sql::mysql::get_mysql_driver_instance();
}

ConnectionPool::~ConnectionPool() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();
}

prometheus::Histogram& ConnectionPool::QueryHistogram(absl::string_view operation) {
  return query_family_.Add({{"operation", std::string(operation)}}, LatencyBuckets());
}

absl::StatusOr<std::unique_ptr<sql::Connection>> ConnectionPool::Connect() {
  sql::ConnectOptionsMap opts;
  opts["hostName"] = sql::SQLString(absl::StrCat("tcp://", uri_.host, ":", uri_.port));
  opts["userName"] = sql::SQLString(uri_.user);
  opts["password"] = sql::SQLString(uri_.password);
  if (!uri_.database.empty()) {
    opts["schema"] = sql::SQLString(uri_.database);
  }
  opts["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.connect_timeout));
  opts["OPT_READ_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.read_timeout));
  opts["OPT_WRITE_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.read_timeout));
  opts["OPT_RECONNECT"] = false;
  opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    std::unique_ptr<sql::Connection> conn(sql::mysql::get_mysql_driver_instance()->connect(opts));
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    // Same behaviour on MariaDB and MySQL 8: strict, UTC, no silent truncation.
    st->execute(
        "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,"
        "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'");
    if (options_.read_committed) {
      st->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    }
    return conn;
  } catch (const sql::SQLException& e) {
    connect_failures_.Increment();
    LogError("database connect failed", {{"host", uri_.host},
                                         {"error_code", absl::StrCat(e.getErrorCode()), true},
                                         {"error", e.what()}});
    return absl::UnavailableError("the database is unavailable; retry shortly");
  }
}

absl::StatusOr<PooledConnection> ConnectionPool::Acquire(absl::Time deadline) {
  deadline = std::min(deadline, CurrentCallDeadline());
  absl::Time start = absl::Now();
  absl::Time wait_until = std::min(deadline, start + options_.max_wait);
  bool open_new = false;
  std::unique_ptr<Session> session;
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (!idle_.empty()) {
        Idle idle = std::move(idle_.back());  // LIFO: keep few connections warm
        idle_.pop_back();
        session = std::move(idle.session);
        if (absl::Now() - idle.since > options_.validate_after_idle) {
          // Validate outside the lock below.
          open_new = false;
          lock.unlock();
          bool valid = false;
          try {
            valid = session->connection().isValid();
          } catch (const sql::SQLException&) {
            valid = false;
          }
          lock.lock();
          if (!valid) {
            session.reset();
            --open_;
            UpdateGauges();
            continue;
          }
        }
        break;
      }
      if (open_ < options_.max_connections) {
        ++open_;
        open_new = true;
        break;
      }
      if (cv_.wait_until(lock, absl::ToChronoTime(wait_until)) == std::cv_status::timeout &&
          idle_.empty() && open_ >= options_.max_connections) {
        wait_histogram_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
        if (deadline <= wait_until) {
          return absl::DeadlineExceededError(
              "deadline passed while waiting for a database connection");
        }
        return absl::UnavailableError("all database connections are busy; retry shortly");
      }
    }
    UpdateGauges();
  }
  if (open_new) {
    auto fresh = Connect();
    if (!fresh.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
      UpdateGauges();
      cv_.notify_one();
      return fresh.status();
    }
    session = std::make_unique<Session>(std::move(*fresh));
  }
  wait_histogram_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return PooledConnection(this, std::move(session));
}

void ConnectionPool::Release(std::unique_ptr<Session> session) {
  const bool broken = session->broken();
  if (!broken) {
    session->TrimCache(options_.max_cached_statements);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken) {
      --open_;
    } else {
      idle_.push_back(Idle{std::move(session), absl::Now()});
    }
    UpdateGauges();
  }
  if (broken) {
    session.reset();
  }
  cv_.notify_one();
}

void ConnectionPool::UpdateGauges() {
  idle_gauge_.Set(static_cast<double>(idle_.size()));
  in_use_gauge_.Set(static_cast<double>(open_ - static_cast<int>(idle_.size())));
}

absl::Status ConnectionPool::Ping() {
  auto conn = Connect();
  if (!conn.ok()) {
    return conn.status();
  }
  try {
    std::unique_ptr<sql::Statement> st((*conn)->createStatement());
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery("SELECT 1"));
    return absl::OkStatus();
  } catch (const sql::SQLException& e) {
    return SqlError(e, "ping");
  }
}

bool IsConnectionLost(const sql::SQLException& e) {
  if (IsConnectionErrorCode(e.getErrorCode())) {
    return true;
  }
  // Connector/C++ reports use of a closed connection without a server code.
  return dynamic_cast<const sql::InvalidInstanceException*>(&e) != nullptr;
}

absl::Status SqlError(const sql::SQLException& e, absl::string_view operation) {
  int code = e.getErrorCode();
  if (IsConnectionLost(e)) {
    LogError(
        "database connection lost",
        {{"operation", operation}, {"error_code", absl::StrCat(code), true}, {"error", e.what()}});
    return absl::UnavailableError("the database is unavailable; retry shortly");
  }
  switch (code) {
    case 1213:    // deadlock
    case 1205: {  // lock wait timeout
      absl::Status status = absl::AbortedError("concurrent change; retry");
      status.SetPayload(kRetryablePayload, absl::Cord("1"));
      return status;
    }
    case 1062:  // duplicate key
      return absl::AlreadyExistsError("already exists");
    case 1406:  // data too long
      return absl::InvalidArgumentError("a value is longer than its field allows");
    default:
      LogError("database error", {{"operation", operation},
                                  {"error_code", absl::StrCat(code), true},
                                  {"sql_state", e.getSQLState()},
                                  {"error", e.what()}});
      return absl::InternalError("database error; it has been logged");
  }
}

namespace {

// RunSql's body, with the autocommit mode fn needs. A lost connection, or one
// whose transaction could not be ended cleanly (marked broken), is closed
// when it comes back, never reused.
absl::Status RunOnSession(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                          bool autocommit, const std::function<absl::Status(Session&)>& fn) {
  auto conn = pool.Acquire(deadline);
  if (!conn.ok()) {
    return conn.status();
  }
  absl::Time start = absl::Now();
  absl::Status status;
  try {
    (*conn)->SetAutoCommit(autocommit);
    status = fn(**conn);
  } catch (const sql::SQLException& e) {
    if (IsConnectionLost(e)) {
      (*conn)->MarkBroken();
    }
    status = SqlError(e, operation);
  }
  pool.QueryHistogram(operation).Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return status;
}

}  // namespace

absl::Status RunSql(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                    const std::function<absl::Status(Session&)>& fn) {
  return RunOnSession(pool, deadline, operation, true, fn);
}

absl::Status RunTransaction(ConnectionPool& pool, absl::Time deadline, absl::string_view operation,
                            const std::function<absl::Status(Session&)>& fn,
                            const std::function<void(Session&)>& after_commit) {
  constexpr int kAttempts = 3;
  absl::Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // In manual-commit mode the first statement opens the transaction; the
    // connection stays in that mode for the next transaction on it.
    status = RunOnSession(pool, deadline, operation, false, [&](Session& session) {
      absl::Status inner;
      try {
        inner = fn(session);
      } catch (const sql::SQLException& e) {
        if (!IsConnectionLost(e)) {
          try {
            session.Rollback();
          } catch (const sql::SQLException&) {
            // The original error is the one worth reporting. The transaction
            // may still be open: never hand this connection out again.
            session.MarkBroken();
          }
        }
        throw;
      }
      if (!inner.ok()) {
        // A refusal: nothing of it may stand. Should the ROLLBACK itself
        // fail, the server ends the transaction with the connection, which
        // is then never reused; the refusal is still the answer.
        try {
          session.Rollback();
        } catch (const sql::SQLException& e) {
          SqlError(e, absl::StrCat(operation, " (rollback)")).IgnoreError();
          session.MarkBroken();
        }
        return inner;
      }
      // Throws when the server does not acknowledge it: lost connection ->
      // UNAVAILABLE (outcome unknown), anything else -> its error.
      session.Commit();
      if (after_commit) {
        try {
          after_commit(session);
        } catch (const sql::SQLException& e) {
          SqlError(e, absl::StrCat(operation, " (after commit)")).IgnoreError();
          if (IsConnectionLost(e)) {
            session.MarkBroken();
          }
        }
      }
      return inner;
    });
    if (!status.GetPayload(kRetryablePayload).has_value()) {
      break;
    }
  }
  return status;
}

}  // namespace gt
