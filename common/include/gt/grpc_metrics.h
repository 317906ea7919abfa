#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace gt {

// grpc-ecosystem's server metrics, named and labelled as go-grpc-prometheus
// does, so existing dashboards and alerts work unchanged:
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method}
class GrpcServerMetrics {
 public:
  static constexpr int kCodes = 17;
  struct Method {
    prometheus::Counter* started;
    std::array<prometheus::Counter*, kCodes> handled;
    prometheus::Histogram* seconds;
  };

  explicit GrpcServerMetrics(prometheus::Registry& registry);

  // Creates every series of every method of these services (full proto names,
  // e.g. "goldenthread.v1.PlanService") at 0, so rates and absent() work from
  // start-up. Call before the server starts taking calls.
  void PreRegister(const std::vector<std::string>& services);

  // "/goldenthread.v1.PlanService/GetPlan" -> its series; created on first use
  // for methods not pre-registered (health, reflection, generic).
  Method& ForMethod(const std::string& path, grpc::experimental::ServerRpcInfo::Type type);

  // The grpc-ecosystem spelling of a code: "OK", "InvalidArgument", ...
  static const char* CodeName(int code);

  // Unary calls the server took before the process began to drain and has
  // not yet finished (streams are not counted: they end when the process
  // does, and watchers resume).
  int unary_in_flight() const { return unary_in_flight_.load(); }
  std::atomic<int>& unary_in_flight_counter() { return unary_in_flight_; }

 private:
  Method& Register(std::unordered_map<std::string, std::unique_ptr<Method>>& into,
                   const std::string& path, const std::string& type);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  std::atomic<int> unary_in_flight_{0};
  std::mutex mu_;
  // Filled by PreRegister before the server starts, read-only afterwards:
  // the per-call lookup of a known method takes no lock.
  std::unordered_map<std::string, std::unique_ptr<Method>> known_;
  // Methods seen only at run time (health, reflection, the shared unknown).
  std::unordered_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
};

// Server interceptor: metrics above plus one structured log line per call
// (method, code, latency, request id).
class CallObserverFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallObserverFactory(GrpcServerMetrics& metrics, bool log_calls)
      : metrics_(metrics), log_calls_(log_calls) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GrpcServerMetrics& metrics_;
  bool log_calls_;
};

}  // namespace gt
