#include "access_policy.h"

#include <google/protobuf/reflection.h>
#include <google/protobuf/unknown_field_set.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"
#include "goldenthread/v1/report.pb.h"
#include "goldenthread/v1/token.pb.h"
#include "gt/status.h"

namespace gt::gateway {
namespace {

namespace pb = google::protobuf;
using goldenthread::v1::ADMIN;
using goldenthread::v1::PLANNER;
using goldenthread::v1::UPDATER;
using goldenthread::v1::VIEWER;

// No token may, through the gateway: operators create organisations on
// plan-service directly; report-service records publications in the cluster.
constexpr Role kNobody = goldenthread::v1::ROLE_UNSPECIFIED;
// The scope column: kWhole methods act on a whole plan or organisation and
// are refused to a token limited to directorates; kAny methods are open to
// any token of the role (reads, and milestone writes, whose directorate
// milestone-service checks milestone by milestone).
constexpr ScopeRule kWhole = ScopeRule::kWholeOnly;
constexpr ScopeRule kAny = ScopeRule::kAnyScope;

struct Rule {
  const char* method;  // "Service/Method" within goldenthread.v1
  Role min_role;
  ScopeRule scope;
};

// The whole table, one line per method, so a review sees every decision.
// VIEWER reads and reports; UPDATER also posts progress and revises
// deadlines; PLANNER also edits plans and milestones; ADMIN also manages
// tokens. Measure values are plan data (PLANNER), not milestone progress.
constexpr Rule kRules[] = {
    {"PlanService/CreateOrganisation", kNobody, kWhole},
    {"PlanService/GetOrganisation", VIEWER, kAny},
    {"PlanService/ListOrganisations", VIEWER, kAny},
    {"PlanService/CreatePlan", PLANNER, kWhole},
    {"PlanService/GetPlan", VIEWER, kAny},
    {"PlanService/ListPlans", VIEWER, kAny},
    {"PlanService/UpdatePlan", PLANNER, kWhole},
    {"PlanService/DeletePlan", PLANNER, kWhole},
    {"PlanService/CreatePriority", PLANNER, kWhole},
    {"PlanService/GetPriority", VIEWER, kAny},
    {"PlanService/ListPriorities", VIEWER, kAny},
    {"PlanService/UpdatePriority", PLANNER, kWhole},
    {"PlanService/DeletePriority", PLANNER, kWhole},
    {"PlanService/CreateOutcome", PLANNER, kWhole},
    {"PlanService/GetOutcome", VIEWER, kAny},
    {"PlanService/ListOutcomes", VIEWER, kAny},
    {"PlanService/UpdateOutcome", PLANNER, kWhole},
    {"PlanService/DeleteOutcome", PLANNER, kWhole},
    {"PlanService/CreateActivity", PLANNER, kWhole},
    {"PlanService/GetActivity", VIEWER, kAny},
    {"PlanService/ListActivities", VIEWER, kAny},
    {"PlanService/UpdateActivity", PLANNER, kWhole},
    {"PlanService/DeleteActivity", PLANNER, kWhole},
    {"PlanService/CreateMeasure", PLANNER, kWhole},
    {"PlanService/GetMeasure", VIEWER, kAny},
    {"PlanService/ListMeasures", VIEWER, kAny},
    {"PlanService/UpdateMeasure", PLANNER, kWhole},
    {"PlanService/DeleteMeasure", PLANNER, kWhole},
    {"PlanService/CreateMeasureValue", PLANNER, kWhole},
    {"PlanService/ListMeasureValues", VIEWER, kAny},
    {"PlanService/DeleteMeasureValue", PLANNER, kWhole},
    {"PlanService/GetPlanTree", VIEWER, kAny},
    {"PlanService/ImportPlan", PLANNER, kWhole},
    {"PlanService/CreateDirectorate", PLANNER, kWhole},
    {"PlanService/GetDirectorate", VIEWER, kAny},
    {"PlanService/ListDirectorates", VIEWER, kAny},
    {"PlanService/UpdateDirectorate", PLANNER, kWhole},
    {"PlanService/DeleteDirectorate", PLANNER, kWhole},

    {"MilestoneService/CreateMilestone", PLANNER, kAny},
    {"MilestoneService/BatchCreateMilestones", PLANNER, kAny},
    {"MilestoneService/GetMilestone", VIEWER, kAny},
    {"MilestoneService/ListMilestones", VIEWER, kAny},
    {"MilestoneService/UpdateMilestone", PLANNER, kAny},
    {"MilestoneService/DeleteMilestone", PLANNER, kAny},
    {"MilestoneService/UpdateMilestoneProgress", UPDATER, kAny},
    {"MilestoneService/ReviseDeadline", UPDATER, kAny},
    {"MilestoneService/BatchCreateMilestoneUpdates", UPDATER, kAny},
    // Creates and removes milestones: a planner's change, to the whole plan.
    {"MilestoneService/ReconcileMilestones", PLANNER, kWhole},
    {"MilestoneService/ListMilestoneUpdates", VIEWER, kAny},
    {"MilestoneService/GetMilestonesAsOf", VIEWER, kAny},
    {"MilestoneService/CountOverdue", VIEWER, kAny},
    {"MilestoneService/WatchMilestoneUpdates", VIEWER, kAny},
    // The monitoring round: planners (the performance team) run the periods
    // and sign updates off; milestone-service limits a scoped token's
    // ListDueUpdates and ReviewUpdate to its directorates.
    {"MilestoneService/CreatePeriod", PLANNER, kWhole},
    {"MilestoneService/CreateQuarterlyPeriods", PLANNER, kWhole},
    {"MilestoneService/GetPeriod", VIEWER, kAny},
    {"MilestoneService/ListPeriods", VIEWER, kAny},
    {"MilestoneService/OpenPeriod", PLANNER, kWhole},
    {"MilestoneService/StartPeriodReview", PLANNER, kWhole},
    {"MilestoneService/CancelPeriod", PLANNER, kWhole},
    {"MilestoneService/ListDueUpdates", VIEWER, kAny},
    {"MilestoneService/ReviewUpdate", PLANNER, kAny},
    {"MilestoneService/ListUpdateReviews", VIEWER, kAny},
    // report-service's PublishPeriod calls it in the cluster, with its
    // caller's seal; no client may store a pack of its own making.
    {"MilestoneService/RecordPublication", kNobody, kWhole},
    {"MilestoneService/GetPeriodPack", VIEWER, kAny},

    {"ReportService/GetEndOfYearReport", VIEWER, kAny},
    {"ReportService/GetProgressReport", VIEWER, kAny},
    {"ReportService/GetDeadlineRevisionReport", VIEWER, kAny},
    {"ReportService/GetActionPlanReport", VIEWER, kAny},
    {"ReportService/GetChangesReport", VIEWER, kAny},
    {"ReportService/RenderReport", VIEWER, kAny},
    {"ReportService/PublishPeriod", PLANNER, kWhole},

    {"TokenService/CreateToken", ADMIN, kWhole},
    {"TokenService/GetToken", ADMIN, kWhole},
    {"TokenService/ListTokens", ADMIN, kWhole},
    {"TokenService/RevokeToken", ADMIN, kWhole},
};

const pb::ServiceDescriptor* FindService(const std::string& name) {
  // Touch one message of each file so that its descriptors are linked in and
  // registered in the generated pool before we look them up.
  static const bool linked = [] {
    goldenthread::v1::Plan::descriptor();
    goldenthread::v1::Milestone::descriptor();
    goldenthread::v1::ReportRequest::descriptor();
    goldenthread::v1::ApiToken::descriptor();
    return true;
  }();
  (void)linked;
  return pb::DescriptorPool::generated_pool()->FindServiceByName(name);
}

constexpr char kOrganisationsPrefix[] = "organisations/";

absl::Status CheckName(absl::string_view value, absl::string_view organisation) {
  if (!absl::StartsWith(value, kOrganisationsPrefix)) {
    return absl::OkStatus();
  }
  absl::string_view rest = value.substr(sizeof(kOrganisationsPrefix) - 1);
  absl::string_view named = rest.substr(0, rest.find('/'));
  if (named != organisation) {
    return NotFound(ResourceKind(value), value);
  }
  return absl::OkStatus();
}

absl::Status RefuseUnknownFields(const pb::Message& message, absl::string_view path) {
  const pb::UnknownFieldSet& unknown = message.GetReflection()->GetUnknownFields(message);
  if (unknown.empty()) {
    return absl::OkStatus();
  }
  std::vector<int> numbers;
  for (int i = 0; i < unknown.field_count(); ++i) {
    numbers.push_back(unknown.field(i).number());
  }
  return InvalidField(
      path.empty() ? message.GetDescriptor()->name() : path,
      absl::StrCat("has fields this gateway does not know (numbers ", absl::StrJoin(numbers, ", "),
                   "); the gateway's API definitions are older than the caller's"));
}

absl::Status Walk(const pb::Message& message, absl::string_view organisation,
                  const std::string& path) {
  GT_RETURN_IF_ERROR(RefuseUnknownFields(message, path));
  const pb::Reflection* reflection = message.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  // Only fields that are set: an empty request walks nothing.
  reflection->ListFields(message, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    std::string field_path = path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    if (field->type() == pb::FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          GT_RETURN_IF_ERROR(
              CheckName(reflection->GetRepeatedString(message, field, i), organisation));
        }
      } else {
        GT_RETURN_IF_ERROR(CheckName(reflection->GetString(message, field), organisation));
      }
    } else if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      // Map entries are messages too, so map keys and values are covered.
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          GT_RETURN_IF_ERROR(Walk(reflection->GetRepeatedMessage(message, field, i), organisation,
                                  absl::StrCat(field_path, "[", i, "]")));
        }
      } else {
        GT_RETURN_IF_ERROR(Walk(reflection->GetMessage(message, field), organisation, field_path));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& PublicServices() {
  static const std::vector<std::string> services = {kPlanService, kMilestoneService, kReportService,
                                                    kTokenService};
  return services;
}

absl::StatusOr<AccessPolicy> AccessPolicy::Create() {
  AccessPolicy policy;
  std::map<std::string, const Rule*> wanted;
  for (const Rule& rule : kRules) {
    wanted[absl::StrCat("/goldenthread.v1.", rule.method)] = &rule;
  }
  std::vector<std::string> missing;
  for (const std::string& name : PublicServices()) {
    const pb::ServiceDescriptor* service = FindService(name);
    if (service == nullptr) {
      missing.push_back(name);
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const pb::MethodDescriptor* method = service->method(i);
      std::string path = absl::StrCat("/", name, "/", method->name());
      auto it = wanted.find(path);
      if (it == wanted.end()) {
        missing.push_back(path);
        continue;
      }
      policy.rules_[path] = MethodRule{path, method, it->second->min_role, it->second->scope};
      wanted.erase(it);
    }
  }
  if (!missing.empty() || !wanted.empty()) {
    std::vector<std::string> stale;
    for (const auto& [path, rule] : wanted) {
      stale.push_back(path);
    }
    return absl::FailedPreconditionError(
        absl::StrCat("the gateway's role table does not match the API: methods without a rule: [",
                     absl::StrJoin(missing, ", "), "]; rules without a method: [",
                     absl::StrJoin(stale, ", "), "]"));
  }
  return policy;
}

const MethodRule* AccessPolicy::Find(absl::string_view path) const {
  auto it = rules_.find(path);
  return it == rules_.end() ? nullptr : &it->second;
}

absl::Status AccessPolicy::CheckRole(const MethodRule& rule, Role role) {
  if (rule.min_role == kNobody) {
    if (rule.path == "/goldenthread.v1.PlanService/CreateOrganisation") {
      return absl::PermissionDeniedError(
          "organisations are created by an operator directly on plan-service, not through the "
          "gateway");
    }
    return absl::PermissionDeniedError(
        absl::StrCat(rule.path.substr(1), " may not be called through the gateway"));
  }
  if (role < rule.min_role) {
    return absl::PermissionDeniedError(absl::StrCat(
        rule.path.substr(1), " needs role ", goldenthread::v1::Role_Name(rule.min_role),
        " or above; this token has ", goldenthread::v1::Role_Name(role)));
  }
  return absl::OkStatus();
}

absl::Status AccessPolicy::CheckScope(const MethodRule& rule,
                                      const std::vector<std::string>& directorates) {
  if (rule.scope == ScopeRule::kWholeOnly && !directorates.empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat(rule.path.substr(1),
                     " acts on a whole plan or organisation; this token is limited to "
                     "directorates ",
                     absl::StrJoin(directorates, ", ")));
  }
  return absl::OkStatus();
}

absl::Status CheckOrganisation(const pb::Message& request, absl::string_view organisation) {
  return Walk(request, organisation, "");
}

std::string ResourceKind(absl::string_view name) {
  // The names the backends use in "<kind> <name> not found".
  static const auto* const kKinds = new std::map<std::string, std::string, std::less<>>{
      {"organisations", "organisation"}, {"plans", "plan"},
      {"priorities", "priority"},        {"outcomes", "outcome"},
      {"activities", "activity"},        {"measures", "measure"},
      {"values", "measure value"},       {"milestones", "milestone"},
      {"updates", "milestone update"},   {"tokens", "token"},
      {"directorates", "directorate"},   {"periods", "period"},
  };
  std::vector<absl::string_view> segments = absl::StrSplit(name, '/');
  // Collection/id pairs: the kind is the last complete pair's collection; a
  // name ending in a bare collection ("organisations/th/plans") is the
  // collection's parent.
  size_t collection = segments.size() % 2 == 0 ? segments.size() - 2 : segments.size() - 3;
  if (segments.size() < 2) {
    collection = 0;
  }
  auto it = kKinds->find(segments[collection]);
  return it == kKinds->end() ? "resource" : it->second;
}

}  // namespace gt::gateway
