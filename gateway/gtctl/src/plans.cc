// gtctl plans list|show and milestones list|update|revise.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli.h"
#include "gt/dates.h"
#include "gt/sql_util.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

void PrintMilestones(const std::vector<v1::Milestone>& milestones) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : milestones) {
    rows.push_back({LastSegment(m.name()),
                    m.current_deadline().empty() ? "-" : m.current_deadline(),
                    StatusName(m.status()), absl::StrCat(m.percent_complete()),
                    m.overdue() ? "yes" : "", m.directorate(), Truncate(m.title(), 60)});
  }
  PrintTable({"ID", "DEADLINE", "STATUS", "%", "OVERDUE", "DIRECTORATE", "TITLE"}, rows);
}

int PrintOneMilestone(const Args& args, const v1::Milestone& m) {
  if (JsonOutput(args)) {
    std::cout << ToJson(m);
  } else {
    PrintMilestones({m});
  }
  return kOk;
}

}  // namespace

// ---------------------------------------------------------------- plans

int PlansList(const Args& args) {
  Client client(args);
  v1::ListPlansRequest request;
  request.set_parent(client.OrgName());
  request.set_page_size(1000);
  v1::ListPlansResponse all;
  EachPage<v1::ListPlansResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.plans->ListPlans(c, r, page);
      },
      [&](v1::ListPlansResponse& page) {
        for (auto& p : *page.mutable_plans()) {
          *all.add_plans() = std::move(p);
        }
      });
  if (JsonOutput(args)) {
    std::cout << ToJson(all);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : all.plans()) {
    rows.push_back({LastSegment(p.name()), v1::PlanState_Name(p.state()),
                    absl::StrCat(p.period_start(), "..", p.period_end()), Truncate(p.title(), 60)});
  }
  PrintTable({"ID", "STATE", "PERIOD", "TITLE"}, rows);
  return kOk;
}

int PlansShow(const Args& args) {
  Client client(args);
  std::string plan = client.PlanName(args.positional[0]);
  v1::PlanTree tree = GetTree(client, plan);
  v1::ListMilestonesRequest list;
  list.set_parent(plan);
  std::vector<v1::Milestone> milestones = AllMilestones(client, list);
  if (JsonOutput(args)) {
    std::cout << ToJson(tree);
    return kOk;
  }
  std::map<std::string, int> per_activity;
  for (const auto& m : milestones) {
    per_activity[m.activity()]++;
  }
  const v1::Plan& p = tree.plan();
  std::cout << p.title() << "  (" << p.name() << ", " << v1::PlanState_Name(p.state()) << ", "
            << p.period_start() << ".." << p.period_end() << ")\n";
  if (!p.source().empty()) {
    std::cout << "source: " << p.source() << "\n";
  }
  int outcomes = 0, activities = 0, measures = 0;
  for (const auto& pr : tree.priorities()) {
    std::cout << pr.code() << "  " << Truncate(pr.title(), 90) << "\n";
    measures += pr.measures_size();
    for (const auto& o : pr.outcomes()) {
      ++outcomes;
      measures += o.measures_size();
      std::cout << "  " << o.code() << "  " << Truncate(o.title(), 88) << "\n";
      for (const auto& a : o.activities()) {
        ++activities;
        std::cout << "    " << a.code() << "  " << Truncate(a.title(), 70);
        std::vector<std::string> extra;
        if (!a.lead_officer().empty()) {
          extra.push_back(a.lead_officer());
        }
        if (!a.directorate().empty()) {
          extra.push_back(a.directorate());
        }
        if (per_activity[a.name()] > 0) {
          extra.push_back(absl::StrCat(per_activity[a.name()], " milestones"));
        }
        if (!extra.empty()) {
          std::cout << "  [" << absl::StrJoin(extra, "; ") << "]";
        }
        std::cout << "\n";
      }
    }
  }
  std::cout << tree.priorities_size() << " priorities, " << outcomes << " outcomes, " << activities
            << " activities, " << measures << " measures, " << milestones.size() << " milestones\n";
  return kOk;
}

// ---------------------------------------------------------------- milestones

int MilestonesList(const Args& args) {
  Client client(args);
  v1::ListMilestonesRequest request;
  request.set_parent(client.PlanName(args.positional[0]));
  if (args.Has("status")) {
    for (absl::string_view s : absl::StrSplit(args.Get("status"), ',')) {
      request.add_statuses(ParseStatus(std::string(s)));
    }
  }
  if (args.Has("overdue-at")) {
    RequireDate("--overdue-at", args.Get("overdue-at"));
    request.set_overdue_at(args.Get("overdue-at"));
  }
  if (args.Has("directorate")) {
    request.set_directorate(args.Get("directorate"));
  }
  std::vector<v1::Milestone> milestones = AllMilestones(client, request);
  if (JsonOutput(args)) {
    v1::ListMilestonesResponse all;
    for (auto& m : milestones) {
      *all.add_milestones() = std::move(m);
    }
    std::cout << ToJson(all);
    return kOk;
  }
  PrintMilestones(milestones);
  return kOk;
}

int MilestonesUpdate(const Args& args) {
  if (!args.Has("status")) {
    throw UsageError{"--status is required"};
  }
  v1::UpdateMilestoneProgressRequest request;
  request.set_status(ParseStatus(args.Get("status")));
  if (args.Has("percent")) {
    int percent;
    if (!absl::SimpleAtoi(args.Get("percent"), &percent)) {
      throw UsageError{
          absl::StrCat("--percent must be a whole number, got \"", args.Get("percent"), "\"")};
    }
    request.set_percent_complete(percent);
  }
  request.set_comment(args.Get("comment"));
  absl::Time effective = Effective(args.Get("effective"));
  Client client(args);
  request.set_name(client.MilestoneName(args.positional[0]));
  *request.mutable_effective_at() = ToTimestamp(effective);
  request.set_request_id(RandomId());
  v1::Milestone updated;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->UpdateMilestoneProgress(c, request, &updated);
  }));
  return PrintOneMilestone(args, updated);
}

int MilestonesRevise(const Args& args) {
  if (!args.Has("deadline") || !args.Has("reason")) {
    throw UsageError{"--deadline and --reason are required"};
  }
  RequireDate("--deadline", args.Get("deadline"));
  absl::Time effective = Effective(args.Get("effective"));
  Client client(args);
  v1::ReviseDeadlineRequest request;
  request.set_name(client.MilestoneName(args.positional[0]));
  request.set_new_deadline(args.Get("deadline"));
  request.set_reason(args.Get("reason"));
  *request.mutable_effective_at() = ToTimestamp(effective);
  request.set_request_id(RandomId());
  v1::Milestone updated;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->ReviseDeadline(c, request, &updated);
  }));
  return PrintOneMilestone(args, updated);
}

}  // namespace gt::gtctl
