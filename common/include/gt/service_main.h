#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gt/migrations.h"
#include "gt/mysql_pool.h"
#include "gt/service_host.h"

namespace gt {

struct ServiceSpec {
  std::string name;  // "plan-service"
  int default_grpc_port;
  int default_metrics_port;
  std::vector<std::string> proto_services;  // for metrics and health
  // Null for a service without a database.
  const std::vector<Migration>* migrations = nullptr;
  bool read_committed = false;
};

// Whatever the wiring creates lives as long as the server.
struct Wiring {
  std::vector<std::shared_ptr<void>> keep_alive;
  std::vector<grpc::Service*> services;
};

// The whole life of a service process after flag parsing: database pool,
// migrations (and --migrate_only), the host, wiring, serving until SIGTERM /
// SIGINT, graceful shutdown. Returns the process exit code.
int RunServiceMain(
    const ServiceSpec& spec,
    const std::function<absl::StatusOr<Wiring>(ConnectionPool* pool, ServiceHost& host)>& wire);

}  // namespace gt
