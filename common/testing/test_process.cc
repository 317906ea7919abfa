#include "gt/test_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gt/identity.h"
#include "gtest/gtest.h"

namespace gt {

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           std::string log_path)
    : log_path_(std::move(log_path)) {
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    // The test binary may block signals; the child must not inherit that.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [key, value] : env) {
      setenv(key.c_str(), value.c_str(), 1);
    }
    std::vector<char*> args;
    for (std::string& a : argv) {
      args.push_back(a.data());
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (Running()) {
    Signal(SIGKILL);
    Wait(absl::Seconds(10));
  }
}

bool ChildProcess::Running() {
  if (pid_ <= 0 || status_ != -1) {
    return false;
  }
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0 && status_ == -1) {
    kill(pid_, signal);
  }
}

int ChildProcess::Wait(absl::Duration timeout) {
  WaitUntil([this] { return !Running(); }, timeout);
  return status_;
}

std::string ChildProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// The kernel's range for outgoing connections' local ports.
std::pair<int, int> EphemeralRange() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  if (!(in >> low >> high) || low <= 1024 || high < low) {
    return {32768, 60999};
  }
  return {low, high};
}

bool CanBind(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

}  // namespace

// A port the kernel hands out itself (bind to 0) lies in the ephemeral range,
// where any outgoing connection (to MariaDB, between services) may take it
// before the child process listens on it: CI once lost a run that way. Ports
// are therefore taken below that range, never the same one twice in a
// process, from a starting point that differs per process.
int FreePort() {
  static std::mutex mu;
  static std::set<int> given;
  std::lock_guard<std::mutex> lock(mu);
  const auto [ephemeral_low, ephemeral_high] = EphemeralRange();
  int low = 10000, high = ephemeral_low - 1;
  if (high - low < 1000) {  // an unusual range: take ports above it instead
    low = ephemeral_high + 1;
    high = 65535;
  }
  const int span = high - low + 1;
  static int next = static_cast<int>((getpid() * 7919L) % span);
  for (int tried = 0; tried < span; ++tried) {
    int port = low + next;
    next = (next + 1) % span;
    if (given.count(port) == 0 && CanBind(port)) {
      given.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free TCP port on 127.0.0.1");
}

void EnsureTestIdentityKey() {
  const char* set = std::getenv("GT_IDENTITY_KEY_FILE");
  if (set != nullptr && *set != '\0') {
    return;
  }
  std::string path = absl::StrCat(::testing::TempDir(), "gt-identity-key-", getpid());
  std::ofstream(path) << "test-identity-key-0123456789abcdef0123456789abcdef\n";
  setenv("GT_IDENTITY_KEY_FILE", path.c_str(), 1);
}

void SealAsOperator(grpc::ClientContext& context) {
  EnsureTestIdentityKey();
  auto key = LoadIdentityKey("");
  if (key.ok()) {
    AddSealedIdentity(context, *key, Caller{}, absl::Now() + absl::Hours(1));
  }
}

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) {
      return true;
    }
    if (absl::Now() >= deadline) {
      return false;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

namespace {

int Run(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

MariaDbServer::MariaDbServer() {
  char tmpl[] = "/tmp/gt-mariadb-XXXXXX";
  dir_ = mkdtemp(tmpl);
  std::string user = getuid() == 0 ? "root" : std::string(getenv("USER") ? getenv("USER") : "");
  std::string init =
      absl::StrCat("mariadb-install-db --no-defaults --user=", user, " --datadir=", dir_,
                   "/data --auth-root-authentication-method=socket > ", dir_, "/init.log 2>&1");
  if (Run(init) != 0) {
    throw std::runtime_error("mariadb-install-db failed; see " + dir_ + "/init.log");
  }
  port_ = FreePort();
  Start();
  Admin(
      "CREATE USER 'gt'@'127.0.0.1' IDENTIFIED BY 'gt-test-pw'; GRANT ALL ON *.* TO "
      "'gt'@'127.0.0.1'");
}

MariaDbServer::~MariaDbServer() {
  Stop();
  Run("rm -rf '" + dir_ + "'");
}

void MariaDbServer::Start() {
  std::vector<std::string> argv = {"mariadbd",
                                   "--no-defaults",
                                   absl::StrCat("--datadir=", dir_, "/data"),
                                   absl::StrCat("--socket=", dir_, "/sock"),
                                   absl::StrCat("--port=", port_),
                                   "--bind-address=127.0.0.1",
                                   "--innodb-buffer-pool-size=32M",
                                   absl::StrCat("--pid-file=", dir_, "/pid")};
  if (getuid() == 0) {
    argv.push_back("--user=root");
  }
  server_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{},
                                           dir_ + "/server.log");
  bool up = WaitUntil(
      [&] {
        return Run(absl::StrCat("mariadb-admin --no-defaults --socket=", dir_,
                                "/sock ping >/dev/null 2>&1")) == 0;
      },
      absl::Seconds(30));
  if (!up) {
    throw std::runtime_error("mariadbd did not start; see " + dir_ + "/server.log");
  }
}

void MariaDbServer::Stop() {
  if (server_ && server_->Running()) {
    server_->Signal(SIGTERM);
    server_->Wait(absl::Seconds(30));
  }
  server_.reset();
}

void MariaDbServer::Kill() {
  if (server_ && server_->Running()) {
    server_->Signal(SIGKILL);
    server_->Wait(absl::Seconds(30));
  }
  server_.reset();
}

std::string MariaDbServer::ClientCommand() const {
  return absl::StrCat("mariadb --no-defaults --socket=", dir_, "/sock");
}

std::string MariaDbServer::Query(const std::string& sql) {
  std::string path = absl::StrCat(dir_, "/query.sql");
  {
    std::ofstream out(path);
    out << sql;
  }
  std::string command =
      absl::StrCat(ClientCommand(), " -N -B < '", path, "' 2>>", dir_, "/admin.log");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run the mariadb client");
  }
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    out.append(buffer, n);
  }
  if (pclose(pipe) != 0) {
    throw std::runtime_error("query failed; see " + dir_ + "/admin.log");
  }
  return out;
}

void MariaDbServer::Admin(const std::string& sql) {
  std::string command = absl::StrCat("mariadb --no-defaults --socket=", dir_, "/sock -e \"", sql,
                                     "\" >> ", dir_, "/admin.log 2>&1");
  if (Run(command) != 0) {
    throw std::runtime_error("admin SQL failed; see " + dir_ + "/admin.log");
  }
}

std::string MariaDbServer::CreateDatabase(const std::string& database) {
  Admin(absl::StrCat("CREATE DATABASE IF NOT EXISTS ", database, " CHARACTER SET utf8mb4"));
  return absl::StrCat("mysql://gt:gt-test-pw@127.0.0.1:", port_, "/", database);
}

}  // namespace gt
