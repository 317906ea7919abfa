#include "gt/drain.h"

#include <atomic>

namespace gt {
namespace {

std::atomic<bool> draining{false};

}  // namespace

bool ProcessDraining() { return draining.load(std::memory_order_acquire); }

void StartProcessDrain() { draining.store(true, std::memory_order_release); }

grpc::Status DrainingRefusal() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "this server is shutting down and did not start the call; retry (another "
                      "replica, or this one once restarted, will answer)");
}

}  // namespace gt
