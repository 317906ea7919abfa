#include "plan_grpc.h"

#include <string>
#include <utility>
#include <vector>

#include "gt/edge.h"
#include "gt/grpc_status.h"

namespace gt::plan {

namespace v1 = goldenthread::v1;

namespace {

grpc::Status Empty(const absl::Status& status) { return ToGrpcStatus(status); }

// Finishes a List<Kinds> handler from a PlanManager::ListItems page: the
// items into `items` (the response's repeated field), the next page token.
template <typename Msg, typename Response>
grpc::Status RespondPage(absl::StatusOr<std::pair<std::vector<Msg>, std::string>> page,
                         google::protobuf::RepeatedPtrField<Msg>* items, Response* response) {
  if (!page.ok()) {
    return ToGrpcStatus(page.status());
  }
  for (auto& item : page->first) {
    *items->Add() = std::move(item);
  }
  response->set_next_page_token(page->second);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status PlanGrpcService::CreateOrganisation(grpc::ServerContext* context,
                                                 const v1::CreateOrganisationRequest* request,
                                                 v1::Organisation* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateOrganisation(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::GetOrganisation(grpc::ServerContext* context,
                                              const v1::GetOrganisationRequest* request,
                                              v1::Organisation* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetOrganisation(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::ListOrganisations(grpc::ServerContext* context,
                                                const v1::ListOrganisationsRequest* request,
                                                v1::ListOrganisationsResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.ListOrganisations(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::CreatePlan(grpc::ServerContext* context,
                                         const v1::CreatePlanRequest* request, v1::Plan* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreatePlan(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::GetPlan(grpc::ServerContext* context,
                                      const v1::GetPlanRequest* request, v1::Plan* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetPlan(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::ListPlans(grpc::ServerContext* context,
                                        const v1::ListPlansRequest* request,
                                        v1::ListPlansResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.ListPlans(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::UpdatePlan(grpc::ServerContext* context,
                                         const v1::UpdatePlanRequest* request, v1::Plan* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdatePlan(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::DeletePlan(grpc::ServerContext* context,
                                         const v1::DeletePlanRequest* request,
                                         google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request,
                      [&] { return Empty(manager_.DeletePlan(CallerFrom(*context), *request)); });
}

grpc::Status PlanGrpcService::CreatePriority(grpc::ServerContext* context,
                                             const v1::CreatePriorityRequest* request,
                                             v1::Priority* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateItem(CallerFrom(*context), *request, request->priority()),
                   response);
  });
}

grpc::Status PlanGrpcService::GetPriority(grpc::ServerContext* context,
                                          const v1::GetPriorityRequest* request,
                                          v1::Priority* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetItem<v1::Priority>(CallerFrom(*context), request->name()), response);
  });
}

grpc::Status PlanGrpcService::ListPriorities(grpc::ServerContext* context,
                                             const v1::ListPrioritiesRequest* request,
                                             v1::ListPrioritiesResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    auto page = manager_.ListItems<v1::Priority>(CallerFrom(*context), request->parent(),
                                                 request->page_size(), request->page_token());
    return RespondPage(std::move(page), response->mutable_priorities(), response);
  });
}

grpc::Status PlanGrpcService::UpdatePriority(grpc::ServerContext* context,
                                             const v1::UpdatePriorityRequest* request,
                                             v1::Priority* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdateItem<v1::Priority>(CallerFrom(*context), request->priority(),
                                                     request->update_mask()),
                   response);
  });
}

grpc::Status PlanGrpcService::DeletePriority(grpc::ServerContext* context,
                                             const v1::DeletePriorityRequest* request,
                                             google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(
        manager_.DeleteItem<v1::Priority>(CallerFrom(*context), request->name(), request->etag()));
  });
}

grpc::Status PlanGrpcService::CreateOutcome(grpc::ServerContext* context,
                                            const v1::CreateOutcomeRequest* request,
                                            v1::Outcome* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateItem(CallerFrom(*context), *request, request->outcome()),
                   response);
  });
}

grpc::Status PlanGrpcService::GetOutcome(grpc::ServerContext* context,
                                         const v1::GetOutcomeRequest* request,
                                         v1::Outcome* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetItem<v1::Outcome>(CallerFrom(*context), request->name()), response);
  });
}

grpc::Status PlanGrpcService::ListOutcomes(grpc::ServerContext* context,
                                           const v1::ListOutcomesRequest* request,
                                           v1::ListOutcomesResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    auto page = manager_.ListItems<v1::Outcome>(CallerFrom(*context), request->parent(),
                                                request->page_size(), request->page_token());
    return RespondPage(std::move(page), response->mutable_outcomes(), response);
  });
}

grpc::Status PlanGrpcService::UpdateOutcome(grpc::ServerContext* context,
                                            const v1::UpdateOutcomeRequest* request,
                                            v1::Outcome* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdateItem<v1::Outcome>(CallerFrom(*context), request->outcome(),
                                                    request->update_mask()),
                   response);
  });
}

grpc::Status PlanGrpcService::DeleteOutcome(grpc::ServerContext* context,
                                            const v1::DeleteOutcomeRequest* request,
                                            google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(
        manager_.DeleteItem<v1::Outcome>(CallerFrom(*context), request->name(), request->etag()));
  });
}

grpc::Status PlanGrpcService::CreateActivity(grpc::ServerContext* context,
                                             const v1::CreateActivityRequest* request,
                                             v1::Activity* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateItem(CallerFrom(*context), *request, request->activity()),
                   response);
  });
}

grpc::Status PlanGrpcService::GetActivity(grpc::ServerContext* context,
                                          const v1::GetActivityRequest* request,
                                          v1::Activity* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetItem<v1::Activity>(CallerFrom(*context), request->name()), response);
  });
}

grpc::Status PlanGrpcService::ListActivities(grpc::ServerContext* context,
                                             const v1::ListActivitiesRequest* request,
                                             v1::ListActivitiesResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    auto page = manager_.ListItems<v1::Activity>(CallerFrom(*context), request->parent(),
                                                 request->page_size(), request->page_token());
    return RespondPage(std::move(page), response->mutable_activities(), response);
  });
}

grpc::Status PlanGrpcService::UpdateActivity(grpc::ServerContext* context,
                                             const v1::UpdateActivityRequest* request,
                                             v1::Activity* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdateItem<v1::Activity>(CallerFrom(*context), request->activity(),
                                                     request->update_mask()),
                   response);
  });
}

grpc::Status PlanGrpcService::DeleteActivity(grpc::ServerContext* context,
                                             const v1::DeleteActivityRequest* request,
                                             google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(
        manager_.DeleteItem<v1::Activity>(CallerFrom(*context), request->name(), request->etag()));
  });
}

grpc::Status PlanGrpcService::CreateMeasure(grpc::ServerContext* context,
                                            const v1::CreateMeasureRequest* request,
                                            v1::Measure* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateItem(CallerFrom(*context), *request, request->measure()),
                   response);
  });
}

grpc::Status PlanGrpcService::GetMeasure(grpc::ServerContext* context,
                                         const v1::GetMeasureRequest* request,
                                         v1::Measure* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetItem<v1::Measure>(CallerFrom(*context), request->name()), response);
  });
}

grpc::Status PlanGrpcService::ListMeasures(grpc::ServerContext* context,
                                           const v1::ListMeasuresRequest* request,
                                           v1::ListMeasuresResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    auto page = manager_.ListItems<v1::Measure>(CallerFrom(*context), request->parent(),
                                                request->page_size(), request->page_token());
    return RespondPage(std::move(page), response->mutable_measures(), response);
  });
}

grpc::Status PlanGrpcService::UpdateMeasure(grpc::ServerContext* context,
                                            const v1::UpdateMeasureRequest* request,
                                            v1::Measure* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdateItem<v1::Measure>(CallerFrom(*context), request->measure(),
                                                    request->update_mask()),
                   response);
  });
}

grpc::Status PlanGrpcService::DeleteMeasure(grpc::ServerContext* context,
                                            const v1::DeleteMeasureRequest* request,
                                            google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(
        manager_.DeleteItem<v1::Measure>(CallerFrom(*context), request->name(), request->etag()));
  });
}

grpc::Status PlanGrpcService::CreateMeasureValue(grpc::ServerContext* context,
                                                 const v1::CreateMeasureValueRequest* request,
                                                 v1::MeasureValue* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateMeasureValue(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::ListMeasureValues(grpc::ServerContext* context,
                                                const v1::ListMeasureValuesRequest* request,
                                                v1::ListMeasureValuesResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.ListMeasureValues(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::DeleteMeasureValue(grpc::ServerContext* context,
                                                 const v1::DeleteMeasureValueRequest* request,
                                                 google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(manager_.DeleteMeasureValue(CallerFrom(*context), *request));
  });
}

grpc::Status PlanGrpcService::GetPlanTree(grpc::ServerContext* context,
                                          const v1::GetPlanTreeRequest* request,
                                          v1::PlanTree* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetPlanTree(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::ImportPlan(grpc::ServerContext* context,
                                         const v1::ImportPlanRequest* request,
                                         v1::PlanTree* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.ImportPlan(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::CreateDirectorate(grpc::ServerContext* context,
                                                const v1::CreateDirectorateRequest* request,
                                                v1::Directorate* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.CreateDirectorate(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::GetDirectorate(grpc::ServerContext* context,
                                             const v1::GetDirectorateRequest* request,
                                             v1::Directorate* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.GetDirectorate(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::ListDirectorates(grpc::ServerContext* context,
                                               const v1::ListDirectoratesRequest* request,
                                               v1::ListDirectoratesResponse* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.ListDirectorates(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::UpdateDirectorate(grpc::ServerContext* context,
                                                const v1::UpdateDirectorateRequest* request,
                                                v1::Directorate* response) {
  return RunSyncUnary(context, *request, [&] {
    return Respond(manager_.UpdateDirectorate(CallerFrom(*context), *request), response);
  });
}

grpc::Status PlanGrpcService::DeleteDirectorate(grpc::ServerContext* context,
                                                const v1::DeleteDirectorateRequest* request,
                                                google::protobuf::Empty* /*response*/) {
  return RunSyncUnary(context, *request, [&] {
    return Empty(manager_.DeleteDirectorate(CallerFrom(*context), *request));
  });
}

}  // namespace gt::plan
