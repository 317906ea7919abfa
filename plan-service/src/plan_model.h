#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "goldenthread/v1/plan.pb.h"

namespace gt::plan {

// Priorities, outcomes, activities and measures share one table and one row
// type; the proto messages are views of it.
enum class ItemKind : int { kPlan = 0, kPriority = 1, kOutcome = 2, kActivity = 3, kMeasure = 4 };

// "priorities", "outcomes", ... as in resource names.
absl::string_view Collection(ItemKind kind);
// "priority", "outcome", ... as in messages.
absl::string_view KindNoun(ItemKind kind);

struct PlanKey {
  std::string organisation;
  std::string plan;
};

struct ItemKey {
  PlanKey plan;
  ItemKind kind;
  int64_t id;
};

struct ItemRow {
  ItemKind kind = ItemKind::kPriority;
  int64_t id = 0;
  ItemKind parent_kind = ItemKind::kPlan;
  int64_t parent_id = 0;
  std::string code;  // empty -> NULL (measures only)
  std::string title;
  int32_t position = 0;
  std::string lead_member;
  std::string lead_officer;
  std::string directorate;
  std::string deadline;  // YYYY-MM-DD or empty
  int32_t reported_status = 0;
  std::optional<int32_t> reported_percent;
  std::string reported_comment;
  std::string unit;
  int32_t direction = 0;
  std::optional<double> baseline;
  std::optional<double> target;
  std::string target_text;
  // RAG tolerance and period targets (issue 19); measures only.
  std::optional<double> amber_within_percent;
  std::optional<double> amber_within_units;
  std::vector<goldenthread::v1::MeasureTarget> targets;
  int64_t version = 0;
};

// organisations/{organisation}/directorates/{directorate}
struct DirectorateKey {
  std::string organisation;
  std::string id;
};

std::string OrganisationName(absl::string_view organisation);
std::string DirectorateName(const DirectorateKey& key);
std::string PlanName(const PlanKey& key);
std::string ItemName(const PlanKey& plan, ItemKind kind, int64_t id);

absl::StatusOr<std::string> ParseOrganisationName(absl::string_view field, absl::string_view name);
absl::StatusOr<PlanKey> ParsePlanName(absl::string_view field, absl::string_view name);
absl::StatusOr<DirectorateKey> ParseDirectorateName(absl::string_view field,
                                                    absl::string_view name);
// A name of exactly this kind.
absl::StatusOr<ItemKey> ParseItemName(absl::string_view field, absl::string_view name,
                                      ItemKind kind);
// A plan or an item of one of the given kinds (for parents).
absl::StatusOr<ItemKey> ParseParentName(absl::string_view field, absl::string_view name,
                                        const std::vector<ItemKind>& kinds);

// Row -> proto (name, parent and etag filled in) and proto -> row (fields the
// caller may set; ids, parent and version are the caller's business).
goldenthread::v1::Priority ToPriority(const PlanKey& plan, const ItemRow& row);
goldenthread::v1::Outcome ToOutcome(const PlanKey& plan, const ItemRow& row);
goldenthread::v1::Activity ToActivity(const PlanKey& plan, const ItemRow& row);
goldenthread::v1::Measure ToMeasure(const PlanKey& plan, const ItemRow& row);
ItemRow FromPriority(const goldenthread::v1::Priority& p);
ItemRow FromOutcome(const goldenthread::v1::Outcome& o);
ItemRow FromActivity(const goldenthread::v1::Activity& a);
ItemRow FromMeasure(const goldenthread::v1::Measure& m);

}  // namespace gt::plan
