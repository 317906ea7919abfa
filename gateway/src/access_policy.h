#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "goldenthread/v1/common.pb.h"

namespace gt::gateway {

using goldenthread::v1::Role;

// The services the gateway answers for, by full proto name. TokenService is
// served by the gateway itself; the others are forwarded to their backends.
inline constexpr char kPlanService[] = "goldenthread.v1.PlanService";
inline constexpr char kMilestoneService[] = "goldenthread.v1.MilestoneService";
inline constexpr char kReportService[] = "goldenthread.v1.ReportService";
inline constexpr char kTokenService[] = "goldenthread.v1.TokenService";
const std::vector<std::string>& PublicServices();

// Which tokens may call a method by their directorate scope
// (ApiToken.directorates), beside their role.
enum class ScopeRule {
  // Only tokens not limited to directorates: the method acts on a whole plan
  // or organisation (plan structure, reconcile, period administration,
  // tokens). The zero value, so a rule that does not say is the safe one.
  kWholeOnly,
  // Any token of the role: a read, or a write to milestones whose
  // directorate the backend checks milestone by milestone (milestone-service
  // also filters ListDueUpdates).
  kAnyScope,
};

// What the gateway knows about one method of the public API.
struct MethodRule {
  // "/goldenthread.v1.PlanService/GetPlan", as on the wire.
  std::string path;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // The least role that may call it (roles are ordered VIEWER < UPDATER <
  // PLANNER < ADMIN). ROLE_UNSPECIFIED: nobody may, through the gateway.
  Role min_role = goldenthread::v1::ROLE_UNSPECIFIED;
  ScopeRule scope = ScopeRule::kWholeOnly;
  bool streaming() const { return method->client_streaming() || method->server_streaming(); }
};

// The per-method role table, checked against the compiled-in descriptors so
// that a method added to a .proto without a rule stops the gateway at start
// (and fails its unit test) instead of being forwarded unguarded.
class AccessPolicy {
 public:
  // FAILED_PRECONDITION naming every method without a rule and every rule
  // without a method.
  static absl::StatusOr<AccessPolicy> Create();

  // nullptr for a path the gateway does not serve.
  const MethodRule* Find(absl::string_view path) const;
  const std::map<std::string, MethodRule, std::less<>>& rules() const { return rules_; }

  // OK, or PERMISSION_DENIED saying which role the method needs.
  static absl::Status CheckRole(const MethodRule& rule, Role role);
  // OK, or PERMISSION_DENIED when a token limited to `directorates` calls a
  // method that acts on a whole plan or organisation.
  static absl::Status CheckScope(const MethodRule& rule,
                                 const std::vector<std::string>& directorates);

 private:
  std::map<std::string, MethodRule, std::less<>> rules_;
};

// Every string field anywhere in `request` whose value is a resource name
// ("organisations/...") must name `organisation`; the first that does not
// answers NOT_FOUND "<kind> <name> not found", exactly as a backend answers
// for a missing resource, so another organisation's data cannot be told from
// absent data. Fields unknown to the gateway's descriptors are refused
// (INVALID_ARGUMENT): they could carry a name the gateway cannot see.
absl::Status CheckOrganisation(const google::protobuf::Message& request,
                               absl::string_view organisation);

// "organisations/th/plans/p/milestones/7" -> "milestone"; what the backends
// call the resource in their NOT_FOUND messages.
std::string ResourceKind(absl::string_view name);

}  // namespace gt::gateway
