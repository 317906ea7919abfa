#include "watch_stream.h"

#include <condition_variable>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gt/grpc_status.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

constexpr int kBacklogPage = 500;

}  // namespace

WatchStream::WatchStream(UpdateBus& bus, MilestoneManager& manager, const PlanRef& plan,
                         int64_t start_after, size_t capacity)
    : bus_(bus),
      manager_(manager),
      plan_(plan),
      key_(PlanName(plan)),
      state_(std::make_shared<State>()) {
  live_++;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stream = this;
    state_->capacity = capacity;
    state_->last_sent = start_after;
    state_->last_queued = start_after;
    state_->backfilling = start_after > 0;
    if (start_after > 0) {
      state_->busy++;  // the backlog reader, released when it ends
    }
  }
  // Subscribe before reading the backlog, so nothing committed in between is
  // missed; what arrives twice is dropped by sequence.
  bus_.Subscribe(key_, state_);
  // Headers now tell the watcher it is subscribed: everything committed from
  // here on reaches it.
  StartSendInitialMetadata();
  if (start_after > 0) {
    std::thread([this, start_after] { ReadBacklog(start_after); }).detach();
  }
}

void WatchStream::ReadBacklog(int64_t start_after) {
  int64_t after = start_after;
  while (true) {
    auto page = manager_.UpdatesAfter(plan_, after, kBacklogPage);
    bool done = !page.ok() || static_cast<int>(page->size()) < kBacklogPage;
    {
      std::unique_lock<std::mutex> lock(state_->mu);
      if (state_->finished) {
        break;
      }
      if (!page.ok()) {
        if (!state_->pending_finish) {
          state_->pending_finish = ToGrpcStatus(page.status());
        }
      } else {
        for (auto& update : *page) {
          after = update.sequence();
          state_->queue.push_back(std::move(update));
        }
        state_->last_queued = std::max(state_->last_queued, after);
        if (done) {
          for (auto& update : state_->held) {
            if (update.sequence() > state_->last_queued) {
              state_->last_queued = update.sequence();
              state_->queue.push_back(std::move(update));
            }
          }
          state_->held.clear();
          state_->backfilling = false;
        }
      }
    }
    Pump();
    if (done) {
      break;
    }
    // Read the next page only once the watcher has taken most of this one.
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->drained.wait(lock, [this] {
      return state_->finished || state_->queue.size() < state_->capacity / 2 + 1;
    });
    if (state_->finished) {
      break;
    }
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->busy--;
  state_->drained.notify_all();
}

void WatchStream::State::OnUpdate(const v1::MilestoneUpdate& update) {
  WatchStream* target = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stream == nullptr || finished) {
      return;
    }
    auto overflow = [this] {
      // The stream ends rather than drop updates silently or slow the writer.
      queue.clear();
      held.clear();
      pending_finish = grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("this watcher fell more than ", capacity,
                       " updates behind and was ended so writers are not slowed; resume with "
                       "start_after_sequence=",
                       last_sent));
    };
    if (pending_finish) {
      return;
    }
    if (backfilling) {
      if (held.size() >= capacity) {
        overflow();
      } else {
        held.push_back(update);
      }
    } else if (update.sequence() <= last_queued) {
      return;
    } else if (queue.size() >= capacity) {
      overflow();
    } else {
      queue.push_back(update);
      last_queued = update.sequence();
    }
    target = stream;
    busy++;
  }
  PumpAndRelease(target);
}

void WatchStream::State::PumpAndRelease(WatchStream* target) {
  target->Pump();
  std::lock_guard<std::mutex> lock(mu);
  busy--;
  drained.notify_all();
}

void WatchStream::State::OnClosed() {
  WatchStream* target = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stream == nullptr || finished) {
      return;
    }
    if (!pending_finish) {
      pending_finish = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    absl::StrCat("the server is shutting down; resume elsewhere "
                                                 "with start_after_sequence=",
                                                 last_sent));
    }
    target = stream;
    busy++;
  }
  PumpAndRelease(target);
}

void WatchStream::Pump() {
  bool write = false;
  std::optional<grpc::Status> finish;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->finished || state_->writing) {
      return;
    }
    if (state_->pending_finish) {
      state_->finished = true;
      finish = state_->pending_finish;
      state_->drained.notify_all();
    } else if (!state_->queue.empty()) {
      state_->current = std::move(state_->queue.front());
      state_->queue.pop_front();
      state_->writing = true;
      write = true;
      state_->drained.notify_all();
    }
  }
  if (write) {
    StartWrite(&state_->current);
  } else if (finish) {
    Finish(*finish);
  }
}

void WatchStream::RequestFinish(grpc::Status status) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->pending_finish) {
      state_->pending_finish = std::move(status);
    }
  }
  Pump();
}

void WatchStream::OnWriteDone(bool ok) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->writing = false;
    if (ok) {
      state_->last_sent = state_->current.sequence();
    } else if (!state_->pending_finish) {
      state_->pending_finish = grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away");
    }
  }
  Pump();
}

void WatchStream::OnCancel() {
  RequestFinish(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away"));
}

void WatchStream::OnDone() {
  {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->stream = nullptr;
    state_->finished = true;
    state_->drained.notify_all();
    // Publishers and the backlog reader that already hold this stream finish
    // their (non-blocking) Pump before it goes.
    state_->drained.wait(lock, [this] { return state_->busy == 0; });
  }
  bus_.Unsubscribe(key_, state_);
  delete this;
}

}  // namespace gt::milestone
