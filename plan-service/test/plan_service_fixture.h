#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "goldenthread/v1/plan.grpc.pb.h"
#include "gt/identity.h"
#include "gt/migrations.h"
#include "gt/service_host.h"
#include "gt/test_database.h"
#include "mysql_plan_repository.h"
#include "plan_grpc.h"
#include "plan_manager.h"

namespace gt {
const std::vector<Migration>& PlanMigrations();
}

namespace gt::plan {

inline goldenthread::v1::Plan MakePlan(const std::string& title) {
  goldenthread::v1::Plan plan;
  plan.set_title(title);
  plan.set_period_start("2017-04-01");
  plan.set_period_end("2018-03-31");
  return plan;
}

// plan-service in-process on port 0 over a fresh MariaDB database: the real
// repository, manager and gRPC edge, reached through a real channel.
class PlanServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TestDatabase("plan");
    host_ = new ServiceHost([] {
      HostOptions options;
      options.name = "plan-service-test";
      options.bind_address = "127.0.0.1";
      options.services = {"goldenthread.v1.PlanService"};
      options.log_calls = false;
      return options;
    }());
    pool_ = new ConnectionPool(db_->uri(), PoolOptions{}, host_->registry());
    absl::Status migrated = ApplyMigrations(*pool_, PlanMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated;
    repository_ = new MysqlPlanRepository(*pool_);
    manager_ = new PlanManager(*repository_);
    service_ = new PlanGrpcService(*manager_);
    host_->AddService(service_);
    absl::Status started = host_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  static void TearDownTestSuite() {
    host_->Shutdown();
    host_->Wait();
    delete host_;
    delete service_;
    delete manager_;
    delete repository_;
    delete pool_;
    delete db_;
  }

  std::unique_ptr<goldenthread::v1::PlanService::Stub> Stub() {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 << 20);
    return goldenthread::v1::PlanService::NewStub(
        grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(host_->grpc_port()),
                                  grpc::InsecureChannelCredentials(), args));
  }

  // A context as the gateway would send it for a token of `organisation`
  // (empty: a trusted internal caller with no identity).
  static std::unique_ptr<grpc::ClientContext> As(const std::string& organisation) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!organisation.empty()) {
      context->AddMetadata(kOrganisationHeader, organisation);
      context->AddMetadata(kRoleHeader, "ADMIN");
    }
    return context;
  }

  // Creates an organisation once per test binary.
  void EnsureOrganisation(const std::string& id) {
    goldenthread::v1::CreateOrganisationRequest request;
    request.set_organisation_id(id);
    request.mutable_organisation()->set_display_name("Organisation " + id);
    goldenthread::v1::Organisation response;
    grpc::Status status = Stub()->CreateOrganisation(As("").get(), request, &response);
    ASSERT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
        << status.error_message();
  }

  static TestDatabase* db_;
  static ServiceHost* host_;
  static ConnectionPool* pool_;
  static MysqlPlanRepository* repository_;
  static PlanManager* manager_;
  static PlanGrpcService* service_;
};

inline TestDatabase* PlanServiceTest::db_ = nullptr;
inline ServiceHost* PlanServiceTest::host_ = nullptr;
inline ConnectionPool* PlanServiceTest::pool_ = nullptr;
inline MysqlPlanRepository* PlanServiceTest::repository_ = nullptr;
inline PlanManager* PlanServiceTest::manager_ = nullptr;
inline PlanGrpcService* PlanServiceTest::service_ = nullptr;

}  // namespace gt::plan
