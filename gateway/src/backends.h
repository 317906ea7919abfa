#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gt::gateway {

struct BackendConfig {
  std::string name;                   // "plan-service": the `backend` label and log field
  std::string address;                // "127.0.0.1:50051", "plan-service:50051"
  std::vector<std::string> services;  // full proto names it serves
};

struct UpstreamOptions {
  int max_message_bytes = 4 << 20;
  // A restarted backend is found again within this (gRPC's default, 120 s,
  // would leave calls failing long after the backend is back).
  absl::Duration max_reconnect_backoff = absl::Seconds(2);
  // Connections to each backend, calls spread over them in turn. One HTTP/2
  // connection carries any number of calls, but it is read by one thread at
  // a time, and behind a Kubernetes Service every call on it reaches the
  // same pod (kube-proxy balances connections, not calls).
  int connections_per_backend = 4;
};

// A few channels per backend, shared by every call; gRPC reconnects by
// itself when a backend restarts.
class Backends {
 public:
  struct Backend {
    std::string name;
    std::string address;
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;  // each owns its channel
    mutable std::atomic<size_t> next{0};
    // The next connection's stub, in turn.
    grpc::GenericStub& stub() const {
      return *stubs[next.fetch_add(1, std::memory_order_relaxed) % stubs.size()];
    }
  };

  Backends(const std::vector<BackendConfig>& configs, const UpstreamOptions& options);

  // nullptr when no backend serves it.
  const Backend* ForService(absl::string_view service) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Backend>> backends_;
  std::map<std::string, const Backend*, std::less<>> by_service_;
};

// The suite's three backends at the given addresses.
std::vector<BackendConfig> SuiteBackends(const std::string& plan_address,
                                         const std::string& milestone_address,
                                         const std::string& report_address);

}  // namespace gt::gateway
