// milestone-service's group commit: RecordUpdate (see the class comment).
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gt/call_deadline.h"
#include "gt/idempotency.h"
#include "gt/status.h"
#include "mysql_milestone_repository.h"
#include "mysql_milestone_rows.h"

namespace gt::milestone {

using namespace mysql_rows;  // NOLINT: this repository's own row helpers

namespace {

// An update whose caller gave up while it queued: not started, nothing written.
absl::Status QueuedPastDeadline() {
  return absl::DeadlineExceededError("the deadline passed before the update started");
}

}  // namespace

MysqlMilestoneRepository::MysqlMilestoneRepository(ConnectionPool& pool, UpdateBatching batching,
                                                   prometheus::Registry* registry)
    : pool_(pool), batching_(batching) {
  if (registry != nullptr) {
    batch_size_ = &prometheus::BuildHistogram()
                       .Name("goldenthread_milestone_update_batch_size")
                       .Help("Progress updates and deadline revisions per update transaction")
                       .Register(*registry)
                       .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
    batch_retries_ = &prometheus::BuildCounter()
                          .Name("goldenthread_milestone_update_batch_retries_total")
                          .Help("Updates run again alone because their batch's transaction failed")
                          .Register(*registry)
                          .Add({});
  }
}

struct MysqlMilestoneRepository::Pending {
  Pending(const MilestoneKey& key, const RequestKey* request, const UpdateCallbacks& calls)
      : key(key), request(request), calls(calls) {}

  const MilestoneKey& key;
  const RequestKey* request;
  const UpdateCallbacks& calls;
  // The caller's (its gRPC call's), as the thread that runs it may be another's.
  const absl::Time deadline = CurrentCallDeadline();
  // Set by whoever ran the batch, under batch_mu_.
  bool done = false;
  bool alone = false;  // the batch could not settle it: it runs again alone
  std::optional<absl::StatusOr<WriteResult<RecordedUpdate>>> result;
  // Under batch_mu_: its thread is running a batch (and cannot be woken).
  bool leading = false;
  std::condition_variable cv;
};

absl::StatusOr<WriteResult<RecordedUpdate>> MysqlMilestoneRepository::RecordUpdate(
    const MilestoneKey& key, const RequestKey* request, const UpdateCallbacks& calls) {
  Pending self(key, request, calls);
  if (batching_.max_batch <= 1) {
    self.alone = true;
  } else {
    std::unique_lock<std::mutex> lock(batch_mu_);
    queue_.push_back(&self);
    bool may_leave = self.deadline != absl::InfiniteFuture();
    while (!self.done) {
      if (running_ >= batching_.max_concurrent || queue_.empty()) {
        if (!may_leave) {
          self.cv.wait(lock);
        } else if (self.cv.wait_until(lock, absl::ToChronoTime(self.deadline)) ==
                       std::cv_status::timeout &&
                   !self.done) {
          // The caller gave up while its update queued: unless a batch has
          // taken it already (then it is seen through), it leaves unstarted.
          auto it = std::find(queue_.begin(), queue_.end(), &self);
          if (it != queue_.end()) {
            queue_.erase(it);
            return QueuedPastDeadline();
          }
          may_leave = false;
        }
        continue;
      }
      std::vector<Pending*> batch = TakeBatch();
      if (batch.empty()) {
        continue;  // all that queued had expired
      }
      ++running_;
      self.leading = true;
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      self.leading = false;
      --running_;
      for (Pending* p : batch) {
        p->done = true;
        if (p != &self) {
          p->cv.notify_one();
        }
      }
      // What queued meanwhile is the next batch: wake a waiter to lead it.
      for (Pending* p : queue_) {
        if (!p->leading) {
          p->cv.notify_one();
          break;
        }
      }
    }
  }
  if (self.alone) {
    RunBatch({&self});  // alone, it is settled whatever happens
  }
  return *std::move(self.result);
}

std::vector<MysqlMilestoneRepository::Pending*> MysqlMilestoneRepository::TakeBatch() {
  // In arrival order. A repeat of a request id already in the batch waits for
  // the next one, where it finds the first's answer.
  std::vector<Pending*> batch;
  std::set<std::pair<std::string, std::string>> ids;
  absl::Time now = absl::Now();
  for (auto it = queue_.begin();
       it != queue_.end() && batch.size() < static_cast<size_t>(batching_.max_batch);) {
    if ((*it)->deadline <= now) {
      (*it)->result = QueuedPastDeadline();
      (*it)->done = true;
      (*it)->cv.notify_one();
      it = queue_.erase(it);
      continue;
    }
    const RequestKey* request = (*it)->request;
    if (request != nullptr && !ids.emplace(request->organisation, request->request_id).second) {
      ++it;
      continue;
    }
    batch.push_back(*it);
    it = queue_.erase(it);
  }
  return batch;
}

void MysqlMilestoneRepository::RunBatch(const std::vector<Pending*>& batch) {
  // Waits (for a connection) as long as the most patient caller of the batch.
  absl::Time deadline = absl::InfinitePast();
  for (const Pending* p : batch) {
    deadline = std::max(deadline, p->deadline);
  }
  ScopedCallDeadline scoped(deadline);
  struct Outcome {
    std::optional<absl::Status> error;
    std::optional<std::string> replayed;
    RecordedUpdate recorded;
    std::string answer;
  };
  std::vector<Outcome> outcomes;
  std::vector<size_t> written;  // indexes of the updates written, in INSERT order
  // A batch with updates on watched plans runs under fanout_mu_ until they
  // are published: their ids are handed out in the order watchers get them,
  // which a watcher relies on (it drops a sequence at or below the last it
  // has). Taken before any row lock, never while holding one.
  std::vector<bool> watched(batch.size());
  std::unique_lock<std::mutex> fanout(fanout_mu_, std::defer_lock);
  for (size_t n = 0; n < batch.size(); ++n) {
    watched[n] = batch[n]->calls.want_update_id();
    if (watched[n] && !fanout.owns_lock()) {
      fanout.lock();
    }
  }

  // The ids of the given written updates (see ReadInsertedIds).
  auto assign_ids = [&](Session& c, const std::vector<size_t>& which) {
    std::vector<InsertedUpdate> rows;
    std::vector<size_t> position(batch.size());
    for (size_t n : written) {
      position[n] = rows.size();
      rows.push_back(InsertedUpdate{&batch[n]->key.plan, &outcomes[n].recorded.update});
    }
    std::vector<size_t> asked;
    for (size_t n : which) {
      asked.push_back(position[n]);
    }
    ReadInsertedIds(c, LastInsertId(c), rows, asked);
  };

  absl::Status status = RunTransaction(
      pool_, Deadline(), "RecordUpdate",
      [&](Session& c) -> absl::Status {
        outcomes.assign(batch.size(), Outcome{});
        written.clear();
        std::map<RowKey, const MilestoneKey*> keys;
        for (const Pending* p : batch) {
          keys.emplace(KeyOf(p->key), &p->key);
        }
        std::map<RowKey, MilestoneRow> rows = LockMilestones(c, keys);
        // Decide in arrival order, each on the state the ones before it left.
        for (size_t n = 0; n < batch.size(); ++n) {
          const Pending& p = *batch[n];
          Outcome& out = outcomes[n];
          auto row = rows.find(KeyOf(p.key));
          if (row == rows.end()) {
            out.error = NotFound("milestone", MilestoneName(p.key.plan, p.key.id));
            continue;
          }
          absl::StatusOr<UpdateRow> decided = p.calls.decide(row->second);
          if (!decided.ok()) {
            // A repeat of a request that succeeded may no longer pass the
            // checks (its etag is stale now): it gets the first answer.
            if (p.request != nullptr) {
              absl::StatusOr<std::optional<std::string>> first = FindAnswer(c, *p.request);
              if (!first.ok()) {
                out.error = first.status();
                continue;
              }
              if (first->has_value()) {
                out.replayed = std::move(*first);
                continue;
              }
            }
            out.error = decided.status();
            continue;
          }
          UpdateRow update = *std::move(decided);
          update.milestone_id = p.key.id;
          update.recorded_at = Micros(absl::Now());
          update.effective_at = Micros(update.effective_at);
          Apply(update, row->second);
          row->second.version++;
          row->second.update_time = update.recorded_at;
          out.recorded = RecordedUpdate{row->second, std::move(update)};
          if (p.request != nullptr) {
            out.answer = p.calls.encode(out.recorded);
          }
          written.push_back(n);
        }
        if (written.empty()) {
          return absl::OkStatus();
        }
        // The answers are known before anything is written: claiming the
        // request ids and storing the answers is one INSERT, and a repeat
        // stops here having written nothing.
        std::vector<Claim> claims;
        for (size_t n : written) {
          if (batch[n]->request != nullptr) {
            claims.push_back(Claim{batch[n]->request, &outcomes[n].answer});
          }
        }
        if (!ClaimRequests(c, claims)) {
          if (batch.size() > 1) {
            // Which one is a repeat? Each goes again alone (below).
            return absl::AbortedError("a request id of the batch is taken");
          }
          Outcome& out = outcomes[0];
          absl::StatusOr<std::optional<std::string>> first = FindAnswer(c, *batch[0]->request);
          if (!first.ok()) {
            return first.status();
          }
          if (!first->has_value()) {
            // Taken and gone again (its transaction rolled back): retry.
            return absl::AbortedError(absl::StrCat("request_id '", batch[0]->request->request_id,
                                                   "' is being processed; retry"));
          }
          out.replayed = std::move(*first);
          written.clear();
          return absl::OkStatus();
        }
        std::vector<PlannedUpdate> history;
        std::map<RowKey, PlannedState> states;  // the last state of each milestone
        std::vector<size_t> wanted;
        for (size_t n : written) {
          const Pending& p = *batch[n];
          history.push_back(PlannedUpdate{&p.key.plan, &outcomes[n].recorded.update});
          states[KeyOf(p.key)] = PlannedState{&p.key.plan, &rows.at(KeyOf(p.key))};
          if (watched[n]) {
            wanted.push_back(n);
          }
        }
        InsertUpdates(c, history);
        if (!wanted.empty()) {
          assign_ids(c, wanted);
        }
        std::vector<PlannedState> changed;
        for (const auto& [key, state] : states) {
          changed.push_back(state);
        }
        StoreStates(c, changed);
        return absl::OkStatus();
      },
      [&](Session& c) {
        // A watcher that subscribed while the transaction ran is owed these
        // updates too (published possibly out of order with another
        // transaction's: it is the moment it subscribed).
        std::vector<size_t> late;
        for (size_t n : written) {
          if (!watched[n] && batch[n]->calls.want_update_id()) {
            late.push_back(n);
          }
        }
        if (!late.empty()) {
          assign_ids(c, late);
        }
      });
  if (batch_size_ != nullptr) {
    batch_size_->Observe(static_cast<double>(batch.size()));
  }
  if (!status.ok()) {
    // UNAVAILABLE or DEADLINE_EXCEEDED: the database could not be reached,
    // or the COMMIT's answer never came, so the batch may have committed.
    // Every update of it is answered so (retryable; its request_id settles
    // it); running them again here could write an update twice. Any other
    // failure was rolled back: each update goes again alone, to find the one
    // it was about.
    if (batch.size() == 1 || absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
      for (Pending* p : batch) {
        p->result = status;
      }
      return;
    }
    for (Pending* p : batch) {
      p->alone = true;
    }
    if (batch_retries_ != nullptr) {
      batch_retries_->Increment(static_cast<double>(batch.size()));
    }
    return;
  }
  for (size_t n : written) {
    batch[n]->calls.on_commit(outcomes[n].recorded);
  }
  if (fanout.owns_lock()) {
    fanout.unlock();
  }
  for (size_t n = 0; n < batch.size(); ++n) {
    Outcome& out = outcomes[n];
    if (out.error.has_value()) {
      batch[n]->result = *std::move(out.error);
      continue;
    }
    WriteResult<RecordedUpdate> result;
    if (out.replayed.has_value()) {
      result.replayed = std::move(out.replayed);
    } else {
      result.value = std::move(out.recorded);
    }
    batch[n]->result = std::move(result);
  }
}

}  // namespace gt::milestone
