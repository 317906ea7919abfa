#include "plan_grpc.h"

#include "gt/edge.h"
#include "gt/grpc_status.h"

namespace gt::plan {

namespace v1 = goldenthread::v1;

namespace {

grpc::Status Empty(const absl::Status& status) { return ToGrpcStatus(status); }

}  // namespace

#define GT_DIRECT(Method, Request, Response)                                                     \
  grpc::Status PlanGrpcService::Method(grpc::ServerContext* context, const v1::Request* request, \
                                       v1::Response* response) {                                 \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Respond(manager_.Method(CallerFrom(*context), *request), response);                   \
  }

GT_DIRECT(CreateOrganisation, CreateOrganisationRequest, Organisation)
GT_DIRECT(GetOrganisation, GetOrganisationRequest, Organisation)
GT_DIRECT(ListOrganisations, ListOrganisationsRequest, ListOrganisationsResponse)
GT_DIRECT(CreatePlan, CreatePlanRequest, Plan)
GT_DIRECT(GetPlan, GetPlanRequest, Plan)
GT_DIRECT(ListPlans, ListPlansRequest, ListPlansResponse)
GT_DIRECT(UpdatePlan, UpdatePlanRequest, Plan)
GT_DIRECT(CreateMeasureValue, CreateMeasureValueRequest, MeasureValue)
GT_DIRECT(ListMeasureValues, ListMeasureValuesRequest, ListMeasureValuesResponse)
GT_DIRECT(GetPlanTree, GetPlanTreeRequest, PlanTree)
GT_DIRECT(ImportPlan, ImportPlanRequest, PlanTree)
GT_DIRECT(CreateDirectorate, CreateDirectorateRequest, Directorate)
GT_DIRECT(GetDirectorate, GetDirectorateRequest, Directorate)
GT_DIRECT(ListDirectorates, ListDirectoratesRequest, ListDirectoratesResponse)
GT_DIRECT(UpdateDirectorate, UpdateDirectorateRequest, Directorate)
#undef GT_DIRECT

// Methods answering google.protobuf.Empty.
#define GT_DIRECT_EMPTY(Method, Request)                                                         \
  grpc::Status PlanGrpcService::Method(grpc::ServerContext* context, const v1::Request* request, \
                                       google::protobuf::Empty*) {                               \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Empty(manager_.Method(CallerFrom(*context), *request));                               \
  }

GT_DIRECT_EMPTY(DeletePlan, DeletePlanRequest)
GT_DIRECT_EMPTY(DeleteMeasureValue, DeleteMeasureValueRequest)
GT_DIRECT_EMPTY(DeleteDirectorate, DeleteDirectorateRequest)
#undef GT_DIRECT_EMPTY

// One block per item resource; `field` is the resource's field in requests.
#define GT_ITEM(Kind, Kinds, field, list_field)                                                  \
  grpc::Status PlanGrpcService::Create##Kind(grpc::ServerContext* context,                       \
                                             const v1::Create##Kind##Request* request,           \
                                             v1::Kind* response) {                               \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Respond(manager_.CreateItem(CallerFrom(*context), *request, request->field()),        \
                   response);                                                                    \
  }                                                                                              \
  grpc::Status PlanGrpcService::Get##Kind(                                                       \
      grpc::ServerContext* context, const v1::Get##Kind##Request* request, v1::Kind* response) { \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Respond(manager_.GetItem<v1::Kind>(CallerFrom(*context), request->name()), response); \
  }                                                                                              \
  grpc::Status PlanGrpcService::List##Kinds(grpc::ServerContext* context,                        \
                                            const v1::List##Kinds##Request* request,             \
                                            v1::List##Kinds##Response* response) {               \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    auto page = manager_.ListItems<v1::Kind>(CallerFrom(*context), request->parent(),            \
                                             request->page_size(), request->page_token());       \
    if (!page.ok()) {                                                                            \
      return ToGrpcStatus(page.status());                                                        \
    }                                                                                            \
    for (auto& item : page->first) {                                                             \
      *response->add_##list_field() = std::move(item);                                           \
    }                                                                                            \
    response->set_next_page_token(page->second);                                                 \
    return grpc::Status::OK;                                                                     \
  }                                                                                              \
  grpc::Status PlanGrpcService::Update##Kind(grpc::ServerContext* context,                       \
                                             const v1::Update##Kind##Request* request,           \
                                             v1::Kind* response) {                               \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Respond(manager_.UpdateItem<v1::Kind>(CallerFrom(*context), request->field(),         \
                                                 request->update_mask()),                        \
                   response);                                                                    \
  }                                                                                              \
  grpc::Status PlanGrpcService::Delete##Kind(grpc::ServerContext* context,                       \
                                             const v1::Delete##Kind##Request* request,           \
                                             google::protobuf::Empty*) {                         \
    GT_BEGIN_SYNC_CALL(context, request);                                                        \
    return Empty(                                                                                \
        manager_.DeleteItem<v1::Kind>(CallerFrom(*context), request->name(), request->etag()));  \
  }

GT_ITEM(Priority, Priorities, priority, priorities)
GT_ITEM(Outcome, Outcomes, outcome, outcomes)
GT_ITEM(Activity, Activities, activity, activities)
GT_ITEM(Measure, Measures, measure, measures)
#undef GT_ITEM

}  // namespace gt::plan
