#include "request_table.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"
#include "goldenthread/v1/report.pb.h"
#include "goldenthread/v1/token.pb.h"

namespace gt::gateway::testing {

namespace v1 = goldenthread::v1;

const std::vector<MethodCase>& AllMethodCases() {
  constexpr v1::Role kNobody = v1::ROLE_UNSPECIFIED;
  constexpr v1::Role V = v1::VIEWER, U = v1::UPDATER, P = v1::PLANNER, A = v1::ADMIN;
  static const auto* const cases = new std::vector<MethodCase>{
      {"PlanService/CreateOrganisation", kNobody,
       R"(organisation_id: "stolen" organisation { display_name: "x" })", "", true},
      {"PlanService/GetOrganisation", V, R"(name: "{org}")", "{org}"},
      {"PlanService/ListOrganisations", V, "", ""},
      {"PlanService/CreatePlan", P,
       R"(parent: "{org}" plan_id: "stolen"
          plan { title: "x" period_start: "2020-01-01" period_end: "2020-12-31" })",
       "{org}", true},
      {"PlanService/GetPlan", V, R"(name: "{plan}")", "{plan}"},
      {"PlanService/ListPlans", V, R"(parent: "{org}")", "{org}"},
      {"PlanService/UpdatePlan", P, R"(plan { name: "{plan}" title: "hijacked" }
          update_mask { paths: "title" })",
       "{plan}", true},
      {"PlanService/DeletePlan", P, R"(name: "{plan}")", "{plan}", true},
      {"PlanService/CreatePriority", P, R"(parent: "{plan}" priority { code: "9" title: "x" })",
       "{plan}", true},
      {"PlanService/GetPriority", V, R"(name: "{priority}")", "{priority}"},
      {"PlanService/ListPriorities", V, R"(parent: "{plan}")", "{plan}"},
      {"PlanService/UpdatePriority", P,
       R"(priority { name: "{priority}" title: "x" } update_mask { paths: "title" })", "{priority}",
       true},
      {"PlanService/DeletePriority", P, R"(name: "{priority}")", "{priority}", true},
      {"PlanService/CreateOutcome", P, R"(parent: "{priority}" outcome { code: "9.9" title: "x" })",
       "{priority}", true},
      {"PlanService/GetOutcome", V, R"(name: "{outcome}")", "{outcome}"},
      {"PlanService/ListOutcomes", V, R"(parent: "{priority}")", "{priority}"},
      {"PlanService/UpdateOutcome", P,
       R"(outcome { name: "{outcome}" title: "x" } update_mask { paths: "title" })", "{outcome}",
       true},
      {"PlanService/DeleteOutcome", P, R"(name: "{outcome}")", "{outcome}", true},
      {"PlanService/CreateActivity", P,
       R"(parent: "{outcome}" activity { code: "9.9.9" title: "x" })", "{outcome}", true},
      {"PlanService/GetActivity", V, R"(name: "{activity}")", "{activity}"},
      {"PlanService/ListActivities", V, R"(parent: "{outcome}")", "{outcome}"},
      {"PlanService/UpdateActivity", P,
       R"(activity { name: "{activity}" title: "x" } update_mask { paths: "title" })", "{activity}",
       true},
      {"PlanService/DeleteActivity", P, R"(name: "{activity}")", "{activity}", true},
      {"PlanService/CreateMeasure", P, R"(parent: "{priority}" measure { title: "x" })",
       "{priority}", true},
      {"PlanService/GetMeasure", V, R"(name: "{measure}")", "{measure}"},
      {"PlanService/ListMeasures", V, R"(parent: "{priority}")", "{priority}"},
      {"PlanService/UpdateMeasure", P,
       R"(measure { name: "{measure}" title: "x" } update_mask { paths: "title" })", "{measure}",
       true},
      {"PlanService/DeleteMeasure", P, R"(name: "{measure}")", "{measure}", true},
      {"PlanService/CreateMeasureValue", P,
       R"(parent: "{measure}" value { date: "2018-03-31" value: 1 })", "{measure}", true},
      {"PlanService/ListMeasureValues", V, R"(parent: "{measure}")", "{measure}"},
      {"PlanService/DeleteMeasureValue", P, R"(name: "{measure}/values/2017-12-31")",
       "{measure}/values/2017-12-31", true},
      {"PlanService/GetPlanTree", V, R"(name: "{plan}")", "{plan}"},
      {"PlanService/ImportPlan", P,
       R"(parent: "{org}" plan_id: "2017-18" replace: true
          tree { plan { title: "x" period_start: "2020-01-01" period_end: "2020-12-31" } })",
       "{org}", true},
      {"PlanService/CreateDirectorate", P,
       R"(parent: "{org}" directorate_id: "csf" directorate { code: "CSF" display_name: "x" })",
       "{org}", true},
      {"PlanService/GetDirectorate", V, R"(name: "{org}/directorates/csf")",
       "{org}/directorates/csf"},
      {"PlanService/ListDirectorates", V, R"(parent: "{org}")", "{org}"},
      {"PlanService/UpdateDirectorate", P,
       R"(directorate { name: "{org}/directorates/csf" display_name: "hijacked" }
          update_mask { paths: "display_name" })",
       "{org}/directorates/csf", true},
      {"PlanService/DeleteDirectorate", P, R"(name: "{org}/directorates/csf")",
       "{org}/directorates/csf", true},

      {"MilestoneService/CreateMilestone", P,
       R"(parent: "{plan}" milestone { activity: "{activity}" title: "x" })", "{plan}"},
      {"MilestoneService/BatchCreateMilestones", P,
       R"(parent: "{plan}"
          requests { parent: "{plan}" milestone { activity: "{activity}" title: "x" } })",
       "{plan}"},
      {"MilestoneService/GetMilestone", V, R"(name: "{milestone}")", "{milestone}"},
      {"MilestoneService/ListMilestones", V, R"(parent: "{plan}")", "{plan}"},
      {"MilestoneService/UpdateMilestone", P,
       R"(milestone { name: "{milestone}" title: "x" } update_mask { paths: "title" })",
       "{milestone}"},
      {"MilestoneService/DeleteMilestone", P, R"(name: "{milestone}")", "{milestone}"},
      {"MilestoneService/UpdateMilestoneProgress", U, R"(name: "{milestone}" status: COMPLETED)",
       "{milestone}"},
      {"MilestoneService/ReviseDeadline", U,
       R"(name: "{milestone}" new_deadline: "2030-01-01" reason: "x")", "{milestone}"},
      {"MilestoneService/BatchCreateMilestoneUpdates", U,
       R"(parent: "{plan}" requests { progress { name: "{milestone}" status: COMPLETED } })",
       "{plan}"},
      {"MilestoneService/ReconcileMilestones", P,
       R"(parent: "{plan}" validate_only: true
          milestones { activity: "{activity}" title: "x" })",
       "{plan}", true},
      {"MilestoneService/ListMilestoneUpdates", V, R"(parent: "{milestone}")", "{milestone}"},
      {"MilestoneService/GetMilestonesAsOf", V, R"(parent: "{plan}" as_of: "2018-03-31")",
       "{plan}"},
      {"MilestoneService/CountOverdue", V, R"(parent: "{plan}")", "{plan}"},
      {"MilestoneService/WatchMilestoneUpdates", V, R"(parent: "{plan}")", "{plan}"},
      {"MilestoneService/CreatePeriod", P,
       R"(parent: "{plan}" period_id: "stolen"
          period { title: "x" start_date: "2017-04-01" as_of: "2017-06-30"
                   due_date: "2017-07-14" })",
       "{plan}", true},
      {"MilestoneService/CreateQuarterlyPeriods", P, R"(parent: "{plan}" due_days_after: 14)",
       "{plan}", true},
      {"MilestoneService/GetPeriod", V, R"(name: "{plan}/periods/q1")", "{plan}/periods/q1"},
      {"MilestoneService/ListPeriods", V, R"(parent: "{plan}")", "{plan}"},
      {"MilestoneService/OpenPeriod", P, R"(name: "{plan}/periods/q1")", "{plan}/periods/q1", true},
      {"MilestoneService/StartPeriodReview", P, R"(name: "{plan}/periods/q1")", "{plan}/periods/q1",
       true},
      {"MilestoneService/CancelPeriod", P, R"(name: "{plan}/periods/q1" reason: "x")",
       "{plan}/periods/q1", true},
      {"MilestoneService/ListDueUpdates", V, R"(parent: "{plan}/periods/q1")", "{plan}/periods/q1"},
      {"MilestoneService/ReviewUpdate", P, R"(name: "{milestone}/updates/1" action: APPROVE)",
       "{milestone}/updates/1"},
      {"MilestoneService/ListUpdateReviews", V, R"(parent: "{plan}/periods/q1")",
       "{plan}/periods/q1"},
      // Only report-service, in the cluster.
      {"MilestoneService/RecordPublication", kNobody,
       R"(name: "{plan}/periods/q1" files { filename: "x.md" content: "x" })", "{plan}/periods/q1",
       true},
      {"MilestoneService/GetPeriodPack", V, R"(name: "{plan}/periods/q1")", "{plan}/periods/q1"},

      {"ReportService/GetEndOfYearReport", V, R"(plan: "{plan}")", "{plan}"},
      {"ReportService/GetProgressReport", V, R"(report { plan: "{plan}" })", "{plan}"},
      {"ReportService/GetDeadlineRevisionReport", V, R"(plan: "{plan}")", "{plan}"},
      {"ReportService/GetActionPlanReport", V, R"(plan: "{plan}")", "{plan}"},
      {"ReportService/GetChangesReport", V, R"(from { plan: "{plan}" } to { plan: "{plan}" })",
       "{plan}"},
      {"ReportService/RenderReport", V, R"(end_of_year { plan: "{plan}" } format: MARKDOWN)",
       "{plan}"},
      {"ReportService/PublishPeriod", P, R"(name: "{plan}/periods/q1")", "{plan}/periods/q1", true},

      {"TokenService/CreateToken", A, R"(parent: "{org}" token { role: VIEWER subject: "x" })",
       "{org}", true},
      {"TokenService/GetToken", A, R"(name: "{token}")", "{token}", true},
      {"TokenService/ListTokens", A, R"(parent: "{org}")", "{org}", true},
      {"TokenService/RevokeToken", A, R"(name: "{token}")", "{token}", true},
  };
  return *cases;
}

std::string Names::Expand(const std::string& text) const {
  // Longest placeholders cannot be prefixes of others, so order is free.
  return absl::StrReplaceAll(text, {{"{org}", org},
                                    {"{plan}", plan},
                                    {"{priority}", priority},
                                    {"{outcome}", outcome},
                                    {"{activity}", activity},
                                    {"{measure}", measure},
                                    {"{milestone}", milestone},
                                    {"{token}", token}});
}

std::string Names::Lookup(const std::string& placeholder) const { return Expand(placeholder); }

std::string KindOf(const std::string& placeholder) {
  static const auto* const kinds =
      new std::map<std::string, std::string>{{"{org}", "organisation"},
                                             {"{plan}", "plan"},
                                             {"{priority}", "priority"},
                                             {"{outcome}", "outcome"},
                                             {"{activity}", "activity"},
                                             {"{measure}", "measure"},
                                             {"{milestone}", "milestone"},
                                             {"{token}", "token"},
                                             {"{measure}/values/2017-12-31", "measure value"},
                                             {"{plan}/periods/q1", "period"},
                                             {"{milestone}/updates/1", "milestone update"},
                                             {"{org}/directorates/csf", "directorate"}};
  return kinds->at(placeholder);
}

std::string Path(const MethodCase& c) { return absl::StrCat("/goldenthread.v1.", c.method); }

namespace {

const google::protobuf::MethodDescriptor* Descriptor(const MethodCase& c) {
  v1::Plan::descriptor();
  v1::Milestone::descriptor();
  v1::ReportRequest::descriptor();
  v1::ApiToken::descriptor();
  std::string full = absl::StrCat("goldenthread.v1.", c.method);
  full[full.rfind('/')] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
}

}  // namespace

std::unique_ptr<google::protobuf::Message> BuildRequest(const MethodCase& c, const Names& names) {
  const auto* method = Descriptor(c);
  if (method == nullptr) {
    return nullptr;
  }
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(method->input_type())
          ->New());
  if (!google::protobuf::TextFormat::ParseFromString(names.Expand(c.request), message.get())) {
    return nullptr;
  }
  return message;
}

bool IsStreaming(const MethodCase& c) {
  const auto* method = Descriptor(c);
  return method != nullptr && (method->client_streaming() || method->server_streaming());
}

}  // namespace gt::gateway::testing
