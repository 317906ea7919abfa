#pragma once

#include "gt/mysql_pool.h"
#include "milestone_repository.h"

namespace gt::milestone {

// MilestoneRepository on MySQL 8 / MariaDB 10.11 (READ COMMITTED sessions);
// prepared statements only.
class MysqlMilestoneRepository : public MilestoneRepository {
 public:
  explicit MysqlMilestoneRepository(ConnectionPool& pool) : pool_(pool) {}

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
  absl::StatusOr<WriteResult<RecordedUpdate>> RecordUpdate(
      const MilestoneKey& key, const RequestKey* request,
      const std::function<absl::StatusOr<UpdateRow>(const MilestoneRow&)>& decide,
      const std::function<std::string(const RecordedUpdate&)>& encode,
      const std::function<bool()>& want_update_id) override;
  absl::StatusOr<std::vector<UpdateRow>> ListUpdates(const PlanRef& plan,
                                                     std::optional<int64_t> milestone_id,
                                                     int64_t after_update_id, bool oldest_first,
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
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }
  ConnectionPool& pool_;
};

}  // namespace gt::milestone
