#pragma once

#include "gt/mysql_pool.h"
#include "period_repository.h"

namespace gt::milestone {

// PeriodRepository on MySQL 8 / MariaDB 10.11 (READ COMMITTED sessions);
// prepared statements only. Lock order, as everywhere in milestone-service:
// the plan's period_plans row, then a period, then milestones in key order.
class MysqlPeriodRepository : public PeriodRepository {
 public:
  explicit MysqlPeriodRepository(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<WriteResult<std::vector<PeriodRow>>> CreatePeriods(
      const PlanRef& plan, std::vector<PeriodRow> periods, const RequestKey* request,
      const std::function<absl::Status(const std::vector<PeriodRow>& existing)>& check,
      const std::function<std::string(const std::vector<PeriodRow>&)>& encode) override;
  absl::StatusOr<PeriodRow> GetPeriod(const PeriodKey& key) override;
  absl::StatusOr<std::vector<PeriodRow>> ListPeriods(const PlanRef& plan,
                                                     const std::string& after_id,
                                                     int limit) override;
  absl::StatusOr<PeriodRow> ChangePeriod(
      const PeriodKey& key, const std::function<absl::Status(PeriodRow&)>& change) override;
  absl::StatusOr<DueFacts> Due(const PlanRef& plan, const PeriodRow& period) override;
  absl::StatusOr<WriteResult<ReviewRow>> Review(
      const UpdateKey& key, const RequestKey* request,
      const std::function<absl::StatusOr<ReviewRow>(const ReviewContext&)>& decide,
      const std::function<std::string(const ReviewRow&)>& encode) override;
  absl::StatusOr<std::vector<ReviewRow>> ListReviews(const PeriodKey& key, int64_t after_review_id,
                                                     int limit) override;
  absl::StatusOr<WriteResult<PeriodRow>> Publish(
      const PeriodKey& key, const RequestKey* request,
      const std::function<absl::Status(PeriodRow&, const DueFacts&)>& decide,
      const std::vector<PackFileRow>& files, bool dry_run,
      const std::function<std::string(const PeriodRow&)>& encode) override;
  absl::StatusOr<std::vector<PackFileRow>> PackFiles(const PeriodKey& key,
                                                     const std::string& filename) override;
  absl::StatusOr<std::vector<std::pair<PlanRef, PeriodRow>>> PeriodsInRound() override;

 private:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }
  ConnectionPool& pool_;
};

}  // namespace gt::milestone
