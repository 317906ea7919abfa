#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gt/idempotency.h"
#include "gt/mysql_pool.h"
#include "gt/status.h"
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

  absl::Status CreateItem(const PlanKey& plan, ItemRow row, const RequestKey* request,
                          const absl::Status& refuse_new, google::protobuf::Message& answer,
                          const std::function<void(const ItemRow&)>& answered) override;
  absl::StatusOr<ItemRow> GetItem(const ItemKey& key) override;
  absl::StatusOr<std::vector<ItemRow>> ListItems(const PlanKey& plan, ItemKind kind,
                                                 const std::optional<ItemKey>& parent,
                                                 const ItemCursor& after, int limit) override;
  absl::StatusOr<ItemRow> UpdateItem(const ItemKey& key,
                                     const std::function<absl::Status(ItemRow&)>& mutate) override;
  absl::Status DeleteItem(const ItemKey& key,
                          const std::function<absl::Status(const ItemRow&)>& check) override;

  absl::StatusOr<goldenthread::v1::MeasureValue> CreateMeasureValue(
      const ItemKey& measure, const goldenthread::v1::MeasureValue& value,
      const RequestKey* request,
      const std::function<absl::Status(const goldenthread::v1::Plan&)>& check) override;
  absl::StatusOr<std::vector<ValueRow>> ListMeasureValues(const ValueQuery& query,
                                                          const std::optional<ValueCursor>& after,
                                                          int limit) override;
  absl::Status DeleteMeasureValue(const ItemKey& measure, const std::string& date,
                                  const std::string& recorded_by) override;

  absl::StatusOr<goldenthread::v1::PlanTree> GetPlanTree(const PlanKey& key) override;
  absl::StatusOr<goldenthread::v1::PlanTree> ImportPlan(const PlanKey& key,
                                                        const goldenthread::v1::PlanTree& tree,
                                                        bool replace, bool keep_missing,
                                                        const RequestKey* request) override;

  absl::StatusOr<goldenthread::v1::Directorate> CreateDirectorate(
      const DirectorateKey& key, const goldenthread::v1::Directorate& directorate,
      const RequestKey* request) override;
  absl::StatusOr<goldenthread::v1::Directorate> GetDirectorate(const DirectorateKey& key) override;
  absl::StatusOr<std::vector<goldenthread::v1::Directorate>> ListDirectorates(
      const std::string& organisation, const std::string& after, int limit) override;
  absl::StatusOr<goldenthread::v1::Directorate> UpdateDirectorate(
      const DirectorateKey& key,
      const std::function<absl::Status(goldenthread::v1::Directorate&)>& mutate) override;
  absl::Status DeleteDirectorate(
      const DirectorateKey& key,
      const std::function<absl::Status(const goldenthread::v1::Directorate&)>& check) override;

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
// Binds the 24 insert columns of plan_items starting at `first`.
void BindItemInsert(sql::PreparedStatement& st, int first, const PlanKey& plan, const ItemRow& row);
extern const char* const kItemInsertColumns;
constexpr int kItemInsertColumnCount = 24;
// SELECT ... FOR UPDATE of the organisation's id counter; reserves n ids and
// returns the first. NOT_FOUND when the organisation does not exist.
absl::StatusOr<int64_t> AllocateIds(Session& conn, const std::string& organisation, int n);
absl::StatusOr<goldenthread::v1::Plan> LoadPlan(Session& conn, const PlanKey& key, bool for_update);
absl::StatusOr<goldenthread::v1::PlanTree> LoadTree(Session& conn, const PlanKey& key);
void InsertPlan(Session& conn, const PlanKey& key, const goldenthread::v1::Plan& plan);
// NOT_FOUND unless an item of key.kind.
absl::StatusOr<ItemRow> LoadItem(Session& conn, const ItemKey& key, bool for_update);
absl::Status DuplicateCode(const PlanKey& plan, const ItemRow& row);
// The tables holding an item's rows besides plan_items (a measure's value
// history and targets), cleared when the item goes.
extern const char* const kItemDependentTables[2];
// Measures' targets (mysql_measure_values.cc), by measure id, in their
// order; `ids` empty: every measure of the plan.
std::map<int64_t, std::vector<goldenthread::v1::MeasureTarget>> LoadTargets(
    Session& conn, const PlanKey& plan, const std::vector<int64_t>& ids);
// Replaces a measure's targets as a whole (`replace` false: the measure is
// new and has none to delete).
void WriteTargets(Session& conn, const PlanKey& plan, int64_t measure_id,
                  const std::vector<goldenthread::v1::MeasureTarget>& targets, bool replace);

// A create under an organisation, in one transaction: a repeat of `request`
// (may be null) answers the first response and writes nothing; NOT_FOUND
// when the organisation does not exist; otherwise `write(c, out)` writes and
// fills `out`, which is recorded as the request's answer.
template <typename Msg>
absl::StatusOr<Msg> CreateInOrganisation(ConnectionPool& pool, absl::Time deadline,
                                         absl::string_view operation,
                                         const std::string& organisation, const RequestKey* request,
                                         const std::function<absl::Status(Session&, Msg&)>& write) {
  Msg out;
  absl::Status status = RunTransaction(pool, deadline, operation, [&](Session& c) {
    if (request != nullptr) {
      absl::StatusOr<std::optional<std::string>> previous = ClaimRequest(c, *request);
      if (!previous.ok()) {
        return previous.status();
      }
      if (previous->has_value()) {
        out.ParseFromString(**previous);
        return absl::OkStatus();
      }
    }
    sql::PreparedStatement* org = c.Prepare("SELECT 1 FROM organisations WHERE org_id = ?");
    org->setString(1, organisation);
    if (!std::unique_ptr<sql::ResultSet>(org->executeQuery())->next()) {
      return NotFound("organisation", OrganisationName(organisation));
    }
    absl::Status written = write(c, out);
    if (written.ok() && request != nullptr) {
      RecordResponse(c, *request, out);
    }
    return written;
  });
  if (!status.ok()) {
    return status;
  }
  return out;
}

// An organisation's rows after `after` in key order: `query` takes
// (organisation, after, limit); `read(organisation, row)` makes each one.
template <typename T>
absl::StatusOr<std::vector<T>> ListAfter(ConnectionPool& pool, absl::Time deadline,
                                         absl::string_view operation, const std::string& query,
                                         const std::string& organisation, const std::string& after,
                                         int limit,
                                         T (*read)(const std::string&, sql::ResultSet&)) {
  std::vector<T> out;
  absl::Status status = RunSql(pool, deadline, operation, [&](Session& c) {
    sql::PreparedStatement* st = c.Prepare(query);  // owned by the session's cache
    st->setString(1, organisation);
    st->setString(2, after);
    st->setInt(3, limit);
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery());
    while (rs->next()) {
      out.push_back(read(organisation, *rs));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  return out;
}
}  // namespace sqlrows

}  // namespace gt::plan
