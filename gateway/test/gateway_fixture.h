#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "fake_backends.h"
#include "gateway_server.h"
#include "generic_client.h"
#include "goldenthread/v1/plan.pb.h"
#include "goldenthread/v1/token.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gt/migrations.h"
#include "gt/test_database.h"
#include "gt/test_http.h"
#include "gt/test_process.h"

namespace gt::gateway::testing {

namespace v1 = goldenthread::v1;
using grpc::StatusCode;

inline constexpr char kEndOfYear[] = "/goldenthread.v1.ReportService/GetEndOfYearReport";
inline constexpr char kWatch[] = "/goldenthread.v1.MilestoneService/WatchMilestoneUpdates";

// The gateway in-process on port 0 over a fresh MariaDB database (one per
// test binary), in front of in-process stand-in backends that report what
// reached them; plan-service's address leads nowhere (a backend that is down).

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TestDatabase("gateway");
    report_ = new testing::EchoReportService();
    milestone_ = new testing::StreamingMilestoneService();
    grpc::ServerBuilder backend;
    int backend_port = 0;
    backend.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &backend_port);
    backend.RegisterService(report_);
    backend.RegisterService(milestone_);
    backends_ = backend.BuildAndStart().release();
    ASSERT_NE(backend_port, 0);

    host_ = new ServiceHost([] {
      HostOptions options;
      options.name = "gateway-test";
      options.bind_address = "127.0.0.1";
      options.services = PublicServices();
      options.log_calls = false;
      options.max_message_bytes = 64 << 10;
      options.readiness = [] { return pool_->Ping(); };
      options.readiness_interval = absl::Milliseconds(50);
      return options;
    }());
    pool_ = new ConnectionPool(db_->uri(), PoolOptions{}, host_->registry());
    absl::Status migrated = ApplyMigrations(*pool_, GatewayMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated;
    GatewayOptions options;
    live_backends_ = absl::StrCat("127.0.0.1:", backend_port);
    // Nothing listens on the plan-service address: a backend that is down.
    options.backends =
        SuiteBackends(absl::StrCat("127.0.0.1:", FreePort()), live_backends_, live_backends_);
    options.upstream.max_message_bytes = 64 << 10;
    options.deadlines = {absl::Seconds(7), absl::Seconds(20), absl::Seconds(60)};
    options.limits = {/*calls_per_second=*/20, /*burst=*/10, /*max_streams=*/2};
    options.identity_key = kTestIdentityKey;
    auto gateway = Gateway::Attach(options, *pool_, *host_);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();
    absl::Status started = host_->Start();
    ASSERT_TRUE(started.ok()) << started;
    channel_ = new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", host_->grpc_port()), grpc::InsecureChannelCredentials()));
  }

  static void TearDownTestSuite() {
    delete channel_;
    host_->Shutdown();
    host_->Wait();
    delete host_;
    delete gateway_;
    delete pool_;
    backends_->Shutdown(std::chrono::system_clock::now());
    delete backends_;
    delete report_;
    delete milestone_;
    delete db_;
  }

  // A new token: each test gets its own, so rate-limit buckets never mix.
  static std::string Token(const std::string& org, v1::Role role,
                           const std::string& subject = "tester") {
    auto token = CreateTokenFromCommandLine(*pool_, org, v1::Role_Name(role), subject, "", 0);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  // A new token limited to `directorates`, made by the gateway's own
  // TokenManager (as CreateToken makes one, without spending an admin
  // token's rate limit).
  static std::string ScopedToken(const std::string& org, v1::Role role,
                                 const std::vector<std::string>& directorates,
                                 const std::string& subject = "scoped") {
    v1::CreateTokenRequest create;
    create.set_parent(absl::StrCat("organisations/", org));
    create.mutable_token()->set_role(role);
    create.mutable_token()->set_subject(subject);
    for (const std::string& directorate : directorates) {
      create.mutable_token()->add_directorates(directorate);
    }
    Identity admin{org, "", v1::ADMIN, "tester", {}};
    auto created = gateway_->tokens().CreateToken(admin, create);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->secret() : "";
  }

  static std::unique_ptr<v1::TokenService::Stub> Tokens() {
    return v1::TokenService::NewStub(*channel_);
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& token,
                                                 absl::Duration timeout = absl::Seconds(10)) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    return context;
  }

  static Reply EndOfYear(const std::string& token, const std::string& plan, Metadata extra = {},
                         absl::Duration timeout = absl::Seconds(10)) {
    v1::ReportRequest request;
    request.set_plan(plan);
    Metadata metadata = token.empty() ? Metadata{} : Bearer(token);
    metadata.insert(metadata.end(), extra.begin(), extra.end());
    return CallMethod(*channel_, kEndOfYear, request, metadata, timeout);
  }

  static v1::EndOfYearReport Parse(const Reply& reply) {
    v1::EndOfYearReport report;
    EXPECT_EQ(reply.messages.size(), 1u);
    if (!reply.messages.empty()) {
      report.ParseFromString(reply.messages[0]);
    }
    return report;
  }

  static double Metric(const std::string& series) {
    std::string text = HttpGet(host_->metrics_port(), "/metrics");
    size_t at = text.find(series + " ");
    double value = -1;
    if (at != std::string::npos) {
      size_t end = text.find('\n', at);
      std::string number = text.substr(at + series.size() + 1, end - at - series.size() - 1);
      EXPECT_TRUE(absl::SimpleAtod(number, &value)) << number;
    }
    return value;
  }

  static TestDatabase* db_;
  static testing::EchoReportService* report_;
  static testing::StreamingMilestoneService* milestone_;
  static grpc::Server* backends_;
  static ServiceHost* host_;
  static ConnectionPool* pool_;
  static Gateway* gateway_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static inline std::string live_backends_;
};

inline TestDatabase* GatewayTest::db_ = nullptr;
inline testing::EchoReportService* GatewayTest::report_ = nullptr;
inline testing::StreamingMilestoneService* GatewayTest::milestone_ = nullptr;
inline grpc::Server* GatewayTest::backends_ = nullptr;
inline ServiceHost* GatewayTest::host_ = nullptr;
inline ConnectionPool* GatewayTest::pool_ = nullptr;
inline Gateway* GatewayTest::gateway_ = nullptr;
inline std::shared_ptr<grpc::Channel>* GatewayTest::channel_ = nullptr;

}  // namespace gt::gateway::testing
