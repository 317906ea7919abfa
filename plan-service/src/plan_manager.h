#pragma once

#include "absl/status/statusor.h"
#include "goldenthread/v1/plan.pb.h"
#include "gt/caller.h"
#include "plan_repository.h"

namespace gt::plan {

// The rules of plan-service: validation with field paths, organisation
// scoping, paging, etags, update masks, idempotency keys. No gRPC, no SQL.
class PlanManager {
 public:
  explicit PlanManager(PlanRepository& repository) : repository_(repository) {}

  absl::StatusOr<goldenthread::v1::Organisation> CreateOrganisation(
      const Caller& caller, const goldenthread::v1::CreateOrganisationRequest& request);
  absl::StatusOr<goldenthread::v1::Organisation> GetOrganisation(
      const Caller& caller, const goldenthread::v1::GetOrganisationRequest& request);
  absl::StatusOr<goldenthread::v1::ListOrganisationsResponse> ListOrganisations(
      const Caller& caller, const goldenthread::v1::ListOrganisationsRequest& request);

  absl::StatusOr<goldenthread::v1::Plan> CreatePlan(
      const Caller& caller, const goldenthread::v1::CreatePlanRequest& request);
  absl::StatusOr<goldenthread::v1::Plan> GetPlan(const Caller& caller,
                                                 const goldenthread::v1::GetPlanRequest& request);
  absl::StatusOr<goldenthread::v1::ListPlansResponse> ListPlans(
      const Caller& caller, const goldenthread::v1::ListPlansRequest& request);
  absl::StatusOr<goldenthread::v1::Plan> UpdatePlan(
      const Caller& caller, const goldenthread::v1::UpdatePlanRequest& request);
  absl::Status DeletePlan(const Caller& caller, const goldenthread::v1::DeletePlanRequest& request);

  // Priorities, outcomes, activities and measures share one implementation;
  // Msg is the resource message type. CreateItem's Request is the
  // Create<Msg>Request (parent, request_id) and `item` the resource in it.
  template <typename Msg, typename Request>
  absl::StatusOr<Msg> CreateItem(const Caller& caller, const Request& request, const Msg& item);
  template <typename Msg>
  absl::StatusOr<Msg> GetItem(const Caller& caller, const std::string& name);
  template <typename Msg>
  absl::StatusOr<std::pair<std::vector<Msg>, std::string>> ListItems(const Caller& caller,
                                                                     const std::string& parent,
                                                                     int page_size,
                                                                     const std::string& page_token);
  template <typename Msg>
  absl::StatusOr<Msg> UpdateItem(const Caller& caller, const Msg& item,
                                 const google::protobuf::FieldMask& mask);
  template <typename Msg>
  absl::Status DeleteItem(const Caller& caller, const std::string& name, const std::string& etag);

  absl::StatusOr<goldenthread::v1::MeasureValue> CreateMeasureValue(
      const Caller& caller, const goldenthread::v1::CreateMeasureValueRequest& request);
  absl::StatusOr<goldenthread::v1::ListMeasureValuesResponse> ListMeasureValues(
      const Caller& caller, const goldenthread::v1::ListMeasureValuesRequest& request);
  absl::Status DeleteMeasureValue(const Caller& caller,
                                  const goldenthread::v1::DeleteMeasureValueRequest& request);

  absl::StatusOr<goldenthread::v1::PlanTree> GetPlanTree(
      const Caller& caller, const goldenthread::v1::GetPlanTreeRequest& request);
  absl::StatusOr<goldenthread::v1::PlanTree> ImportPlan(
      const Caller& caller, const goldenthread::v1::ImportPlanRequest& request);

  absl::StatusOr<goldenthread::v1::Directorate> CreateDirectorate(
      const Caller& caller, const goldenthread::v1::CreateDirectorateRequest& request);
  absl::StatusOr<goldenthread::v1::Directorate> GetDirectorate(
      const Caller& caller, const goldenthread::v1::GetDirectorateRequest& request);
  absl::StatusOr<goldenthread::v1::ListDirectoratesResponse> ListDirectorates(
      const Caller& caller, const goldenthread::v1::ListDirectoratesRequest& request);
  absl::StatusOr<goldenthread::v1::Directorate> UpdateDirectorate(
      const Caller& caller, const goldenthread::v1::UpdateDirectorateRequest& request);
  absl::Status DeleteDirectorate(const Caller& caller,
                                 const goldenthread::v1::DeleteDirectorateRequest& request);

 private:
  absl::StatusOr<DirectorateKey> ScopedDirectorate(const Caller& caller, absl::string_view field,
                                                   absl::string_view name);
  absl::StatusOr<PlanKey> ScopedPlan(const Caller& caller, absl::string_view field,
                                     absl::string_view name);
  PlanRepository& repository_;
};

}  // namespace gt::plan
