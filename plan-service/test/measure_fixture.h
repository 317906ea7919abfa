#pragma once

// Shared by the issue 19 service tests (measure values and measure targets).

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gt/caller.h"
#include "gt/grpc_status.h"
#include "plan_service_fixture.h"

namespace gt::plan {

// Over PlanServiceTest's server and database, in organisation "kpi".
class MeasureTest : public PlanServiceTest {
 protected:
  static constexpr char kOrg[] = "kpi";

  void SetUp() override { EnsureOrganisation(kOrg); }

  // Priority 1 has a measure of its own and outcomes 1.1 and 1.2, each with
  // one; priority 2 has one. Codes say where: "M1", "M1.1", "M1.2", "M2".
  static goldenthread::v1::PlanTree Tree() {
    goldenthread::v1::PlanTree tree;
    *tree.mutable_plan() = MakePlan("Strategic Plan 2017/18");
    for (int p = 1; p <= 2; ++p) {
      auto* priority = tree.add_priorities();
      priority->set_code(std::to_string(p));
      priority->set_title("Priority " + priority->code());
      auto* measure = priority->add_measures();
      measure->set_code("M" + priority->code());
      measure->set_title("Measure of priority " + priority->code());
      if (p == 1) {
        for (int o = 1; o <= 2; ++o) {
          auto* outcome = priority->add_outcomes();
          outcome->set_code("1." + std::to_string(o));
          outcome->set_title("Outcome " + outcome->code());
          auto* m = outcome->add_measures();
          m->set_code("M" + outcome->code());
          m->set_title("Measure of outcome " + outcome->code());
          m->set_direction(goldenthread::v1::HIGHER_IS_BETTER);
        }
      }
    }
    return tree;
  }

  goldenthread::v1::PlanTree Import(const std::string& plan_id,
                                    const goldenthread::v1::PlanTree& tree = Tree(),
                                    grpc::Status* status_out = nullptr, bool replace = false) {
    goldenthread::v1::ImportPlanRequest request;
    request.set_parent(std::string("organisations/") + kOrg);
    request.set_plan_id(plan_id);
    *request.mutable_tree() = tree;
    request.set_replace(replace);
    goldenthread::v1::PlanTree response;
    grpc::Status status = Stub()->ImportPlan(As(kOrg).get(), request, &response);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  // As the gateway would call for a token of "kpi" whose subject is `subject`.
  static std::unique_ptr<grpc::ClientContext> AsSubject(const std::string& subject) {
    auto context = As(kOrg);
    context->AddMetadata(kSubjectHeader, subject);
    return context;
  }

  // Rows of a table in one of kpi's plans (and of one item when item_id > 0).
  // The table is named from a fixed list and every value is bound: nothing
  // reaches SQL unchecked.
  int Rows(const std::string& table, const std::string& plan_id, int64_t item_id = 0) {
    static const std::set<std::string> kTables = {"measure_value_history", "measure_targets",
                                                  "measure_values", "plan_items", "plans"};
    EXPECT_EQ(kTables.count(table), 1u) << table;
    if (kTables.count(table) == 0) {
      return -1;
    }
    if (item_id > 0) {
      return std::stoi(db_->QueryScalar(
          "SELECT COUNT(*) FROM " + table + " WHERE org_id = 'kpi' AND plan_id = ? AND item_id = ?",
          {plan_id, std::to_string(item_id)}));
    }
    return std::stoi(db_->QueryScalar(
        "SELECT COUNT(*) FROM " + table + " WHERE org_id = 'kpi' AND plan_id = ?", {plan_id}));
  }

  static int64_t IdOf(const std::string& name) {
    return std::stoll(name.substr(name.rfind('/') + 1));
  }

  // The field of the first google.rpc.BadRequest violation ("" when none).
  static std::string FieldOf(const grpc::Status& status) {
    auto violations = FieldViolations(status);
    return violations.empty() ? std::string() : violations[0].first;
  }
};

}  // namespace gt::plan
