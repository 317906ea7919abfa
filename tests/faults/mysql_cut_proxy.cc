#include "mysql_cut_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace gt::faults {
namespace {

constexpr unsigned char kComQuery = 0x03;

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool IsCommit(absl::string_view payload) {
  if (payload.empty() || static_cast<unsigned char>(payload[0]) != kComQuery) {
    return false;
  }
  absl::string_view text = absl::StripAsciiWhitespace(payload.substr(1));
  return absl::EqualsIgnoreCase(text, "commit");
}

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

MysqlCutProxy::MysqlCutProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0 || pipe(wake_) != 0) {
    throw std::runtime_error("proxy: cannot listen");
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

MysqlCutProxy::~MysqlCutProxy() {
  stopping_ = true;
  char byte = 0;
  (void)!write(wake_[1], &byte, 1);
  acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) {
      shutdown(fd, SHUT_RDWR);
    }
  }
  for (std::thread& t : relays_) {
    t.join();
  }
  close(listen_fd_);
  close(wake_[0]);
  close(wake_[1]);
}

void MysqlCutProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN) != 0) {
      continue;
    }
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) {
      continue;
    }
    int server = ConnectLoopback(upstream_port_);
    if (server < 0) {
      close(client);  // the database is down: the client hears a lost connection
      continue;
    }
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.push_back(client);
    open_fds_.push_back(server);
    relays_.emplace_back([this, client, server] { Relay(client, server); });
  }
}

void MysqlCutProxy::Relay(int client, int server) {
  std::string pending;  // client bytes not yet forwarded: at most one partial packet
  char buffer[64 * 1024];
  bool open = true;
  while (open && !stopping_) {
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(fds, 2, 200) <= 0) {
      continue;
    }
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t n = recv(server, buffer, sizeof(buffer), 0);
      if (n <= 0 || !WriteAll(client, buffer, static_cast<size_t>(n))) {
        break;
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t n = recv(client, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        break;
      }
      pending.append(buffer, static_cast<size_t>(n));
      size_t done = 0;
      while (pending.size() - done >= 4) {
        const auto* header = reinterpret_cast<const unsigned char*>(pending.data() + done);
        size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
        if (pending.size() - done < 4 + length) {
          break;
        }
        absl::string_view packet(pending.data() + done, 4 + length);
        done += 4 + length;
        if (IsCommit(packet.substr(4))) {
          commits_++;
          Cut cut = armed_.exchange(Cut::kNone);
          if (cut == Cut::kAfterCommit) {
            WriteAll(server, packet.data(), packet.size());
            // Let the server read and carry out the COMMIT; its answer is
            // never passed on.
            usleep(50 * 1000);
          }
          if (cut != Cut::kNone) {
            cuts_++;
            open = false;
            break;
          }
        }
        if (!WriteAll(server, packet.data(), packet.size())) {
          open = false;
          break;
        }
      }
      pending.erase(0, done);
    }
  }
  // Close both at once; the service sees its connection lost mid-call.
  std::lock_guard<std::mutex> lock(mu_);
  shutdown(client, SHUT_RDWR);
  shutdown(server, SHUT_RDWR);
  close(client);
  close(server);
  open_fds_.erase(std::remove_if(open_fds_.begin(), open_fds_.end(),
                                 [&](int fd) { return fd == client || fd == server; }),
                  open_fds_.end());
}

}  // namespace gt::faults
