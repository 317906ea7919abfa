#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "goldenthread/v1/plan.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "plan_model.h"

namespace gt::plan {

// Every rule answers INVALID_ARGUMENT "<field path>: <rule>", e.g.
// "tree.priorities[1].outcomes[0].activities[3].code: must not be empty".
absl::Status ValidatePlan(absl::string_view field, const goldenthread::v1::Plan& plan);
absl::Status ValidateItem(absl::string_view field, const ItemRow& row);
absl::Status ValidateOrganisation(absl::string_view field,
                                  const goldenthread::v1::Organisation& organisation);
// Code, display name and aliases; aliases distinct from each other and from
// the code as gt::DirectorateMatchKey compares them.
absl::Status ValidateDirectorate(absl::string_view field,
                                 const goldenthread::v1::Directorate& directorate);
// The whole tree, including codes unique under each parent.
absl::Status ValidateTree(absl::string_view field, const goldenthread::v1::PlanTree& tree);

// AIP-134 (gt::ResolveUpdateMask): copies the fields the mask names onto
// `current` — when the mask is omitted, those populated in the request's
// resource; "*" means every updatable field.
absl::Status ApplyPlanMask(const google::protobuf::FieldMask& mask,
                           const goldenthread::v1::Plan& update, goldenthread::v1::Plan& current);
absl::Status ApplyDirectorateMask(const google::protobuf::FieldMask& mask,
                                  const goldenthread::v1::Directorate& update,
                                  goldenthread::v1::Directorate& current);
// `message` is the request's Priority/Outcome/Activity/Measure, `update` the
// same as a row.
absl::Status ApplyItemMask(const google::protobuf::FieldMask& mask,
                           const google::protobuf::Message& message, const ItemRow& update,
                           ItemRow& current);

}  // namespace gt::plan
