#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "gt/mysql_pool.h"
#include "milestone_repository.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace gt::milestone {

// Group commit of RecordUpdate: concurrent updates share one transaction.
struct UpdateBatching {
  // Most updates in one transaction; 1 turns group commit off.
  int max_batch = 32;
  // Transactions of batched updates running at once. While they run, new
  // updates queue; the next one takes all of them (up to max_batch).
  int max_concurrent = 2;
};

// MilestoneRepository on MySQL 8 / MariaDB 10.11 (READ COMMITTED sessions);
// prepared statements only.
//
// RecordUpdate commits in groups: a caller queues its update and either
// waits or, when fewer than max_concurrent batches run, becomes the leader
// that runs everything queued in one transaction: one locking read, one
// multi-row INSERT each for request ids and history, one UPDATE for the
// current rows, one COMMIT, whether it holds one update or 32. The updates of
// a batch whose transaction fails (a request id of it turns out to be taken
// by an earlier call, a deadlock outlasts the retries) each run again alone,
// so one update's trouble is never another's answer.
class MysqlMilestoneRepository : public MilestoneRepository {
 public:
  // With a registry: goldenthread_milestone_update_batch_size (updates per
  // update transaction) and goldenthread_milestone_update_batch_retries_total
  // (updates that ran again alone after their batch's transaction failed).
  explicit MysqlMilestoneRepository(ConnectionPool& pool, UpdateBatching batching = {},
                                    prometheus::Registry* registry = nullptr);

  absl::StatusOr<WriteResult<std::vector<MilestoneRow>>> CreateMilestones(
      const PlanRef& plan, std::vector<NewMilestone> milestones, const RequestKey* request,
      const std::function<std::string(const std::vector<MilestoneRow>&)>& encode) override;
  absl::StatusOr<MilestoneRow> GetMilestone(const MilestoneKey& key) override;
  absl::StatusOr<std::vector<MilestoneRow>> ListMilestones(const PlanRef& plan,
                                                           const MilestoneFilter& filter,
                                                           const OrderCursor& after,
                                                           int limit) override;
  absl::StatusOr<MilestoneRow> EditMilestone(
      const MilestoneKey& key, const std::function<absl::Status(MilestoneRow&)>& mutate) override;
  absl::Status DeleteMilestone(
      const MilestoneKey& key,
      const std::function<absl::Status(const MilestoneRow&)>& check) override;
  absl::StatusOr<WriteResult<RecordedUpdate>> RecordUpdate(const MilestoneKey& key,
                                                           const RequestKey* request,
                                                           const UpdateCallbacks& calls) override;
  absl::StatusOr<WriteResult<PlanWrite>> WritePlan(const PlanRef& plan, const RequestKey* request,
                                                   const PlanWriteCallbacks& calls) override;
  absl::StatusOr<std::vector<UpdateRow>> ListUpdates(
      const PlanRef& plan, std::optional<int64_t> milestone_id,
      std::optional<goldenthread::v1::UpdateKind> kind, int64_t after_update_id, bool oldest_first,
      int limit) override;
  absl::StatusOr<std::vector<MilestoneRow>> StateAsOf(const PlanRef& plan,
                                                      absl::Time effective_before,
                                                      std::optional<absl::Time> recorded_before,
                                                      int64_t offset, int64_t limit) override;
  absl::StatusOr<std::vector<ScrapeRow>> Scrape(absl::CivilDay day) override;
  absl::StatusOr<std::vector<ScrapeRow>> ScrapePlan(const PlanRef& plan,
                                                    absl::CivilDay day) override;
  absl::StatusOr<std::vector<std::pair<PlanRef, absl::Time>>> PlanChanges() override;

 private:
  struct Pending;
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }
  std::vector<Pending*> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(batch_mu_);
  // Settles every update of the batch or marks it to run alone.
  void RunBatch(const std::vector<Pending*>& batch);

  ConnectionPool& pool_;
  const UpdateBatching batching_;
  std::mutex batch_mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(batch_mu_);
  int running_ ABSL_GUARDED_BY(batch_mu_) = 0;
  std::mutex fanout_mu_;  // see RunBatch
  prometheus::Histogram* batch_size_ = nullptr;
  prometheus::Counter* batch_retries_ = nullptr;
};

}  // namespace gt::milestone
