#include "fault_load.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "goldenthread/v1/milestone.grpc.pb.h"

namespace gt::faults {

namespace v1 = goldenthread::v1;

ProgressLoad::ProgressLoad(std::shared_ptr<grpc::Channel> channel, std::string token,
                           std::vector<std::string> milestones, std::string id_prefix, int callers)
    : channel_(std::move(channel)),
      token_(std::move(token)),
      milestones_(std::move(milestones)),
      id_prefix_(std::move(id_prefix)),
      callers_(callers) {}

ProgressLoad::~ProgressLoad() {
  if (!threads_.empty()) {
    Stop(absl::Seconds(5));
  }
}

bool ProgressLoad::Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

void ProgressLoad::Start() {
  for (int i = 0; i < callers_; ++i) {
    threads_.emplace_back([this, i] { Caller(i); });
  }
}

LoadOutcome ProgressLoad::Stop(absl::Duration settle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    give_up_ = absl::Now() + settle;
  }
  stopping_ = true;
  for (std::thread& t : threads_) {
    t.join();
  }
  threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  return outcome_;
}

absl::Time ProgressLoad::FirstOkAfter(absl::Time t) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Time first = absl::InfiniteFuture();
  for (absl::Time ok : outcome_.ok_times) {
    if (ok >= t) {
      first = std::min(first, ok);
    }
  }
  return first;
}

void ProgressLoad::Caller(int index) {
  auto stub = v1::MilestoneService::NewStub(channel_);
  for (int n = 0; !stopping_; ++n) {
    const std::string id = absl::StrCat(id_prefix_, "-", index, "-", n);
    v1::UpdateMilestoneProgressRequest request;
    request.set_name(milestones_[(static_cast<size_t>(index) * 7 + n) % milestones_.size()]);
    request.set_status(n % 3 == 0 ? v1::DELAYED : v1::ON_TARGET);
    request.set_percent_complete(n % 100);
    request.set_comment(id);
    request.set_request_id(id);
    absl::Duration backoff = absl::Milliseconds(20);
    while (true) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      context.AddMetadata("authorization", "Bearer " + token_);
      v1::Milestone response;
      grpc::Status status = stub->UpdateMilestoneProgress(&context, request, &response);
      bool settled = true;
      {
        std::lock_guard<std::mutex> lock(mu_);
        outcome_.codes[status.error_code()]++;
        if (status.ok()) {
          outcome_.acknowledged.insert(id);
          outcome_.ok_times.push_back(absl::Now());
          ok_count_++;
        } else if (!Retryable(status.error_code())) {
          outcome_.unexpected.push_back(
              absl::StrCat(id, " ", status.error_code(), ": ", status.error_message()));
          outcome_.refused.insert(id);
        } else if (outcome_.retryable_messages.size() < 8 &&
                   outcome_.retryable_messages.insert(status.error_message()).second &&
                   absl::Now() > give_up_) {
          outcome_.unsettled.insert(id);
        } else if (absl::Now() > give_up_) {
          outcome_.unsettled.insert(id);
        } else {
          settled = false;
        }
      }
      if (settled) {
        break;
      }
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Milliseconds(250));
    }
  }
}

}  // namespace gt::faults
