#include "gt/service_host.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "goldenthread/v1/plan.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gt/test_http.h"

namespace gt {
namespace {

using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse::ServingStatus Check(int port, const std::string& service = "") {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  return status.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
}

bool WaitFor(const std::function<bool()>& condition) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (condition()) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

HostOptions TestOptions(std::atomic<bool>& ready) {
  HostOptions options;
  options.name = "test";
  options.bind_address = "127.0.0.1";
  options.services = {"goldenthread.v1.PlanService"};
  options.readiness = [&ready] {
    return ready ? absl::OkStatus() : absl::UnavailableError("db down");
  };
  options.readiness_interval = absl::Milliseconds(20);
  options.log_calls = false;
  return options;
}

// Health as every service has it (gRPC's default service), and as a host
// serving async calls on its own queues has it (gt::AsyncHealthService).
class HostHealth : public ::testing::TestWithParam<bool> {
 protected:
  void Prepare(ServiceHost& host) {
    if (GetParam()) {
      host.ServeAsync(1, [](grpc::ServerCompletionQueue*) {});
    }
  }
};
INSTANTIATE_TEST_SUITE_P(DefaultAndAsync, HostHealth, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Async" : "Default"; });

TEST_P(HostHealth, FollowsReadiness) {
  std::atomic<bool> ready{false};
  ServiceHost host(TestOptions(ready));
  Prepare(host);
  ASSERT_TRUE(host.Start().ok());
  EXPECT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::NOT_SERVING; }));
  ready = true;
  EXPECT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::SERVING; }));
  EXPECT_EQ(Check(host.grpc_port(), "goldenthread.v1.PlanService"), HealthCheckResponse::SERVING);
  ready = false;
  EXPECT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::NOT_SERVING; }));
  // Liveness does not follow the database.
  EXPECT_EQ(Check(host.grpc_port(), kLivenessService), HealthCheckResponse::SERVING);
}

TEST(ServiceHost, MetricsListEveryMethodAtZeroFromStart) {
  // Links plan.proto's descriptors into this binary, as a real service does.
  ASSERT_NE(goldenthread::v1::Plan::descriptor(), nullptr);
  std::atomic<bool> ready{true};
  ServiceHost host(TestOptions(ready));
  ASSERT_TRUE(host.Start().ok());
  std::string metrics = HttpGet(host.metrics_port(), "/metrics");
  for (const char* method : {"GetPlan", "ImportPlan", "GetPlanTree", "ListPlans"}) {
    std::string series = std::string("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"") +
                         method +
                         "\",grpc_service=\"goldenthread.v1.PlanService\",grpc_type=\"unary\"} 0";
    EXPECT_NE(metrics.find(series), std::string::npos) << method << "\n" << metrics.substr(0, 2000);
  }
  EXPECT_NE(metrics.find("grpc_code=\"InvalidArgument\""), std::string::npos);
  EXPECT_NE(metrics.find("grpc_server_handling_seconds_bucket"), std::string::npos);
}

TEST(ServiceHost, MadeUpMethodsShareOneSeries) {
  std::atomic<bool> ready{true};
  ServiceHost host(TestOptions(ready));
  ASSERT_TRUE(host.Start().ok());
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(host.grpc_port()),
                                     grpc::InsecureChannelCredentials());
  for (const char* method : {"/x.Y/Z1", "/x.Y/Z2", "/evil/"}) {
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
      std::lock_guard<std::mutex> lock(mu);
      status = s;
      done = true;
      cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  EXPECT_EQ(Check(host.grpc_port()), HealthCheckResponse::SERVING);
  std::string metrics = HttpGet(host.metrics_port(), "/metrics");
  EXPECT_EQ(metrics.find("Z1"), std::string::npos);
  EXPECT_NE(metrics.find("grpc_method=\"unknown\""), std::string::npos);
  // Health is a known method and keeps a series of its own.
  EXPECT_NE(metrics.find("grpc_method=\"Check\",grpc_service=\"grpc.health.v1.Health\""),
            std::string::npos);
}

TEST(ServiceHost, TakenPortIsAClearError) {
  std::atomic<bool> ready{true};
  ServiceHost first(TestOptions(ready));
  ASSERT_TRUE(first.Start().ok());
  HostOptions options = TestOptions(ready);
  options.grpc_port = first.grpc_port();
  ServiceHost second(options);
  absl::Status status = second.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find(std::to_string(first.grpc_port())), std::string::npos);

  HostOptions metrics_clash = TestOptions(ready);
  metrics_clash.metrics_port = first.metrics_port();
  ServiceHost third(metrics_clash);
  status = third.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("/metrics"), std::string::npos) << status;
}

TEST_P(HostHealth, ShutdownTurnsItNotServingBeforeStopping) {
  std::atomic<bool> ready{true};
  HostOptions options = TestOptions(ready);
  options.shutdown_delay = absl::Milliseconds(600);
  ServiceHost host(options);
  Prepare(host);
  ASSERT_TRUE(host.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::SERVING; }));
  std::thread stopper([&] { host.Shutdown(); });
  EXPECT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::NOT_SERVING; }));
  stopper.join();
  host.Wait();
}

TEST_P(HostHealth, WatchersHearEveryChangeAndUnknownNamesAreSaidSo) {
  std::atomic<bool> ready{false};
  ServiceHost host(TestOptions(ready));
  Prepare(host);
  ASSERT_TRUE(host.Start().ok());
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", host.grpc_port()), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("goldenthread.v1.PlanService");
  auto watch = stub->Watch(&context, request);
  HealthCheckResponse heard;
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::NOT_SERVING);
  ready = true;
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::SERVING);
  ready = false;
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::NOT_SERVING);
  context.TryCancel();
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);

  grpc::ClientContext unknown_context;
  unknown_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  request.set_service("no.Such");
  auto unknown = stub->Watch(&unknown_context, request);
  ASSERT_TRUE(unknown->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  unknown_context.TryCancel();
  unknown->Finish();
  grpc::ClientContext check_context;
  HealthCheckResponse checked;
  EXPECT_EQ(stub->Check(&check_context, request, &checked).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A health watch is meant to stay open; shutdown must not wait out its grace
// period for one. The async service tells its watchers NOT_SERVING and then
// ends their streams.
TEST(ServiceHost, AsyncHealthWatchersHearTheShutdownAndDoNotHoldItUp) {
  std::atomic<bool> ready{true};
  HostOptions options = TestOptions(ready);
  options.shutdown_grace = absl::Seconds(120);
  ServiceHost host(options);
  host.ServeAsync(1, [](grpc::ServerCompletionQueue*) {});
  ASSERT_TRUE(host.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return Check(host.grpc_port()) == HealthCheckResponse::SERVING; }));
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", host.grpc_port()), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  auto watch = stub->Watch(&context, request);
  HealthCheckResponse heard;
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::SERVING);
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    host.Shutdown();
    stopped = true;
  });
  ASSERT_TRUE(watch->Read(&heard));
  EXPECT_EQ(heard.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(watch->Read(&heard));
  grpc::Status ended = watch->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ended.error_message(), "the server is shutting down");
  EXPECT_TRUE(WaitFor([&] { return stopped.load(); }));  // well within the 120 s grace
  stopper.join();
  host.Wait();
}

}  // namespace
}  // namespace gt
