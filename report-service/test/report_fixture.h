#pragma once

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_interceptor.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "common/importers/importers.h"
#include "common/importers/loader.h"
#include "common/importers/test/seed_test_util.h"
#include "goldenthread/v1/report.grpc.pb.h"
#include "grpc_report_backend.h"
#include "gt/identity.h"
#include "gt/sql_util.h"
#include "milestone_fixture.h"
#include "report_grpc.h"
#include "report_manager.h"

namespace gt::report::testing {

namespace v1 = goldenthread::v1;

// The seed documents, as the readers' own tests read them.
using importers::testing::kCompleted2007;
using importers::testing::kMonitoring2017;
using importers::testing::kOverdue2007;
using importers::testing::ReadSeed;

// The calls report-service makes to its backends, by method, and what
// identity and deadline each carried.
class CallLog {
 public:
  void Record(const std::string& method, const std::string& organisation, bool has_deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_[method]++;
    total_++;
    organisations_[organisation]++;
    without_deadline_ += has_deadline ? 0 : 1;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    counts_.clear();
    organisations_.clear();
    total_ = 0;
    without_deadline_ = 0;
  }
  // "GetPlanTree" -> calls since the last Reset.
  int Count(const std::string& method) {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& [path, count] : counts_) {
      if (path.size() > method.size() &&
          path.compare(path.size() - method.size() - 1, std::string::npos, "/" + method) == 0) {
        n += count;
      }
    }
    return n;
  }
  int Total() {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }
  std::map<std::string, int> Organisations() {
    std::lock_guard<std::mutex> lock(mu_);
    return organisations_;
  }
  int WithoutDeadline() {
    std::lock_guard<std::mutex> lock(mu_);
    return without_deadline_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> counts_;
  std::map<std::string, int> organisations_;
  int total_ = 0;
  int without_deadline_ = 0;
};

// Client interceptor on report-service's backend channels: counts each call
// once, when its initial metadata (identity) is sent.
class CountingInterceptor : public grpc::experimental::Interceptor {
 public:
  CountingInterceptor(grpc::experimental::ClientRpcInfo* info, CallLog* log)
      : info_(info), log_(log) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      std::string organisation;
      auto* metadata = methods->GetSendInitialMetadata();
      auto it = metadata->find(kOrganisationHeader);
      if (it != metadata->end()) {
        organisation = it->second;
      }
      auto deadline = info_->client_context()->deadline();
      bool finite = deadline < std::chrono::system_clock::now() + std::chrono::hours(1);
      log_->Record(info_->method(), organisation, finite);
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ClientRpcInfo* info_;
  CallLog* log_;
};

class CountingFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit CountingFactory(CallLog* log) : log_(log) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new CountingInterceptor(info, log_);
  }

 private:
  CallLog* log_;
};

// plan-service and milestone-service (milestone-service's fixture) plus
// report-service, all in-process on port 0 over fresh MariaDB databases,
// wired as in production: report-service reads the others over gRPC, through
// channels that count its calls.
class ReportWorld {
 public:
  ReportWorld() {
    auto plans = CountedChannel(services.plan_host_->grpc_port());
    auto milestones = CountedChannel(services.host_->grpc_port());
    plan_stub_ = v1::PlanService::NewStub(plans);
    milestone_stub_ = v1::MilestoneService::NewStub(milestones);
    backend_ = std::make_unique<GrpcReportBackend>(*plan_stub_, *milestone_stub_);
    manager_ = std::make_unique<ReportManager>(*backend_);
    service_ = std::make_unique<ReportGrpcService>(*manager_);
    host_ = std::make_unique<ServiceHost>(
        milestone::MilestoneWorld::Options("report-service", "goldenthread.v1.ReportService"));
    host_->AddService(service_.get());
    EXPECT_TRUE(host_->Start().ok());
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    stub_ = v1::ReportService::NewStub(
        grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(host_->grpc_port()),
                                  grpc::InsecureChannelCredentials(), args));
  }
  ~ReportWorld() {
    host_->Shutdown();
    host_->Wait();
  }

  // A caller of `organisation` as the gateway would present it.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& organisation) {
    auto context = milestone::MilestoneWorld::As(organisation, "reader");
    return context;
  }

  void CreateOrganisation(const std::string& id, const std::string& display_name) {
    v1::CreateOrganisationRequest request;
    request.set_organisation_id(id);
    request.mutable_organisation()->set_display_name(display_name);
    v1::Organisation created;
    grpc::Status s = services.plan_stub_->CreateOrganisation(As("").get(), request, &created);
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  }

  // Loads documents merged into one plan, as scripts/load-demo.sh does: the
  // statuses speak for the end of `effective` (UTC).
  importers::LoadResult Load(const std::string& plan_id, absl::CivilDay effective,
                             const std::vector<std::string>& seeds, bool replace = false) {
    importers::ImportedPlan merged;
    for (size_t i = 0; i < seeds.size(); ++i) {
      auto doc = importers::ReadDocument(ReadSeed(seeds[i]));
      EXPECT_TRUE(doc.ok()) << doc.status();
      if (i == 0) {
        merged = std::move(*doc);
      } else {
        EXPECT_TRUE(importers::MergeInto(merged, *doc).ok());
      }
    }
    importers::LoadOptions options;
    options.organisation = "th";
    options.plan_id = plan_id;
    options.replace = replace;
    options.effective_at = absl::FromCivil(effective + 1, absl::UTCTimeZone()) - absl::Seconds(1);
    options.decorate = [](grpc::ClientContext& c) {
      c.AddMetadata(kOrganisationHeader, "th");
      c.AddMetadata(kRoleHeader, "PLANNER");
      c.AddMetadata(kSubjectHeader, "loader");
    };
    auto loaded = importers::Load(*services.plan_stub_, *services.stub_, merged, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded.ok() ? *std::move(loaded) : importers::LoadResult{};
  }

  // The two demo plans, loaded once per test binary.
  const importers::LoadResult& Plan2007() {
    std::call_once(once_2007_, [this] {
      CreateOrganisation("th", "London Borough of Tower Hamlets");
      plan_2007_ = Load("2007-08", absl::CivilDay(2008, 3, 31), {kCompleted2007, kOverdue2007});
    });
    return plan_2007_;
  }
  const importers::LoadResult& Plan2017() {
    std::call_once(once_2017_, [this] {
      CreateOrganisation("th", "London Borough of Tower Hamlets");
      plan_2017_ = Load("2017-18", absl::CivilDay(2017, 9, 30), {kMonitoring2017});
    });
    return plan_2017_;
  }

  static v1::ReportRequest Request(const std::string& plan, const std::string& as_of) {
    v1::ReportRequest r;
    r.set_plan(plan);
    r.set_as_of(as_of);
    return r;
  }

  milestone::MilestoneWorld services;
  CallLog calls;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<v1::ReportService::Stub> stub_;

 private:
  std::shared_ptr<grpc::Channel> CountedChannel(int port) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<CountingFactory>(&calls));
    return grpc::experimental::CreateCustomChannelWithInterceptors(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), args,
        std::move(factories));
  }

  std::unique_ptr<v1::PlanService::Stub> plan_stub_;
  std::unique_ptr<v1::MilestoneService::Stub> milestone_stub_;
  std::unique_ptr<GrpcReportBackend> backend_;
  std::unique_ptr<ReportManager> manager_;
  std::unique_ptr<ReportGrpcService> service_;
  std::once_flag once_2007_;
  std::once_flag once_2017_;
  importers::LoadResult plan_2007_;
  importers::LoadResult plan_2017_;
};

// One world per test binary (databases and servers are the slow part),
// created on first use and torn down by the environment in
// report_service_test.cc.
ReportWorld& World();
void DestroyWorld();

// Each ReportService method as a caller of `organisation`.
template <typename Response>
struct Answer {
  grpc::Status status;
  Response value;
};

#define GT_REPORT_CALL(Name, Method, Request, Response)                                     \
  inline Answer<v1::Response> Name(const v1::Request& request,                              \
                                   const std::string& organisation = "th") {                \
    Answer<v1::Response> answer;                                                            \
    answer.status =                                                                         \
        World().stub_->Method(ReportWorld::As(organisation).get(), request, &answer.value); \
    return answer;                                                                          \
  }
GT_REPORT_CALL(EndOfYear, GetEndOfYearReport, ReportRequest, EndOfYearReport)
GT_REPORT_CALL(Progress, GetProgressReport, ProgressReportRequest, ProgressReport)
GT_REPORT_CALL(Revisions, GetDeadlineRevisionReport, ReportRequest, DeadlineRevisionReport)
GT_REPORT_CALL(ActionPlan, GetActionPlanReport, ReportRequest, ActionPlanReport)
GT_REPORT_CALL(Changes, GetChangesReport, ChangesReportRequest, ChangesReport)
GT_REPORT_CALL(Render, RenderReport, RenderReportRequest, RenderedReport)
#undef GT_REPORT_CALL

}  // namespace gt::report::testing
