#include "plan_validation.h"

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gt/dates.h"
#include "gt/directorates.h"
#include "gt/status.h"
#include "gt/update_mask.h"
#include "gt/validation.h"

namespace gt::plan {
namespace {

using goldenthread::v1::Plan;
using goldenthread::v1::PlanTree;

constexpr size_t kMaxPlanTitle = 300;
constexpr size_t kMaxItemTitle = 2000;
constexpr size_t kMaxCode = 100;
constexpr size_t kMaxLead = 500;
constexpr size_t kMaxDirectorate = 100;
constexpr size_t kMaxComment = 100000;
constexpr size_t kMaxDescription = 20000;
constexpr size_t kMaxDirectorateCode = 32;
constexpr size_t kMaxAlias = 100;
constexpr int kMaxAliases = 50;
constexpr size_t kMaxTargets = 100;
constexpr size_t kMaxTargetText = 500;  // as a measure's own target_text
constexpr size_t kMaxTargetLabel = 100;

// '/' joins the parts of a joint lead, so no one spelling may hold it.
absl::Status NoSlash(absl::string_view field, absl::string_view value) {
  if (value.find('/') != absl::string_view::npos) {
    return InvalidField(field, absl::StrCat("must not contain '/' (it joins the directorates of a "
                                            "joint lead, which are normalised one by one), got '",
                                            value, "'"));
  }
  return absl::OkStatus();
}

// Tolerance and period targets of a measure (issue 19); empty on every
// other kind of item.
absl::Status ValidateMeasureTargets(absl::string_view field, const ItemRow& row) {
  for (const auto& [name, value] : {std::pair{"amber_within_percent", row.amber_within_percent},
                                    {"amber_within_units", row.amber_within_units}}) {
    if (value.has_value() && (!std::isfinite(*value) || *value < 0)) {
      return InvalidField(FieldPath(field, name),
                          absl::StrCat("must be a finite number, 0 or more, got ", *value));
    }
  }
  if (row.amber_within_percent.has_value() && row.amber_within_units.has_value()) {
    return InvalidField(FieldPath(field, "amber_within_units"),
                        "must not be set together with amber_within_percent: a measure's "
                        "tolerance is a percentage or a number of units, not both");
  }
  if (row.targets.size() > kMaxTargets) {
    return InvalidField(
        FieldPath(field, "targets"),
        absl::StrCat("a measure has at most ", kMaxTargets, " targets, got ", row.targets.size()));
  }
  for (size_t i = 0; i < row.targets.size(); ++i) {
    const goldenthread::v1::MeasureTarget& target = row.targets[i];
    const std::string path = absl::StrCat(FieldPath(field, "targets"), "[", i, "]");
    absl::CivilDay from;
    absl::CivilDay to;
    for (const auto& [name, text, day] : {std::tuple{"from_date", &target.from_date(), &from},
                                          {"to_date", &target.to_date(), &to}}) {
      if (text->empty()) {
        return InvalidField(FieldPath(path, name), "must not be empty");
      }
      GT_ASSIGN_OR_RETURN(*day, ParseDate(FieldPath(path, name), *text));
    }
    if (to < from) {
      return InvalidField(FieldPath(path, "to_date"),
                          absl::StrCat("must not be before from_date (", target.from_date(),
                                       "), got ", target.to_date()));
    }
    if (target.has_value() == !target.text().empty()) {
      return InvalidField(FieldPath(path, "value"),
                          absl::StrCat("exactly one of value and text must be set, got ",
                                       target.has_value() ? "both" : "neither"));
    }
    if (target.has_value() && !std::isfinite(target.value())) {
      return InvalidField(FieldPath(path, "value"), "must be a finite number");
    }
    GT_RETURN_IF_ERROR(MaxText(path, "text", target.text(), kMaxTargetText));
    GT_RETURN_IF_ERROR(MaxText(path, "label", target.label(), kMaxTargetLabel));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateOrganisation(absl::string_view field,
                                  const goldenthread::v1::Organisation& organisation) {
  return RequiredText(field, "display_name", organisation.display_name(), kMaxPlanTitle);
}

absl::Status ValidateDirectorate(absl::string_view field,
                                 const goldenthread::v1::Directorate& directorate) {
  GT_RETURN_IF_ERROR(RequiredText(field, "code", directorate.code(), kMaxDirectorateCode));
  GT_RETURN_IF_ERROR(KeyText(field, "code", directorate.code()));
  GT_RETURN_IF_ERROR(NoSlash(FieldPath(field, "code"), directorate.code()));
  GT_RETURN_IF_ERROR(
      RequiredText(field, "display_name", directorate.display_name(), kMaxPlanTitle));
  if (directorate.aliases_size() > kMaxAliases) {
    return InvalidField(FieldPath(field, "aliases"),
                        absl::StrCat("must hold at most ", kMaxAliases, " spellings, got ",
                                     directorate.aliases_size()));
  }
  // Spelling match key -> where it was first given.
  std::map<std::string, std::string> seen = {{DirectorateMatchKey(directorate.code()), "code"}};
  for (int i = 0; i < directorate.aliases_size(); ++i) {
    const std::string& alias = directorate.aliases(i);
    const std::string name = absl::StrCat("aliases[", i, "]");
    GT_RETURN_IF_ERROR(RequiredText(field, name, alias, kMaxAlias));
    GT_RETURN_IF_ERROR(KeyText(field, name, alias));
    GT_RETURN_IF_ERROR(NoSlash(FieldPath(field, name), alias));
    auto [it, added] = seen.emplace(DirectorateMatchKey(alias), name);
    if (!added) {
      return InvalidField(FieldPath(field, name),
                          absl::StrCat("'", alias, "' is the same spelling as ", it->second,
                                       " when case and spaces around '&' are ignored"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePlan(absl::string_view field, const Plan& plan) {
  GT_RETURN_IF_ERROR(RequiredText(field, "title", plan.title(), kMaxPlanTitle));
  GT_RETURN_IF_ERROR(MaxText(field, "description", plan.description(), kMaxDescription));
  GT_RETURN_IF_ERROR(MaxText(field, "source", plan.source(), 1000));
  if (plan.period_start().empty()) {
    return InvalidField(FieldPath(field, "period_start"), "must not be empty");
  }
  if (plan.period_end().empty()) {
    return InvalidField(FieldPath(field, "period_end"), "must not be empty");
  }
  auto start = ParseDate(FieldPath(field, "period_start"), plan.period_start());
  GT_RETURN_IF_ERROR(start.status());
  auto end = ParseDate(FieldPath(field, "period_end"), plan.period_end());
  GT_RETURN_IF_ERROR(end.status());
  if (*end < *start) {
    return InvalidField(FieldPath(field, "period_end"),
                        absl::StrCat("must not be before period_start (", plan.period_start(),
                                     "), got ", plan.period_end()));
  }
  return KnownEnum(field, "state", plan.state(), goldenthread::v1::PlanState_descriptor());
}

absl::Status ValidateItem(absl::string_view field, const ItemRow& row) {
  if (row.kind == ItemKind::kMeasure) {
    GT_RETURN_IF_ERROR(MaxText(field, "code", row.code, kMaxCode));
  } else {
    GT_RETURN_IF_ERROR(RequiredText(field, "code", row.code, kMaxCode));
  }
  // A code is a key among its siblings: one spelling of it.
  GT_RETURN_IF_ERROR(KeyText(field, "code", row.code));
  GT_RETURN_IF_ERROR(RequiredText(field, "title", row.title, kMaxItemTitle));
  if (row.position < 0) {
    return InvalidField(FieldPath(field, "position"),
                        absl::StrCat("must not be negative, got ", row.position));
  }
  GT_RETURN_IF_ERROR(MaxText(field, "lead_member", row.lead_member, kMaxLead));
  GT_RETURN_IF_ERROR(MaxText(field, "lead_officer", row.lead_officer, kMaxLead));
  GT_RETURN_IF_ERROR(MaxText(field, "directorate", row.directorate, kMaxDirectorate));
  GT_RETURN_IF_ERROR(ValidateOptionalDate(FieldPath(field, "deadline"), row.deadline));
  GT_RETURN_IF_ERROR(KnownEnum(field, "reported_status", row.reported_status,
                               goldenthread::v1::MilestoneStatus_descriptor()));
  if (row.reported_percent.has_value() &&
      (*row.reported_percent < 0 || *row.reported_percent > 100)) {
    return InvalidField(FieldPath(field, "reported_percent_complete"),
                        absl::StrCat("must be 0..100, got ", *row.reported_percent));
  }
  GT_RETURN_IF_ERROR(MaxText(field, "reported_comment", row.reported_comment, kMaxComment));
  GT_RETURN_IF_ERROR(MaxText(field, "unit", row.unit, 50));
  GT_RETURN_IF_ERROR(MaxText(field, "target_text", row.target_text, kMaxTargetText));
  GT_RETURN_IF_ERROR(KnownEnum(field, "direction", row.direction,
                               goldenthread::v1::MeasureDirection_descriptor()));
  for (const auto& [name, value] : {std::pair{"baseline", row.baseline}, {"target", row.target}}) {
    if (value.has_value() && !std::isfinite(*value)) {
      return InvalidField(FieldPath(field, name), "must be a finite number");
    }
  }
  return ValidateMeasureTargets(field, row);
}

namespace {

// Codes must be unique among siblings of one kind.
class SiblingCodes {
 public:
  explicit SiblingCodes(std::string noun) : noun_(std::move(noun)) {}
  absl::Status Add(const std::string& path, const std::string& code) {
    if (code.empty()) {
      return absl::OkStatus();
    }
    auto [it, inserted] = seen_.emplace(code, path);
    if (!inserted) {
      return InvalidField(absl::StrCat(path, ".code"),
                          absl::StrCat("duplicates ", it->second, ".code ('", code,
                                       "'): codes must be unique under the same parent"));
    }
    return absl::OkStatus();
  }

 private:
  std::string noun_;
  std::map<std::string, std::string> seen_;
};

template <typename Measures>
absl::Status ValidateMeasures(const std::string& prefix, const Measures& measures) {
  SiblingCodes codes("measure");
  for (int m = 0; m < measures.size(); ++m) {
    std::string path = absl::StrCat(prefix, ".measures[", m, "]");
    GT_RETURN_IF_ERROR(ValidateItem(path, FromMeasure(measures[m])));
    GT_RETURN_IF_ERROR(codes.Add(path, measures[m].code()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTree(absl::string_view field, const PlanTree& tree) {
  GT_RETURN_IF_ERROR(ValidatePlan(FieldPath(field, "plan"), tree.plan()));
  SiblingCodes priority_codes("priority");
  for (int p = 0; p < tree.priorities_size(); ++p) {
    const auto& priority = tree.priorities(p);
    std::string p_path = absl::StrCat(FieldPath(field, "priorities"), "[", p, "]");
    GT_RETURN_IF_ERROR(ValidateItem(p_path, FromPriority(priority)));
    GT_RETURN_IF_ERROR(priority_codes.Add(p_path, priority.code()));
    GT_RETURN_IF_ERROR(ValidateMeasures(p_path, priority.measures()));
    SiblingCodes outcome_codes("outcome");
    for (int o = 0; o < priority.outcomes_size(); ++o) {
      const auto& outcome = priority.outcomes(o);
      std::string o_path = absl::StrCat(p_path, ".outcomes[", o, "]");
      GT_RETURN_IF_ERROR(ValidateItem(o_path, FromOutcome(outcome)));
      GT_RETURN_IF_ERROR(outcome_codes.Add(o_path, outcome.code()));
      GT_RETURN_IF_ERROR(ValidateMeasures(o_path, outcome.measures()));
      SiblingCodes activity_codes("activity");
      for (int a = 0; a < outcome.activities_size(); ++a) {
        std::string a_path = absl::StrCat(o_path, ".activities[", a, "]");
        GT_RETURN_IF_ERROR(ValidateItem(a_path, FromActivity(outcome.activities(a))));
        GT_RETURN_IF_ERROR(activity_codes.Add(a_path, outcome.activities(a).code()));
      }
    }
  }
  return absl::OkStatus();
}

namespace {

template <typename T>
using Setter = std::function<void(const T& from, T& to)>;

// Applies the fields gt::ResolveUpdateMask chose (AIP-134) from `update` to
// `current`; `message` is the request's resource, which says what is
// populated when the mask is omitted.
template <typename T>
absl::Status ApplyMask(const google::protobuf::FieldMask& mask,
                       const std::vector<std::pair<std::string, Setter<T>>>& fields,
                       absl::string_view resource, const google::protobuf::Message& message,
                       const T& update, T& current) {
  UpdateMaskRules rules{resource, {}};
  for (const auto& field : fields) {
    rules.updatable.push_back(field.first);
  }
  GT_ASSIGN_OR_RETURN(std::vector<std::string> paths, ResolveUpdateMask(mask, message, rules));
  for (const std::string& path : paths) {
    for (const auto& field : fields) {
      if (field.first == path) {
        field.second(update, current);
      }
    }
  }
  return absl::OkStatus();
}

#define GT_FIELD(Type, name, expr)                 \
  {                                                \
    name, [](const Type& from, Type& to) { expr; } \
  }

}  // namespace

absl::Status ApplyPlanMask(const google::protobuf::FieldMask& mask, const Plan& update,
                           Plan& current) {
  static const std::vector<std::pair<std::string, Setter<Plan>>> kFields = {
      GT_FIELD(Plan, "title", to.set_title(from.title())),
      GT_FIELD(Plan, "description", to.set_description(from.description())),
      GT_FIELD(Plan, "period_start", to.set_period_start(from.period_start())),
      GT_FIELD(Plan, "period_end", to.set_period_end(from.period_end())),
      GT_FIELD(Plan, "state", to.set_state(from.state())),
      GT_FIELD(Plan, "source", to.set_source(from.source())),
  };
  return ApplyMask(mask, kFields, "Plan", update, update, current);
}

absl::Status ApplyDirectorateMask(const google::protobuf::FieldMask& mask,
                                  const goldenthread::v1::Directorate& update,
                                  goldenthread::v1::Directorate& current) {
  using goldenthread::v1::Directorate;
  static const std::vector<std::pair<std::string, Setter<Directorate>>> kFields = {
      GT_FIELD(Directorate, "code", to.set_code(from.code())),
      GT_FIELD(Directorate, "display_name", to.set_display_name(from.display_name())),
      GT_FIELD(Directorate, "aliases", *to.mutable_aliases() = from.aliases()),
  };
  return ApplyMask(mask, kFields, "Directorate", update, update, current);
}

absl::Status ApplyItemMask(const google::protobuf::FieldMask& mask,
                           const google::protobuf::Message& message, const ItemRow& update,
                           ItemRow& current) {
  using F = std::vector<std::pair<std::string, Setter<ItemRow>>>;
  static const F kCommon = {
      GT_FIELD(ItemRow, "code", to.code = from.code),
      GT_FIELD(ItemRow, "title", to.title = from.title),
      GT_FIELD(ItemRow, "position", to.position = from.position),
  };
  static const F kActivity = [] {
    F f = kCommon;
    f.insert(f.end(),
             {
                 GT_FIELD(ItemRow, "lead_member", to.lead_member = from.lead_member),
                 GT_FIELD(ItemRow, "lead_officer", to.lead_officer = from.lead_officer),
                 GT_FIELD(ItemRow, "directorate", to.directorate = from.directorate),
                 GT_FIELD(ItemRow, "deadline", to.deadline = from.deadline),
                 GT_FIELD(ItemRow, "reported_status", to.reported_status = from.reported_status),
                 GT_FIELD(ItemRow, "reported_percent_complete",
                          to.reported_percent = from.reported_percent),
                 GT_FIELD(ItemRow, "reported_comment", to.reported_comment = from.reported_comment),
             });
    return f;
  }();
  static const F kMeasure = [] {
    F f = kCommon;
    f.insert(f.end(), {
                          GT_FIELD(ItemRow, "unit", to.unit = from.unit),
                          GT_FIELD(ItemRow, "direction", to.direction = from.direction),
                          GT_FIELD(ItemRow, "baseline", to.baseline = from.baseline),
                          GT_FIELD(ItemRow, "target", to.target = from.target),
                          GT_FIELD(ItemRow, "target_text", to.target_text = from.target_text),
                          GT_FIELD(ItemRow, "amber_within_percent",
                                   to.amber_within_percent = from.amber_within_percent),
                          GT_FIELD(ItemRow, "amber_within_units",
                                   to.amber_within_units = from.amber_within_units),
                          GT_FIELD(ItemRow, "targets", to.targets = from.targets),
                      });
    return f;
  }();
  const F& fields = current.kind == ItemKind::kActivity  ? kActivity
                    : current.kind == ItemKind::kMeasure ? kMeasure
                                                         : kCommon;
  std::string resource(KindNoun(current.kind));
  resource[0] = static_cast<char>(resource[0] - 'a' + 'A');
  return ApplyMask(mask, fields, resource, message, update, current);
}

}  // namespace gt::plan
