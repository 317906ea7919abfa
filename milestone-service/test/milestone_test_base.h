#pragma once

// The fixture the milestone-service tests share: one MilestoneWorld (plan-
// and milestone-service in-process over MariaDB) per test binary, and
// helpers to post progress and read metrics.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gt/sql_util.h"
#include "gt/test_http.h"
#include "gt/test_process.h"
#include "milestone_fixture.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

class MilestoneServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new MilestoneWorld(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  static MilestoneWorld* world_;
  v1::MilestoneService::Stub& stub() { return *world_->stub_; }

  static google::protobuf::Timestamp At(int y, int m, int d, int hh = 12) {
    return ToTimestamp(absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::UTCTimeZone()));
  }

  grpc::Status Progress(const std::string& org, const std::string& name, v1::MilestoneStatus status,
                        std::optional<int> percent, const std::string& comment,
                        std::optional<google::protobuf::Timestamp> effective = {},
                        v1::Milestone* out = nullptr, const std::string& request_id = "",
                        const std::string& etag = "") {
    v1::UpdateMilestoneProgressRequest request;
    request.set_name(name);
    request.set_status(status);
    if (percent) {
      request.set_percent_complete(*percent);
    }
    request.set_comment(comment);
    if (effective) {
      *request.mutable_effective_at() = *effective;
    }
    request.set_request_id(request_id);
    request.set_etag(etag);
    v1::Milestone response;
    grpc::Status s =
        stub().UpdateMilestoneProgress(MilestoneWorld::As(org).get(), request, &response);
    if (out != nullptr) {
      *out = response;
    }
    return s;
  }

  // Opens a watch stream on the plan as its organisation, for a minute at
  // most; `context` must outlive the reader.
  std::unique_ptr<grpc::ClientReader<v1::MilestoneUpdate>> Watch(
      grpc::ClientContext& context, const v1::WatchMilestoneUpdatesRequest& request,
      const std::string& org) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context.AddMetadata(kOrganisationHeader, org);
    return stub().WatchMilestoneUpdates(&context, request);
  }

  bool WaitUntilWatching(size_t n) {
    return WaitUntil([&] { return world_->bus_->watchers() == n; }, absl::Seconds(10));
  }

  double Metric(const std::string& series) {
    std::string text = HttpGet(world_->host_->metrics_port(), "/metrics");
    size_t at = text.find(series + " ");
    if (at == std::string::npos) {
      return -1;
    }
    return std::stod(text.substr(at + series.size() + 1));
  }
};

inline MilestoneWorld* MilestoneServiceTest::world_ = nullptr;

}  // namespace gt::milestone
