#pragma once

#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "goldenthread/v1/common.pb.h"

namespace gt::gateway::testing {

// One row per method of the public API: who may call it (as the issue states
// the roles, written out independently of the gateway's own table) and a
// request naming resources through placeholders.
struct MethodCase {
  std::string method;  // "PlanService/GetPlan"
  // ROLE_UNSPECIFIED: nobody, through the gateway.
  goldenthread::v1::Role min_role;
  // Text format; placeholders {org} {plan} {priority} {outcome} {activity}
  // {measure} {milestone} {token} are full resource names (a period is
  // "{plan}/periods/q1", a milestone update "{milestone}/updates/1").
  std::string request;
  // The placeholder of the first name in the request (field order), i.e. the
  // one a NOT_FOUND names; empty when the request names nothing.
  std::string first_name;
  // Acts on a whole plan or organisation, as issue 18 lists them (plan
  // structure, reconcile, period administration, publication, tokens): a
  // token limited to directorates is refused it.
  bool whole_plan = false;
};

const std::vector<MethodCase>& AllMethodCases();

// Resource names for the placeholders, in one organisation.
struct Names {
  std::string org, plan, priority, outcome, activity, measure, milestone, token;
  std::string Expand(const std::string& text) const;
  std::string Lookup(const std::string& placeholder) const;
};
// The kind a backend names in "<kind> <name> not found" for a placeholder.
std::string KindOf(const std::string& placeholder);

// "/goldenthread.v1.PlanService/GetPlan" and its request message, parsed
// from the case's text with `names`.
std::string Path(const MethodCase& c);
std::unique_ptr<google::protobuf::Message> BuildRequest(const MethodCase& c, const Names& names);
bool IsStreaming(const MethodCase& c);

}  // namespace gt::gateway::testing
