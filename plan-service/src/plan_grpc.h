#pragma once

#include "goldenthread/v1/plan.grpc.pb.h"
#include "plan_manager.h"

namespace gt::plan {

// The gRPC edge: request -> manager -> response / status. Nothing else.
class PlanGrpcService final : public goldenthread::v1::PlanService::Service {
 public:
  explicit PlanGrpcService(PlanManager& manager) : manager_(manager) {}

#define GT_RPC(Method, Request, Response)                                                     \
  grpc::Status Method(grpc::ServerContext* context, const goldenthread::v1::Request* request, \
                      goldenthread::v1::Response* response) override;
#define GT_EMPTY_RPC(Method, Request)                                                         \
  grpc::Status Method(grpc::ServerContext* context, const goldenthread::v1::Request* request, \
                      google::protobuf::Empty* response) override;
#define GT_ITEM_RPCS(Kind, Kinds)                                  \
  GT_RPC(Create##Kind, Create##Kind##Request, Kind)                \
  GT_RPC(Get##Kind, Get##Kind##Request, Kind)                      \
  GT_RPC(List##Kinds, List##Kinds##Request, List##Kinds##Response) \
  GT_RPC(Update##Kind, Update##Kind##Request, Kind)                \
  GT_EMPTY_RPC(Delete##Kind, Delete##Kind##Request)

  GT_RPC(CreateOrganisation, CreateOrganisationRequest, Organisation)
  GT_RPC(GetOrganisation, GetOrganisationRequest, Organisation)
  GT_RPC(ListOrganisations, ListOrganisationsRequest, ListOrganisationsResponse)
  GT_RPC(CreatePlan, CreatePlanRequest, Plan)
  GT_RPC(GetPlan, GetPlanRequest, Plan)
  GT_RPC(ListPlans, ListPlansRequest, ListPlansResponse)
  GT_RPC(UpdatePlan, UpdatePlanRequest, Plan)
  GT_EMPTY_RPC(DeletePlan, DeletePlanRequest)
  GT_ITEM_RPCS(Priority, Priorities)
  GT_ITEM_RPCS(Outcome, Outcomes)
  GT_ITEM_RPCS(Activity, Activities)
  GT_ITEM_RPCS(Measure, Measures)
  GT_RPC(CreateMeasureValue, CreateMeasureValueRequest, MeasureValue)
  GT_RPC(ListMeasureValues, ListMeasureValuesRequest, ListMeasureValuesResponse)
  GT_EMPTY_RPC(DeleteMeasureValue, DeleteMeasureValueRequest)
  GT_RPC(GetPlanTree, GetPlanTreeRequest, PlanTree)
  GT_RPC(ImportPlan, ImportPlanRequest, PlanTree)
  GT_RPC(CreateDirectorate, CreateDirectorateRequest, Directorate)
  GT_RPC(GetDirectorate, GetDirectorateRequest, Directorate)
  GT_RPC(ListDirectorates, ListDirectoratesRequest, ListDirectoratesResponse)
  GT_RPC(UpdateDirectorate, UpdateDirectorateRequest, Directorate)
  GT_EMPTY_RPC(DeleteDirectorate, DeleteDirectorateRequest)

#undef GT_ITEM_RPCS
#undef GT_EMPTY_RPC
#undef GT_RPC

 private:
  PlanManager& manager_;
};

}  // namespace gt::plan
