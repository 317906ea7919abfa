#include "plan_model.h"

#include "absl/strings/str_cat.h"
#include "gt/names.h"
#include "gt/paging.h"
#include "gt/status.h"

namespace gt::plan {

absl::string_view Collection(ItemKind kind) {
  switch (kind) {
    case ItemKind::kPriority:
      return "priorities";
    case ItemKind::kOutcome:
      return "outcomes";
    case ItemKind::kActivity:
      return "activities";
    case ItemKind::kMeasure:
      return "measures";
    default:
      return "plans";
  }
}

absl::string_view KindNoun(ItemKind kind) {
  switch (kind) {
    case ItemKind::kPriority:
      return "priority";
    case ItemKind::kOutcome:
      return "outcome";
    case ItemKind::kActivity:
      return "activity";
    case ItemKind::kMeasure:
      return "measure";
    default:
      return "plan";
  }
}

std::string OrganisationName(absl::string_view organisation) {
  return absl::StrCat("organisations/", organisation);
}

std::string DirectorateName(const DirectorateKey& key) {
  return absl::StrCat("organisations/", key.organisation, "/directorates/", key.id);
}

std::string PlanName(const PlanKey& key) {
  return absl::StrCat("organisations/", key.organisation, "/plans/", key.plan);
}

std::string ItemName(const PlanKey& plan, ItemKind kind, int64_t id) {
  if (kind == ItemKind::kPlan) {
    return PlanName(plan);
  }
  return absl::StrCat(PlanName(plan), "/", Collection(kind), "/", id);
}

absl::StatusOr<std::string> ParseOrganisationName(absl::string_view field, absl::string_view name) {
  auto vars = MatchName(field, name, "organisations/{organisation}");
  if (!vars.ok()) {
    return vars.status();
  }
  return (*vars)[0];
}

absl::StatusOr<PlanKey> ParsePlanName(absl::string_view field, absl::string_view name) {
  auto vars = MatchName(field, name, "organisations/{organisation}/plans/{plan}");
  if (!vars.ok()) {
    return vars.status();
  }
  return PlanKey{(*vars)[0], (*vars)[1]};
}

absl::StatusOr<DirectorateKey> ParseDirectorateName(absl::string_view field,
                                                    absl::string_view name) {
  auto vars = MatchName(field, name, "organisations/{organisation}/directorates/{directorate}");
  if (!vars.ok()) {
    return vars.status();
  }
  return DirectorateKey{(*vars)[0], (*vars)[1]};
}

absl::StatusOr<ItemKey> ParseItemName(absl::string_view field, absl::string_view name,
                                      ItemKind kind) {
  std::string pattern = absl::StrCat("organisations/{organisation}/plans/{plan}/", Collection(kind),
                                     "/{", KindNoun(kind), "}");
  auto vars = MatchName(field, name, pattern);
  if (!vars.ok()) {
    return vars.status();
  }
  auto id = ParseNumericId(field, (*vars)[2]);
  if (!id.ok()) {
    return id.status();
  }
  return ItemKey{PlanKey{(*vars)[0], (*vars)[1]}, kind, *id};
}

absl::StatusOr<ItemKey> ParseParentName(absl::string_view field, absl::string_view name,
                                        const std::vector<ItemKind>& kinds) {
  std::string expected;
  for (ItemKind kind : kinds) {
    if (kind == ItemKind::kPlan) {
      auto plan = ParsePlanName(field, name);
      if (plan.ok()) {
        return ItemKey{*plan, ItemKind::kPlan, 0};
      }
    } else {
      auto item = ParseItemName(field, name, kind);
      if (item.ok()) {
        return item;
      }
    }
    absl::StrAppend(&expected, expected.empty() ? "" : " or ", KindNoun(kind));
  }
  return InvalidField(
      field, absl::StrCat("must be the name of a ", expected, ", got '", name.substr(0, 200), "'"));
}

namespace {

std::string ParentNameOf(const PlanKey& plan, const ItemRow& row) {
  return ItemName(plan, row.parent_kind, row.parent_id);
}

template <typename Message>
void FillCommon(const PlanKey& plan, const ItemRow& row, Message& m) {
  m.set_name(ItemName(plan, row.kind, row.id));
  m.set_parent(ParentNameOf(plan, row));
  m.set_code(row.code);
  m.set_title(row.title);
  m.set_position(row.position);
  m.set_etag(MakeEtag(m.name(), row.version));
}

template <typename Message>
ItemRow CommonRow(ItemKind kind, const Message& m) {
  ItemRow row;
  row.kind = kind;
  row.code = m.code();
  row.title = m.title();
  row.position = m.position();
  return row;
}

}  // namespace

goldenthread::v1::Priority ToPriority(const PlanKey& plan, const ItemRow& row) {
  goldenthread::v1::Priority p;
  FillCommon(plan, row, p);
  return p;
}

goldenthread::v1::Outcome ToOutcome(const PlanKey& plan, const ItemRow& row) {
  goldenthread::v1::Outcome o;
  FillCommon(plan, row, o);
  return o;
}

goldenthread::v1::Activity ToActivity(const PlanKey& plan, const ItemRow& row) {
  goldenthread::v1::Activity a;
  FillCommon(plan, row, a);
  a.set_lead_member(row.lead_member);
  a.set_lead_officer(row.lead_officer);
  a.set_directorate(row.directorate);
  a.set_deadline(row.deadline);
  a.set_reported_status(static_cast<goldenthread::v1::MilestoneStatus>(row.reported_status));
  if (row.reported_percent.has_value()) {
    a.set_reported_percent_complete(*row.reported_percent);
  }
  a.set_reported_comment(row.reported_comment);
  return a;
}

goldenthread::v1::Measure ToMeasure(const PlanKey& plan, const ItemRow& row) {
  goldenthread::v1::Measure m;
  FillCommon(plan, row, m);
  m.set_unit(row.unit);
  m.set_direction(static_cast<goldenthread::v1::MeasureDirection>(row.direction));
  if (row.baseline.has_value()) {
    m.set_baseline(*row.baseline);
  }
  if (row.target.has_value()) {
    m.set_target(*row.target);
  }
  m.set_target_text(row.target_text);
  if (row.amber_within_percent.has_value()) {
    m.set_amber_within_percent(*row.amber_within_percent);
  }
  if (row.amber_within_units.has_value()) {
    m.set_amber_within_units(*row.amber_within_units);
  }
  for (const auto& target : row.targets) {
    *m.add_targets() = target;
  }
  return m;
}

ItemRow FromPriority(const goldenthread::v1::Priority& p) {
  return CommonRow(ItemKind::kPriority, p);
}

ItemRow FromOutcome(const goldenthread::v1::Outcome& o) { return CommonRow(ItemKind::kOutcome, o); }

ItemRow FromActivity(const goldenthread::v1::Activity& a) {
  ItemRow row = CommonRow(ItemKind::kActivity, a);
  row.lead_member = a.lead_member();
  row.lead_officer = a.lead_officer();
  row.directorate = a.directorate();
  row.deadline = a.deadline();
  row.reported_status = a.reported_status();
  if (a.has_reported_percent_complete()) {
    row.reported_percent = a.reported_percent_complete();
  }
  row.reported_comment = a.reported_comment();
  return row;
}

ItemRow FromMeasure(const goldenthread::v1::Measure& m) {
  ItemRow row = CommonRow(ItemKind::kMeasure, m);
  row.unit = m.unit();
  row.direction = m.direction();
  if (m.has_baseline()) {
    row.baseline = m.baseline();
  }
  if (m.has_target()) {
    row.target = m.target();
  }
  row.target_text = m.target_text();
  if (m.has_amber_within_percent()) {
    row.amber_within_percent = m.amber_within_percent();
  }
  if (m.has_amber_within_units()) {
    row.amber_within_units = m.amber_within_units();
  }
  row.targets.assign(m.targets().begin(), m.targets().end());
  return row;
}

}  // namespace gt::plan
