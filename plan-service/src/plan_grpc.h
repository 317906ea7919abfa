#pragma once

#include "goldenthread/v1/plan.grpc.pb.h"
#include "plan_manager.h"

namespace gt::plan {

// The gRPC edge: request -> manager -> response / status. Nothing else.
class PlanGrpcService final : public goldenthread::v1::PlanService::Service {
 public:
  explicit PlanGrpcService(PlanManager& manager) : manager_(manager) {}

  grpc::Status CreateOrganisation(grpc::ServerContext* context,
                                  const goldenthread::v1::CreateOrganisationRequest* request,
                                  goldenthread::v1::Organisation* response) override;
  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const goldenthread::v1::GetOrganisationRequest* request,
                               goldenthread::v1::Organisation* response) override;
  grpc::Status ListOrganisations(grpc::ServerContext* context,
                                 const goldenthread::v1::ListOrganisationsRequest* request,
                                 goldenthread::v1::ListOrganisationsResponse* response) override;

  grpc::Status CreatePlan(grpc::ServerContext* context,
                          const goldenthread::v1::CreatePlanRequest* request,
                          goldenthread::v1::Plan* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context,
                       const goldenthread::v1::GetPlanRequest* request,
                       goldenthread::v1::Plan* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context,
                         const goldenthread::v1::ListPlansRequest* request,
                         goldenthread::v1::ListPlansResponse* response) override;
  grpc::Status UpdatePlan(grpc::ServerContext* context,
                          const goldenthread::v1::UpdatePlanRequest* request,
                          goldenthread::v1::Plan* response) override;
  grpc::Status DeletePlan(grpc::ServerContext* context,
                          const goldenthread::v1::DeletePlanRequest* request,
                          google::protobuf::Empty* response) override;

  grpc::Status CreatePriority(grpc::ServerContext* context,
                              const goldenthread::v1::CreatePriorityRequest* request,
                              goldenthread::v1::Priority* response) override;
  grpc::Status GetPriority(grpc::ServerContext* context,
                           const goldenthread::v1::GetPriorityRequest* request,
                           goldenthread::v1::Priority* response) override;
  grpc::Status ListPriorities(grpc::ServerContext* context,
                              const goldenthread::v1::ListPrioritiesRequest* request,
                              goldenthread::v1::ListPrioritiesResponse* response) override;
  grpc::Status UpdatePriority(grpc::ServerContext* context,
                              const goldenthread::v1::UpdatePriorityRequest* request,
                              goldenthread::v1::Priority* response) override;
  grpc::Status DeletePriority(grpc::ServerContext* context,
                              const goldenthread::v1::DeletePriorityRequest* request,
                              google::protobuf::Empty* response) override;

  grpc::Status CreateOutcome(grpc::ServerContext* context,
                             const goldenthread::v1::CreateOutcomeRequest* request,
                             goldenthread::v1::Outcome* response) override;
  grpc::Status GetOutcome(grpc::ServerContext* context,
                          const goldenthread::v1::GetOutcomeRequest* request,
                          goldenthread::v1::Outcome* response) override;
  grpc::Status ListOutcomes(grpc::ServerContext* context,
                            const goldenthread::v1::ListOutcomesRequest* request,
                            goldenthread::v1::ListOutcomesResponse* response) override;
  grpc::Status UpdateOutcome(grpc::ServerContext* context,
                             const goldenthread::v1::UpdateOutcomeRequest* request,
                             goldenthread::v1::Outcome* response) override;
  grpc::Status DeleteOutcome(grpc::ServerContext* context,
                             const goldenthread::v1::DeleteOutcomeRequest* request,
                             google::protobuf::Empty* response) override;

  grpc::Status CreateActivity(grpc::ServerContext* context,
                              const goldenthread::v1::CreateActivityRequest* request,
                              goldenthread::v1::Activity* response) override;
  grpc::Status GetActivity(grpc::ServerContext* context,
                           const goldenthread::v1::GetActivityRequest* request,
                           goldenthread::v1::Activity* response) override;
  grpc::Status ListActivities(grpc::ServerContext* context,
                              const goldenthread::v1::ListActivitiesRequest* request,
                              goldenthread::v1::ListActivitiesResponse* response) override;
  grpc::Status UpdateActivity(grpc::ServerContext* context,
                              const goldenthread::v1::UpdateActivityRequest* request,
                              goldenthread::v1::Activity* response) override;
  grpc::Status DeleteActivity(grpc::ServerContext* context,
                              const goldenthread::v1::DeleteActivityRequest* request,
                              google::protobuf::Empty* response) override;

  grpc::Status CreateMeasure(grpc::ServerContext* context,
                             const goldenthread::v1::CreateMeasureRequest* request,
                             goldenthread::v1::Measure* response) override;
  grpc::Status GetMeasure(grpc::ServerContext* context,
                          const goldenthread::v1::GetMeasureRequest* request,
                          goldenthread::v1::Measure* response) override;
  grpc::Status ListMeasures(grpc::ServerContext* context,
                            const goldenthread::v1::ListMeasuresRequest* request,
                            goldenthread::v1::ListMeasuresResponse* response) override;
  grpc::Status UpdateMeasure(grpc::ServerContext* context,
                             const goldenthread::v1::UpdateMeasureRequest* request,
                             goldenthread::v1::Measure* response) override;
  grpc::Status DeleteMeasure(grpc::ServerContext* context,
                             const goldenthread::v1::DeleteMeasureRequest* request,
                             google::protobuf::Empty* response) override;

  grpc::Status CreateMeasureValue(grpc::ServerContext* context,
                                  const goldenthread::v1::CreateMeasureValueRequest* request,
                                  goldenthread::v1::MeasureValue* response) override;
  grpc::Status ListMeasureValues(grpc::ServerContext* context,
                                 const goldenthread::v1::ListMeasureValuesRequest* request,
                                 goldenthread::v1::ListMeasureValuesResponse* response) override;
  grpc::Status DeleteMeasureValue(grpc::ServerContext* context,
                                  const goldenthread::v1::DeleteMeasureValueRequest* request,
                                  google::protobuf::Empty* response) override;

  grpc::Status GetPlanTree(grpc::ServerContext* context,
                           const goldenthread::v1::GetPlanTreeRequest* request,
                           goldenthread::v1::PlanTree* response) override;
  grpc::Status ImportPlan(grpc::ServerContext* context,
                          const goldenthread::v1::ImportPlanRequest* request,
                          goldenthread::v1::PlanTree* response) override;

  grpc::Status CreateDirectorate(grpc::ServerContext* context,
                                 const goldenthread::v1::CreateDirectorateRequest* request,
                                 goldenthread::v1::Directorate* response) override;
  grpc::Status GetDirectorate(grpc::ServerContext* context,
                              const goldenthread::v1::GetDirectorateRequest* request,
                              goldenthread::v1::Directorate* response) override;
  grpc::Status ListDirectorates(grpc::ServerContext* context,
                                const goldenthread::v1::ListDirectoratesRequest* request,
                                goldenthread::v1::ListDirectoratesResponse* response) override;
  grpc::Status UpdateDirectorate(grpc::ServerContext* context,
                                 const goldenthread::v1::UpdateDirectorateRequest* request,
                                 goldenthread::v1::Directorate* response) override;
  grpc::Status DeleteDirectorate(grpc::ServerContext* context,
                                 const goldenthread::v1::DeleteDirectorateRequest* request,
                                 google::protobuf::Empty* response) override;

 private:
  PlanManager& manager_;
};

}  // namespace gt::plan
