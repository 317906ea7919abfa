#include "gt/async_health.h"

#include <optional>

#include "gt/cq_tag.h"

namespace gt {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// What every health call has: its service, queue, context and messages.
struct AsyncHealthService::Call {
  Call(AsyncHealthService* health, grpc::ServerCompletionQueue* cq) : health_(health), cq_(cq) {}

  AsyncHealthService* const health_;
  grpc::ServerCompletionQueue* const cq_;
  grpc::ServerContext context_;
  HealthCheckRequest request_;
  HealthCheckResponse response_;
};

// One Check call: requested, answered, gone.
class AsyncHealthService::CheckCall : private Call {
 public:
  CheckCall(AsyncHealthService* health, grpc::ServerCompletionQueue* cq) : Call(health, cq) {
    health_->service_.RequestCheck(&context_, &request_, &responder_, cq_, cq_, &requested_);
  }

 private:
  void Requested(bool ok) {
    if (!ok) {  // the server is shutting down
      delete this;
      return;
    }
    new CheckCall(health_, cq_);
    ServingStatus status;
    {
      absl::ReaderMutexLock lock(&health_->mu_);
      status = health_->StatusOf(request_.service());
    }
    if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
      responder_.FinishWithError(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service '" + request_.service() + "'"),
          &finished_);
      return;
    }
    response_.set_status(status);
    responder_.Finish(response_, grpc::Status::OK, &finished_);
  }
  void Finished(bool) { delete this; }

  grpc::ServerAsyncResponseWriter<HealthCheckResponse> responder_{&context_};
  MemberTag<CheckCall> requested_{this, &CheckCall::Requested};
  MemberTag<CheckCall> finished_{this, &CheckCall::Finished};
};

// One Watch call. Its state is guarded by the service's mutex: statuses
// change on other threads (readiness checks, shutdown). One write at a time;
// a status that changes during a write is sent after it, the latest only.
class AsyncHealthService::WatchCall : private Call {
 public:
  WatchCall(AsyncHealthService* health, grpc::ServerCompletionQueue* cq) : Call(health, cq) {
    // Before the request: the tag of a call that never starts never comes.
    context_.AsyncNotifyWhenDone(&done_);
    health_->service_.RequestWatch(&context_, &request_, &writer_, cq_, cq_, &requested_);
  }

  const std::string& name() const { return request_.service(); }

  // Sends `status` unless it is what the watcher last heard.
  void Offer(ServingStatus status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    if (closing_ && finish_started_) {
      return;
    }
    if (writing_) {
      next_ = status;
      return;
    }
    if (sent_any_ && status == last_) {
      return;
    }
    writing_ = true;
    sent_any_ = true;
    last_ = status;
    response_.set_status(status);
    writer_.Write(response_, &written_);
  }

  // Ends the call once what is being written is sent.
  void Close(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    if (!closing_) {
      closing_ = true;
      final_status_ = std::move(status);
    }
    MaybeFinish();
  }

 private:
  void Requested(bool ok) {
    if (!ok) {
      delete this;
      return;
    }
    new WatchCall(health_, cq_);
    absl::MutexLock lock(&health_->mu_);
    health_->watchers_.insert(this);
    Offer(health_->StatusOf(name()));
    if (health_->shut_down_) {
      Close(ShuttingDown());
    }
  }

  void Written(bool ok) {
    Step([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
      writing_ = false;
      if (!ok) {
        Close(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away"));
      } else if (next_.has_value()) {
        ServingStatus status = *next_;
        next_.reset();
        Offer(status);
      }
      MaybeFinish();
    });
  }

  void Done(bool) {
    Step([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
      done_seen_ = true;
      health_->watchers_.erase(this);
      Close(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away"));
    });
  }

  void Finished(bool) {
    Step([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) { finished_seen_ = true; });
  }

  // Runs an event's step under the lock; deletes the call once both its last
  // events have come (the finish starts only once no write is outstanding,
  // and no write starts after it).
  template <typename Fn>
  void Step(Fn fn) {
    bool gone;
    {
      absl::MutexLock lock(&health_->mu_);
      fn();
      gone = done_seen_ && finished_seen_;
    }
    if (gone) {
      delete this;
    }
  }

  void MaybeFinish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_->mu_) {
    if (closing_ && !writing_ && !finish_started_) {
      finish_started_ = true;
      writer_.Finish(final_status_, &finished_);
    }
  }

  static grpc::Status ShuttingDown() {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down");
  }

  grpc::ServerAsyncWriter<HealthCheckResponse> writer_{&context_};
  MemberTag<WatchCall> requested_{this, &WatchCall::Requested};
  MemberTag<WatchCall> written_{this, &WatchCall::Written};
  MemberTag<WatchCall> done_{this, &WatchCall::Done};
  MemberTag<WatchCall> finished_{this, &WatchCall::Finished};

  bool writing_ = false;
  bool sent_any_ = false;
  ServingStatus last_ = HealthCheckResponse::UNKNOWN;
  std::optional<ServingStatus> next_;
  bool closing_ = false;
  grpc::Status final_status_;
  bool finish_started_ = false;
  bool done_seen_ = false;
  bool finished_seen_ = false;

  friend class AsyncHealthService;
};

void AsyncHealthService::Serve(grpc::ServerCompletionQueue* cq) {
  new CheckCall(this, cq);
  new WatchCall(this, cq);
}

AsyncHealthService::ServingStatus AsyncHealthService::StatusOf(const std::string& name) const {
  auto it = serving_.find(name);
  if (it == serving_.end()) {
    return HealthCheckResponse::SERVICE_UNKNOWN;
  }
  return it->second && !shut_down_ ? HealthCheckResponse::SERVING
                                   : HealthCheckResponse::NOT_SERVING;
}

void AsyncHealthService::Notify(const std::string* name) {
  for (WatchCall* watcher : watchers_) {
    if (name == nullptr || watcher->name() == *name) {
      watcher->Offer(StatusOf(watcher->name()));
    }
  }
}

void AsyncHealthService::SetServingStatus(const std::string& service_name, bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return;
  }
  serving_[service_name] = serving;
  Notify(&service_name);
}

void AsyncHealthService::SetServingStatus(bool serving) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return;
  }
  for (auto& [name, value] : serving_) {
    value = serving;
  }
  Notify(nullptr);
}

void AsyncHealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  Notify(nullptr);
  for (WatchCall* watcher : watchers_) {
    watcher->Close(WatchCall::ShuttingDown());
  }
}

}  // namespace gt
