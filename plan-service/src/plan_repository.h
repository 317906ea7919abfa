#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "goldenthread/v1/plan.pb.h"
#include "gt/request_key.h"
#include "plan_model.h"

namespace gt::plan {

// Position in a list of items: (parent, position, id) ascending.
struct ItemCursor {
  int64_t parent_id = -1;
  int32_t position = 0;
  int64_t id = 0;
};

// Where a row of measure value history stands in a listing: its measure in
// document order (the measure's priority, then its outcome — none, -1, for a
// measure of the priority itself, which comes before the priority's
// outcomes, as in a PlanTree read top to bottom — then the measure), then
// the date, then the revision.
struct ValueCursor {
  int32_t priority_position = 0;
  int64_t priority_id = 0;
  int32_t outcome_position = -1;
  int64_t outcome_id = 0;
  int32_t measure_position = 0;
  int64_t measure_id = 0;
  std::string date;  // YYYY-MM-DD
  int32_t revision = 0;
};

// A row of measure value history (name, revision, withdrawn and the two
// times filled in) and its place.
struct ValueRow {
  goldenthread::v1::MeasureValue value;
  ValueCursor cursor;
};

struct ValueQuery {
  PlanKey plan;
  // One measure's values; nullopt: every measure of the plan.
  std::optional<int64_t> measure;
  // Only rows recorded before this time (the values as they stood then).
  std::optional<absl::Time> recorded_before;
  // Every row; otherwise the latest row of each date (of the rows read),
  // left out when it is a withdrawal.
  bool all_revisions = false;
};

// What plan-service needs from storage. Every call is scoped by organisation;
// a row of another organisation is indistinguishable from a missing one.
// Errors are already in the caller's words (NOT_FOUND "plan ... not found",
// ALREADY_EXISTS "...", UNAVAILABLE for a database outage).
class PlanRepository {
 public:
  virtual ~PlanRepository() = default;

  virtual absl::StatusOr<goldenthread::v1::Organisation> CreateOrganisation(
      const std::string& id, const goldenthread::v1::Organisation& organisation) = 0;
  virtual absl::StatusOr<goldenthread::v1::Organisation> GetOrganisation(const std::string& id) = 0;
  // Ordered by id, after `after`; `only` (non-empty) restricts to one.
  virtual absl::StatusOr<std::vector<goldenthread::v1::Organisation>> ListOrganisations(
      const std::string& after, int limit, const std::string& only) = 0;

  // `request` (may be null) makes the create idempotent.
  virtual absl::StatusOr<goldenthread::v1::Plan> CreatePlan(const PlanKey& key,
                                                            const goldenthread::v1::Plan& plan,
                                                            const RequestKey* request) = 0;
  virtual absl::StatusOr<goldenthread::v1::Plan> GetPlan(const PlanKey& key) = 0;
  virtual absl::StatusOr<std::vector<goldenthread::v1::Plan>> ListPlans(
      const std::string& organisation, const std::string& after, int limit) = 0;
  // Reads the plan under a row lock, lets `mutate` change it (and refuse),
  // writes it back with version + 1, all in one transaction.
  virtual absl::StatusOr<goldenthread::v1::Plan> UpdatePlan(
      const PlanKey& key, const std::function<absl::Status(goldenthread::v1::Plan&)>& mutate) = 0;
  // Deletes the plan and its whole tree. `check` sees the current plan first.
  virtual absl::Status DeletePlan(
      const PlanKey& key,
      const std::function<absl::Status(const goldenthread::v1::Plan&)>& check) = 0;

  // row.parent_kind / parent_id name the parent, which must exist in the plan;
  // the row is appended after its siblings. `answered` turns the created row
  // into the call's answer in `answer`; with `request` (may be null) that
  // answer is stored with the write, and a repeat of the request gets it back
  // in `answer` without writing anything. A non-OK `refuse_new` is returned
  // (nothing written) unless the request is such a repeat.
  virtual absl::Status CreateItem(const PlanKey& plan, ItemRow row, const RequestKey* request,
                                  const absl::Status& refuse_new, google::protobuf::Message& answer,
                                  const std::function<void(const ItemRow&)>& answered) = 0;
  virtual absl::StatusOr<ItemRow> GetItem(const ItemKey& key) = 0;
  // Items of `kind` in the plan; with `parent`, only its children.
  virtual absl::StatusOr<std::vector<ItemRow>> ListItems(const PlanKey& plan, ItemKind kind,
                                                         const std::optional<ItemKey>& parent,
                                                         const ItemCursor& after, int limit) = 0;
  virtual absl::StatusOr<ItemRow> UpdateItem(
      const ItemKey& key, const std::function<absl::Status(ItemRow&)>& mutate) = 0;
  // FAILED_PRECONDITION while the item has children.
  virtual absl::Status DeleteItem(const ItemKey& key,
                                  const std::function<absl::Status(const ItemRow&)>& check) = 0;

  // Measure values are append-only history (issue 19). Appends `value` (its
  // date, value, note, provisional, recorded_by) as the date's next
  // revision, recorded now, and answers the row as MeasureValue. In one
  // transaction: a repeat of `request` (may be null) answers the first
  // answer and writes nothing; NOT_FOUND when the measure does not exist;
  // `check` sees the measure's plan and may refuse.
  virtual absl::StatusOr<goldenthread::v1::MeasureValue> CreateMeasureValue(
      const ItemKey& measure, const goldenthread::v1::MeasureValue& value,
      const RequestKey* request,
      const std::function<absl::Status(const goldenthread::v1::Plan&)>& check) = 0;
  // Rows of `query` after `after` (nullopt: from the first), in ValueCursor
  // order. NOT_FOUND when the measure (or the plan) does not exist.
  virtual absl::StatusOr<std::vector<ValueRow>> ListMeasureValues(
      const ValueQuery& query, const std::optional<ValueCursor>& after, int limit) = 0;
  // Appends a withdrawal of the date's current value; NOT_FOUND when the date
  // has none (never recorded, or withdrawn already).
  virtual absl::Status DeleteMeasureValue(const ItemKey& measure, const std::string& date,
                                          const std::string& recorded_by) = 0;

  virtual absl::StatusOr<goldenthread::v1::PlanTree> GetPlanTree(const PlanKey& key) = 0;
  // One transaction. When the plan exists: ALREADY_EXISTS unless `replace`;
  // replacing keeps the ids of nodes whose code path is unchanged (so
  // milestones stay attached), updates them, adds new ones and removes the
  // rest (unless `keep_missing`: then nothing is removed).
  virtual absl::StatusOr<goldenthread::v1::PlanTree> ImportPlan(
      const PlanKey& key, const goldenthread::v1::PlanTree& tree, bool replace, bool keep_missing,
      const RequestKey* request) = 0;

  // The directorate table. Every write claims the directorate's spellings
  // (its code and each alias, by gt::DirectorateMatchKey) for it in the same
  // transaction: a spelling another directorate of the organisation holds is
  // ALREADY_EXISTS naming the field ("directorate.aliases[1]: ..."). The
  // directorate's name, etag and times are filled in on the way out.
  virtual absl::StatusOr<goldenthread::v1::Directorate> CreateDirectorate(
      const DirectorateKey& key, const goldenthread::v1::Directorate& directorate,
      const RequestKey* request) = 0;
  virtual absl::StatusOr<goldenthread::v1::Directorate> GetDirectorate(
      const DirectorateKey& key) = 0;
  // Ordered by id, after `after`.
  virtual absl::StatusOr<std::vector<goldenthread::v1::Directorate>> ListDirectorates(
      const std::string& organisation, const std::string& after, int limit) = 0;
  // Reads under a row lock, lets `mutate` change it (and refuse), writes it
  // back with version + 1.
  virtual absl::StatusOr<goldenthread::v1::Directorate> UpdateDirectorate(
      const DirectorateKey& key,
      const std::function<absl::Status(goldenthread::v1::Directorate&)>& mutate) = 0;
  virtual absl::Status DeleteDirectorate(
      const DirectorateKey& key,
      const std::function<absl::Status(const goldenthread::v1::Directorate&)>& check) = 0;
};

}  // namespace gt::plan
