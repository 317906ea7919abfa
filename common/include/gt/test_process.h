#pragma once

#include <grpcpp/client_context.h>
#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gt {

// A child process for tests: started with extra environment, output to a log
// file, signalled and reaped.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::string log_path);
  ~ChildProcess();  // SIGKILLs a child still running

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int signal);
  // Waits up to `timeout`; the exit code, or -1 on timeout, 128+N when
  // killed by signal N.
  int Wait(absl::Duration timeout);
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

// A TCP port free on 127.0.0.1 at the time of asking, outside the range the
// kernel gives outgoing connections, and not given before in this process.
int FreePort();

// Service binaries refuse to start without the identity key (issue 16):
// makes sure GT_IDENTITY_KEY_FILE names one (scripts/test.sh exports one; a
// test run by hand gets a fresh file), so every child process inherits it.
void EnsureTestIdentityKey();
// Seals `context` as an operator's call (the empty identity), for calls a
// test makes straight to a backend process.
void SealAsOperator(grpc::ClientContext& context);

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout);

// A private MariaDB server for tests that must stop and start the database
// under a running service: its own data directory and port, a user "gt" with
// a password. Needs mariadb-install-db and mariadbd (Debian mariadb-server).
class MariaDbServer {
 public:
  MariaDbServer();
  ~MariaDbServer();
  void Start();
  void Stop();
  // kill -9, as a crash or an OOM kill would; Start() again runs recovery.
  void Kill();
  // Runs SQL as root over the socket; the output rows, tab-separated, one
  // per line (no header). Throws when the client fails.
  std::string Query(const std::string& sql);
  // The client command (with its socket) for SQL that must hold a session
  // open, e.g. run in the background by a test.
  std::string ClientCommand() const;
  // mysql://gt:...@127.0.0.1:port/<database>, creating the database.
  std::string CreateDatabase(const std::string& database);
  int port() const { return port_; }

 private:
  void Admin(const std::string& sql);
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace gt
