#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "gt/mysql_pool.h"
#include "plan_repository.h"

namespace gt::plan {

// PlanRepository on MySQL 8 / MariaDB 10.11; prepared statements only.
class MysqlPlanRepository : public PlanRepository {
 public:
  explicit MysqlPlanRepository(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<goldenthread::v1::Organisation> CreateOrganisation(
      const std::string& id, const goldenthread::v1::Organisation& organisation) override;
  absl::StatusOr<goldenthread::v1::Organisation> GetOrganisation(const std::string& id) override;
  absl::StatusOr<std::vector<goldenthread::v1::Organisation>> ListOrganisations(
      const std::string& after, int limit, const std::string& only) override;

  absl::StatusOr<goldenthread::v1::Plan> CreatePlan(const PlanKey& key,
                                                    const goldenthread::v1::Plan& plan,
                                                    const RequestKey* request) override;
  absl::StatusOr<goldenthread::v1::Plan> GetPlan(const PlanKey& key) override;
  absl::StatusOr<std::vector<goldenthread::v1::Plan>> ListPlans(const std::string& organisation,
                                                                const std::string& after,
                                                                int limit) override;
  absl::StatusOr<goldenthread::v1::Plan> UpdatePlan(
      const PlanKey& key,
      const std::function<absl::Status(goldenthread::v1::Plan&)>& mutate) override;
  absl::Status DeletePlan(
      const PlanKey& key,
      const std::function<absl::Status(const goldenthread::v1::Plan&)>& check) override;

  absl::StatusOr<ItemRow> CreateItem(const PlanKey& plan, ItemRow row) override;
  absl::StatusOr<ItemRow> GetItem(const ItemKey& key) override;
  absl::StatusOr<std::vector<ItemRow>> ListItems(const PlanKey& plan, ItemKind kind,
                                                 const std::optional<ItemKey>& parent,
                                                 const ItemCursor& after, int limit) override;
  absl::StatusOr<ItemRow> UpdateItem(const ItemKey& key,
                                     const std::function<absl::Status(ItemRow&)>& mutate) override;
  absl::Status DeleteItem(const ItemKey& key,
                          const std::function<absl::Status(const ItemRow&)>& check) override;

  absl::StatusOr<goldenthread::v1::MeasureValue> CreateMeasureValue(
      const ItemKey& measure, const goldenthread::v1::MeasureValue& value) override;
  absl::StatusOr<std::vector<goldenthread::v1::MeasureValue>> ListMeasureValues(
      const ItemKey& measure, const std::string& after_date, int limit) override;
  absl::Status DeleteMeasureValue(const ItemKey& measure, const std::string& date) override;

  absl::StatusOr<goldenthread::v1::PlanTree> GetPlanTree(const PlanKey& key) override;
  absl::StatusOr<goldenthread::v1::PlanTree> ImportPlan(const PlanKey& key,
                                                        const goldenthread::v1::PlanTree& tree,
                                                        bool replace,
                                                        const RequestKey* request) override;

 private:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }
  ConnectionPool& pool_;
};

// Shared by the repository's two source files.
namespace sqlrows {
extern const char* const kItemColumns;
extern const char* const kPlanColumns;
ItemRow ReadItem(sql::ResultSet& rs);
goldenthread::v1::Plan ReadPlan(const std::string& organisation, sql::ResultSet& rs);
// Binds the 22 insert columns of plan_items starting at `first`.
void BindItemInsert(sql::PreparedStatement& st, int first, const PlanKey& plan, const ItemRow& row);
extern const char* const kItemInsertColumns;
constexpr int kItemInsertColumnCount = 22;
// SELECT ... FOR UPDATE of the organisation's id counter; reserves n ids and
// returns the first. NOT_FOUND when the organisation does not exist.
absl::StatusOr<int64_t> AllocateIds(Session& conn, const std::string& organisation, int n);
absl::StatusOr<goldenthread::v1::Plan> LoadPlan(Session& conn, const PlanKey& key, bool for_update);
absl::StatusOr<goldenthread::v1::PlanTree> LoadTree(Session& conn, const PlanKey& key);
void InsertPlan(Session& conn, const PlanKey& key, const goldenthread::v1::Plan& plan);
// NOT_FOUND unless an item of key.kind.
absl::StatusOr<ItemRow> LoadItem(Session& conn, const ItemKey& key, bool for_update);
absl::Status DuplicateCode(const PlanKey& plan, const ItemRow& row);
}  // namespace sqlrows

}  // namespace gt::plan
