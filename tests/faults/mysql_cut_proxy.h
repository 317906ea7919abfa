#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace gt::faults {

// A TCP relay between a service and MariaDB that can cut a connection at the
// moment the service sends COMMIT: the fault "the connection dropped in the
// middle of a commit", made exactly when it matters instead of by luck.
//
// It reads the client's side as MySQL protocol packets (3-byte length,
// sequence number, payload) and forwards whole packets; the server's side is
// passed through untouched. A COM_QUERY whose text is COMMIT (any case, as
// Connector/C++'s commit() sends "commit" and a statement sends "COMMIT") is
// where an armed cut happens:
// - kBeforeCommit: the COMMIT is never sent and both sides are closed, so the
//   server rolls the transaction back while the client hears a lost
//   connection;
// - kAfterCommit: the COMMIT is sent, then both sides are closed before the
//   server's answer can come back, so the transaction commits while the
//   client hears a lost connection.
// Each arming cuts the next COMMIT on any connection, once.
class MysqlCutProxy {
 public:
  enum class Cut { kNone, kBeforeCommit, kAfterCommit };

  explicit MysqlCutProxy(int upstream_port);
  ~MysqlCutProxy();
  MysqlCutProxy(const MysqlCutProxy&) = delete;
  MysqlCutProxy& operator=(const MysqlCutProxy&) = delete;

  int port() const { return port_; }
  // Cut the next COMMIT as `cut`.
  void Arm(Cut cut) { armed_.store(cut); }
  // True once the armed cut has happened (and Arm has not been called since).
  bool Fired() const { return armed_.load() == Cut::kNone; }
  int commits_seen() const { return commits_.load(); }
  int cuts() const { return cuts_.load(); }

 private:
  void AcceptLoop();
  void Relay(int client, int server);

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<Cut> armed_{Cut::kNone};
  std::atomic<int> commits_{0};
  std::atomic<int> cuts_{0};
  std::mutex mu_;
  std::vector<int> open_fds_;  // every relayed socket, to unblock relays at shutdown
  std::vector<std::thread> relays_;
  std::thread acceptor_;
};

}  // namespace gt::faults
