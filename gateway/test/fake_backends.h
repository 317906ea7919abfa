#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/report.grpc.pb.h"
#include "gt/identity.h"
#include "gt/sql_util.h"

namespace gt::gateway::testing {

// The identity key of the in-process gateway of the service tests, with
// which the stand-in backends check its seals as real backends do.
inline constexpr char kTestIdentityKey[] = "gateway-service-test-identity-key-0123456789abcdef";

// All values a backend received for a metadata key, joined with ",".
inline std::string Received(const grpc::ServerContext& context, const std::string& key) {
  std::vector<std::string> values;
  auto range = context.client_metadata().equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return absl::StrJoin(values, ",");
}

// A report-service stand-in that reports what reached it, so tests can see
// exactly what the gateway forwards: the report header's fields carry the
// metadata it received, generated_at carries the call's deadline, and the
// trailer x-seal-check says whether the identity seal is valid for exactly
// the identity headers received ("ok", else why not), as a backend checks it.
class EchoReportService final : public goldenthread::v1::ReportService::Service {
 public:
  grpc::Status GetEndOfYearReport(grpc::ServerContext* context,
                                  const goldenthread::v1::ReportRequest* request,
                                  goldenthread::v1::EndOfYearReport* response) override {
    auto* h = response->mutable_header();
    h->set_plan(request->plan());
    h->set_organisation(Received(*context, "x-gt-organisation"));
    h->set_title(Received(*context, "x-gt-role"));
    h->set_plan_title(Received(*context, "x-gt-subject"));
    h->set_as_of(Received(*context, "x-request-id"));
    h->set_period_start(Received(*context, "authorization"));
    h->set_period_end(Received(*context, "x-custom"));
    h->set_organisation_display_name(Received(*context, "x-gt-directorates"));
    *h->mutable_generated_at() = ToTimestamp(absl::FromChrono(context->deadline()));
    context->AddTrailingMetadata("x-backend-trailer", "from-backend");
    absl::Status seal = CheckSeal(kTestIdentityKey, *context, absl::Now());
    context->AddTrailingMetadata("x-seal-check", seal.ok() ? "ok" : std::string(seal.message()));
    std::lock_guard<std::mutex> lock(mu_);
    peers_.insert(context->peer());
    return grpc::Status::OK;
  }

  // The connections calls came in on ("ipv4:127.0.0.1:PORT"), since Forget.
  size_t Peers() {
    std::lock_guard<std::mutex> lock(mu_);
    return peers_.size();
  }
  void Forget() {
    std::lock_guard<std::mutex> lock(mu_);
    peers_.clear();
  }

 private:
  std::mutex mu_;
  std::set<std::string> peers_;
};

// A milestone-service stand-in: WatchMilestoneUpdates sends three updates
// (or start_after_sequence of them, when set), then ends, or with a parent
// ending in "/hold" stays open until cancelled.
// GetMilestone answers the backends' own UNAVAILABLE.
class StreamingMilestoneService final : public goldenthread::v1::MilestoneService::Service {
 public:
  grpc::Status WatchMilestoneUpdates(
      grpc::ServerContext* context, const goldenthread::v1::WatchMilestoneUpdatesRequest* request,
      grpc::ServerWriter<goldenthread::v1::MilestoneUpdate>* writer) override {
    int64_t count = request->start_after_sequence() > 0 ? request->start_after_sequence() : 3;
    for (int64_t i = 1; i <= count; ++i) {
      goldenthread::v1::MilestoneUpdate update;
      update.set_milestone(request->parent());
      update.set_sequence(i);
      writer->Write(update);
    }
    if (request->parent().size() > 5 &&
        request->parent().substr(request->parent().size() - 5) == "/hold") {
      while (!context->IsCancelled()) {
        absl::SleepFor(absl::Milliseconds(10));
      }
      return grpc::Status::CANCELLED;
    }
    return grpc::Status::OK;
  }

  // With a name ending in "/hold": waits until the call is cancelled, and
  // counts it.
  grpc::Status GetMilestone(grpc::ServerContext* context,
                            const goldenthread::v1::GetMilestoneRequest* request,
                            goldenthread::v1::Milestone*) override {
    if (absl::EndsWith(request->name(), "/hold")) {
      ++held_;
      while (!context->IsCancelled()) {
        absl::SleepFor(absl::Milliseconds(10));
      }
      ++cancelled_;
      return grpc::Status::CANCELLED;
    }
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the database is unavailable; retry shortly");
  }

  // Held GetMilestone calls that arrived, and that ended cancelled.
  int Held() const { return held_.load(); }
  int Cancelled() const { return cancelled_.load(); }

 private:
  std::atomic<int> held_{0};
  std::atomic<int> cancelled_{0};
};

}  // namespace gt::gateway::testing
