#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "commit_fanout.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "grpc_activity_directory.h"
#include "gt/identity.h"
#include "gt/migrations.h"
#include "gt/service_host.h"
#include "gt/test_database.h"
#include "milestone_grpc.h"
#include "milestone_manager.h"
#include "milestone_metrics.h"
#include "mysql_milestone_repository.h"
#include "mysql_period_repository.h"
#include "mysql_plan_repository.h"
#include "period_manager.h"
#include "plan_grpc.h"
#include "plan_manager.h"
#include "update_bus.h"

namespace gt {
const std::vector<Migration>& PlanMigrations();
const std::vector<Migration>& MilestoneMigrations();
}  // namespace gt

namespace gt::milestone {

// plan-service and milestone-service in-process, each on port 0 over its own
// fresh MariaDB database, wired as in production (milestone-service asks
// plan-service over gRPC).
class MilestoneWorld {
 public:
  MilestoneWorld() : plan_db_("ms_plan"), milestone_db_("milestone") {
    plan_host_ =
        std::make_unique<ServiceHost>(Options("plan-service", "goldenthread.v1.PlanService"));
    plan_pool_ =
        std::make_unique<ConnectionPool>(plan_db_.uri(), PoolOptions{}, plan_host_->registry());
    EXPECT_TRUE(ApplyMigrations(*plan_pool_, PlanMigrations()).ok());
    plan_repository_ = std::make_unique<plan::MysqlPlanRepository>(*plan_pool_);
    plan_manager_ = std::make_unique<plan::PlanManager>(*plan_repository_);
    plan_service_ = std::make_unique<plan::PlanGrpcService>(*plan_manager_);
    plan_host_->AddService(plan_service_.get());
    EXPECT_TRUE(plan_host_->Start().ok());
    plan_stub_ = goldenthread::v1::PlanService::NewStub(Channel(plan_host_->grpc_port()));
    StartMilestoneService();
  }

  ~MilestoneWorld() {
    StopMilestoneService();
    plan_host_->Shutdown();
  }

  // As a restart would: a new process's objects over the same database.
  void StartMilestoneService() {
    host_ = std::make_unique<ServiceHost>(
        Options("milestone-service", "goldenthread.v1.MilestoneService"));
    PoolOptions options;
    options.read_committed = true;
    options.max_connections = 40;
    pool_ = std::make_unique<ConnectionPool>(milestone_db_.uri(), options, host_->registry());
    EXPECT_TRUE(ApplyMigrations(*pool_, MilestoneMigrations()).ok());
    repository_ =
        std::make_unique<MysqlMilestoneRepository>(*pool_, UpdateBatching{}, &host_->registry());
    directory_ = std::make_unique<GrpcActivityDirectory>(*plan_stub_);
    metrics_ = std::make_shared<MilestoneMetrics>(host_->registry(), *repository_);
    host_->AddCollectable(metrics_);
    bus_ = std::make_unique<UpdateBus>();
    host_->AddShutdownHook([this] { bus_->Close(); });
    manager_ = std::make_unique<MilestoneManager>(
        *repository_, *directory_, FanOutCommits(*metrics_, *bus_), absl::Now, WatchedPlans(*bus_));
    period_repository_ = std::make_unique<MysqlPeriodRepository>(*pool_);
    periods_ = std::make_unique<PeriodManager>(*period_repository_, *directory_);
    period_metrics_ = std::make_shared<PeriodMetrics>(*periods_);
    host_->AddCollectable(period_metrics_);
    service_ = std::make_unique<MilestoneGrpcService>(*manager_, *periods_, *bus_, 50);
    host_->AddService(service_.get());
    EXPECT_TRUE(host_->Start().ok());
    stub_ = goldenthread::v1::MilestoneService::NewStub(Channel(host_->grpc_port()));
  }

  void StopMilestoneService() {
    host_->Shutdown();
    host_->Wait();
    stub_.reset();
    host_.reset();
    service_.reset();
    period_metrics_.reset();
    periods_.reset();
    period_repository_.reset();
    manager_.reset();
    bus_.reset();
    metrics_.reset();
    directory_.reset();
    repository_.reset();
    pool_.reset();
  }

  static std::shared_ptr<grpc::Channel> Channel(int port) {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(16 << 20);
    return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials(), args);
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& organisation,
                                                 const std::string& subject = "officer") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    if (!organisation.empty()) {
      context->AddMetadata(kOrganisationHeader, organisation);
      context->AddMetadata(kRoleHeader, "PLANNER");
      context->AddMetadata(kSubjectHeader, subject);
    }
    return context;
  }

  // An organisation with plan `plan_id`: 2 priorities x 2 outcomes x 2
  // activities; returns the activity names in document order.
  std::vector<std::string> MakePlan(const std::string& org, const std::string& plan_id) {
    goldenthread::v1::CreateOrganisationRequest create_org;
    create_org.set_organisation_id(org);
    create_org.mutable_organisation()->set_display_name(org);
    goldenthread::v1::Organisation o;
    plan_stub_->CreateOrganisation(As("").get(), create_org, &o);
    goldenthread::v1::ImportPlanRequest request;
    request.set_parent("organisations/" + org);
    request.set_plan_id(plan_id);
    auto* tree = request.mutable_tree();
    tree->mutable_plan()->set_title("Plan " + plan_id);
    tree->mutable_plan()->set_period_start("2017-04-01");
    tree->mutable_plan()->set_period_end("2018-03-31");
    for (int p = 1; p <= 2; ++p) {
      auto* priority = tree->add_priorities();
      priority->set_code(std::to_string(p));
      priority->set_title("Priority");
      for (int oc = 1; oc <= 2; ++oc) {
        auto* outcome = priority->add_outcomes();
        outcome->set_code(std::to_string(p) + "." + std::to_string(oc));
        outcome->set_title("Outcome");
        for (int a = 1; a <= 2; ++a) {
          auto* activity = outcome->add_activities();
          activity->set_code(outcome->code() + "." + std::to_string(a));
          activity->set_title("Activity");
        }
      }
    }
    goldenthread::v1::PlanTree imported;
    grpc::Status status = plan_stub_->ImportPlan(As(org).get(), request, &imported);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> activities;
    for (const auto& priority : imported.priorities()) {
      for (const auto& outcome : priority.outcomes()) {
        for (const auto& activity : outcome.activities()) {
          activities.push_back(activity.name());
        }
      }
    }
    return activities;
  }

  goldenthread::v1::Milestone Create(const std::string& org, const std::string& plan,
                                     const std::string& activity, const std::string& title,
                                     const std::string& directorate, const std::string& deadline,
                                     int ordinal = 0) {
    goldenthread::v1::CreateMilestoneRequest request;
    request.set_parent("organisations/" + org + "/plans/" + plan);
    auto* m = request.mutable_milestone();
    m->set_activity(activity);
    m->set_title(title);
    m->set_directorate(directorate);
    m->set_lead_officer("Officer " + directorate);
    m->set_baseline_deadline(deadline);
    m->set_ordinal(ordinal);
    goldenthread::v1::Milestone created;
    grpc::Status status = stub_->CreateMilestone(As(org).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  int HistoryRows(const std::string& milestone_name) {
    std::string id = milestone_name.substr(milestone_name.rfind('/') + 1);
    return std::stoi(milestone_db_.QueryScalar(
        "SELECT COUNT(*) FROM milestone_updates WHERE kind = 1 AND milestone_id = ?", {id}));
  }

  // A server status counter (MariaDB's information_schema; MySQL 8 keeps it
  // in performance_schema.global_status).
  int64_t GlobalStatus(const std::string& variable) {
    return std::stoll(milestone_db_.QueryScalar(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = ?",
        {variable}));
  }

  static HostOptions Options(const std::string& name, const std::string& service) {
    HostOptions options;
    options.name = name;
    options.bind_address = "127.0.0.1";
    options.services = {service};
    options.log_calls = false;
    options.shutdown_grace = absl::Seconds(2);
    return options;
  }

  TestDatabase plan_db_;
  TestDatabase milestone_db_;
  std::unique_ptr<ServiceHost> plan_host_;
  std::unique_ptr<ConnectionPool> plan_pool_;
  std::unique_ptr<plan::MysqlPlanRepository> plan_repository_;
  std::unique_ptr<plan::PlanManager> plan_manager_;
  std::unique_ptr<plan::PlanGrpcService> plan_service_;
  std::unique_ptr<goldenthread::v1::PlanService::Stub> plan_stub_;

  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<MysqlMilestoneRepository> repository_;
  std::unique_ptr<GrpcActivityDirectory> directory_;
  std::shared_ptr<MilestoneMetrics> metrics_;
  std::unique_ptr<UpdateBus> bus_;
  std::unique_ptr<MilestoneManager> manager_;
  std::unique_ptr<MysqlPeriodRepository> period_repository_;
  std::unique_ptr<PeriodManager> periods_;
  std::shared_ptr<PeriodMetrics> period_metrics_;
  std::unique_ptr<MilestoneGrpcService> service_;
  std::unique_ptr<goldenthread::v1::MilestoneService::Stub> stub_;
};

}  // namespace gt::milestone
