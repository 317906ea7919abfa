// gtctl import and export.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "cli.h"
#include "common/importers/importers.h"
#include "common/importers/loader.h"
#include "gt/dates.h"
#include "gt/directorates.h"
#include "gt/sql_util.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

enum class InputKind { kSeed, kJson, kCsv };

InputKind KindOf(const std::string& path, const std::string& text) {
  if (absl::EndsWithIgnoreCase(path, ".csv")) {
    return InputKind::kCsv;
  }
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    return InputKind::kJson;
  }
  return InputKind::kSeed;
}

class ProgressBar {
 public:
  ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1) {}
  void Show(size_t done, size_t total) {
    if (!enabled_ || total == 0) {
      return;
    }
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * done / total);
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
              << done << "/" << total << " milestones" << std::flush;
    if (done == total) {
      std::cerr << "\n";
    }
  }

 private:
  bool enabled_;
};

struct Counts {
  int priorities = 0, outcomes = 0, activities = 0, measures = 0;
};
Counts CountTree(const v1::PlanTree& tree) {
  Counts c;
  for (const auto& p : tree.priorities()) {
    ++c.priorities;
    c.measures += p.measures_size();
    for (const auto& o : p.outcomes()) {
      ++c.outcomes;
      c.measures += o.measures_size();
      c.activities += o.activities_size();
    }
  }
  return c;
}

}  // namespace

// ---------------------------------------------------------------- import

namespace {

// `import --replace`: the document's milestones become the plan's through
// ReconcileMilestones (matched by name, else by activity, ordinal and title).
int Reconcile(const Args& args, const Client& client, const std::string& plan,
              const importers::ImportedPlan& document, const v1::PlanTree& tree,
              absl::Time effective, const std::string& summary) {
  const bool dry_run = args.Has("dry-run");
  if (document.milestones.empty() && !args.Has("remove-all")) {
    // An empty file (a header alone, a failed export) would remove every
    // milestone of the plan: asked for in words, not by accident.
    v1::ListMilestonesRequest list;
    list.set_parent(plan);
    list.set_page_size(1);
    v1::ListMilestonesResponse page;
    Check(client.Call(
        [&](grpc::ClientContext* c) { return client.milestones->ListMilestones(c, list, &page); }));
    if (page.milestones_size() > 0) {
      std::cerr << "error: the file has no milestones: replacing would remove every milestone of "
                << plan << " (their history stays); pass --remove-all if that is meant\n";
      return kRefused;
    }
  }
  absl::StatusOr<v1::ReconcileMilestonesRequest> built = importers::ReconcileRequest(
      plan, document, tree, effective,
      args.Get("revision-reason", "Deadline revised, as reported in the imported document"));
  if (!built.ok()) {
    std::cerr << "error: " << built.status().message() << "\n";
    return kBadInput;
  }
  v1::ReconcileMilestonesRequest& request = *built;
  // The same file against the same plan state is the same request: sent
  // again after any failure, it is settled once.
  if (dry_run) {
    request.set_validate_only(true);
  } else {
    request.set_request_id(ContentRequestId("reconcile", request));
  }
  v1::ReconcileMilestonesResponse response;
  Check(client.Call(
      [&](grpc::ClientContext* c) {
        return client.milestones->ReconcileMilestones(c, request, &response);
      },
      Client::Resend::kWhenUnknown, absl::Minutes(5)));
  if (JsonOutput(args)) {
    std::cout << ToJson(response);
    return kOk;
  }
  std::cout << (dry_run ? "dry run: nothing written. Would replace " : "replaced ") << plan << ": "
            << summary << "\n"
            << "milestones: " << response.unchanged() << " unchanged, " << response.edited()
            << " edited, " << response.created() << " created, " << response.removed_size()
            << " removed (history kept); " << response.history_rows() << " history rows appended\n";
  return kOk;
}

// The organisation's directorate table (issue 15), applied to what a
// document writes: "CS&F" becomes the code the table says, joint leads are
// written one way. Returns how many cells changed.
int NormaliseDirectorates(const Client& client, importers::ImportedPlan& document) {
  const DirectorateTable table(AllDirectorates(client));
  int changed = 0;
  auto normalise = [&](std::string* directorate) {
    std::string canonical = NormaliseDirectorate(*directorate, table);
    if (canonical != *directorate) {
      *directorate = std::move(canonical);
      ++changed;
    }
  };
  for (auto& p : *document.tree.mutable_priorities()) {
    for (auto& o : *p.mutable_outcomes()) {
      for (auto& a : *o.mutable_activities()) {
        normalise(a.mutable_directorate());
      }
    }
  }
  for (auto& m : document.milestones) {
    normalise(m.milestone.mutable_directorate());
  }
  return changed;
}

bool AllActivitiesNamed(const v1::PlanTree& tree) {
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        if (a.name().empty()) {
          return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

int Import(const Args& args) {
  if (!args.Has("plan")) {
    throw UsageError{"--plan ID is required"};
  }
  const std::string plan_id = args.Get("plan");
  const bool dry_run = args.Has("dry-run");
  const bool replace = args.Has("replace");
  const absl::Time effective = Effective(args.Get("effective"));

  // Read every file before talking to the server.
  std::vector<std::pair<std::string, std::string>> files;
  std::set<InputKind> kinds;
  for (const auto& path : args.positional) {
    files.emplace_back(path, ReadFile(path));
    kinds.insert(KindOf(path, files.back().second));
  }
  if (files.size() > 1 && (kinds.size() > 1 || *kinds.begin() != InputKind::kSeed)) {
    throw UsageError{
        "several files are merged only when all are source documents; import a "
        "JSON or CSV file on its own"};
  }
  const InputKind kind = *kinds.begin();
  Client client(args);
  const std::string plan = client.PlanName(plan_id);

  importers::ImportedPlan document;
  if (kind == InputKind::kSeed) {
    for (size_t i = 0; i < files.size(); ++i) {
      auto doc = importers::ReadDocument(files[i].second);
      if (!doc.ok()) {
        std::cerr << "error: " << files[i].first << ": " << doc.status().message() << "\n";
        return kBadInput;
      }
      for (const auto& line : doc->unplaced) {
        std::cerr << files[i].first << ":" << line.line_number << ": not placed (" << line.reason
                  << "): " << Truncate(line.text, 100) << "\n";
      }
      if (i == 0) {
        document = std::move(*doc);
      } else if (auto s = importers::MergeInto(document, *doc); !s.ok()) {
        std::cerr << "error: " << files[i].first << ": " << s.message() << "\n";
        return kBadInput;
      }
    }
    // Every guess a reader made (issue 15), so that none is silent.
    for (const auto& w : document.warnings) {
      std::cerr << (w.source.empty() ? files[0].first : w.source) << ":" << w.line_number
                << ": warning: " << w.kind << ": read \"" << Truncate(w.what_was_read, 80)
                << "\", assumed " << w.assumed << "\n";
    }
  } else if (kind == InputKind::kJson) {
    auto parsed = ParseDocumentJson(files[0].second);
    absl::StatusOr<importers::ImportedPlan> imported =
        parsed.ok() ? ToImportedPlan(*parsed)
                    : absl::StatusOr<importers::ImportedPlan>(parsed.status());
    if (!imported.ok()) {
      std::cerr << "error: " << files[0].first << ": " << imported.status().message() << "\n";
      return kBadInput;
    }
    document = std::move(*imported);
  }

  // CSV: milestones for a plan that exists; the tree is the plan's own.
  bool csv_plan_has_milestones = false;
  v1::PlanTree created;  // the tree as written (for a CSV: as it is)
  if (kind == InputKind::kCsv) {
    created = GetTree(client, plan);
    auto parsed = ParseMilestonesCsv(files[0].second, created);
    if (!parsed.ok()) {
      for (absl::string_view line : absl::StrSplit(parsed.status().message(), '\n')) {
        std::cerr << files[0].first << ":" << absl::StripPrefix(line, "line ") << "\n";
      }
      return kBadInput;
    }
    auto imported = ToImportedPlan(*parsed);
    if (!imported.ok()) {
      std::cerr << "error: " << files[0].first << ": " << imported.status().message() << "\n";
      return kBadInput;
    }
    document = std::move(*imported);
    v1::ListMilestonesRequest list;
    list.set_parent(plan);
    list.set_page_size(1);
    v1::ListMilestonesResponse page;
    Check(client.Call(
        [&](grpc::ClientContext* c) { return client.milestones->ListMilestones(c, list, &page); }));
    csv_plan_has_milestones = page.milestones_size() > 0;
    if (csv_plan_has_milestones && !replace) {
      std::cerr << "error: ALREADY_EXISTS: plan " << plan
                << " already has milestones; pass --replace to replace them with the CSV's\n";
      return kRefused;
    }
  }

  if (int changed = NormaliseDirectorates(client, document); changed > 0) {
    std::cerr << changed << " directorate cell(s) written as the organisation's directorate table "
              << "says (gtctl directorates list)\n";
  }

  // plan-service's validate_only does not look for an existing plan: ask, so
  // that a dry run answers what the import would.
  bool plan_exists = kind == InputKind::kCsv;
  if (dry_run && kind != InputKind::kCsv) {
    v1::GetPlanRequest get;
    get.set_name(plan);
    v1::Plan existing;
    grpc::Status status = client.Call(
        [&](grpc::ClientContext* c) { return client.plans->GetPlan(c, get, &existing); });
    if (status.ok()) {
      plan_exists = true;
      if (!replace) {
        std::cerr << "error: ALREADY_EXISTS: plan " << plan << " already exists (\""
                  << existing.title() << "\"); the import would be refused: pass --replace to "
                  << "replace its tree and milestones\n";
        return kRefused;
      }
    } else if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      Check(status);
    }
  }

  const std::string run_id = RandomId();
  v1::ImportPlanRequest import;
  if (kind != InputKind::kCsv) {  // a CSV keeps the plan's tree as it is
    import.set_parent(client.OrgName());
    import.set_plan_id(plan_id);
    *import.mutable_tree() = document.tree;
    import.set_replace(replace);
    // A replace removes the nodes the document no longer has only once the
    // milestones have moved off them (below).
    import.set_keep_missing(replace && !dry_run);
    import.set_validate_only(dry_run);
    import.set_request_id(absl::StrCat(run_id, "-tree"));
    grpc::Status imported = client.Call(
        [&](grpc::ClientContext* c) { return client.plans->ImportPlan(c, import, &created); },
        Client::Resend::kWhenUnknown, absl::Minutes(5));
    if (imported.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      std::cerr << "error: ALREADY_EXISTS: " << imported.error_message()
                << "\nhint: gtctl import --replace replaces the plan's tree and milestones\n";
      return kRefused;
    }
    Check(imported);
  }

  Counts counts = CountTree(document.tree);
  std::string summary = absl::StrCat(
      counts.priorities, " priorities, ", counts.outcomes, " outcomes, ", counts.activities,
      " activities, ", counts.measures, " measures, ", document.milestones.size(), " milestones");
  if (dry_run && replace && plan_exists && AllActivitiesNamed(created)) {
    return Reconcile(args, client, plan, document, created, effective, summary);
  }
  if (dry_run) {
    if (JsonOutput(args)) {
      goldenthread::gtctl::v1::PlanDocument preview;
      std::vector<v1::Milestone> none;
      // The document as it would be written, in the interchange format.
      auto doc = ToDocument(created, none);
      preview = *doc;
      preview.clear_milestones();
      for (const auto& m : document.milestones) {
        const auto& path = m.activity_path;
        const auto& p = document.tree.priorities(path[0]);
        const auto& o = p.outcomes(path[1]);
        auto* out = preview.add_milestones();
        out->set_priority_code(p.code());
        out->set_outcome_code(o.code());
        out->set_activity_code(o.activities(path[2]).code());
        out->set_ordinal(m.milestone.ordinal());
        out->set_title(m.milestone.title());
        out->set_lead_officer(m.milestone.lead_officer());
        out->set_directorate(m.milestone.directorate());
        out->set_baseline_deadline(m.milestone.baseline_deadline());
        out->set_current_deadline(m.milestone.current_deadline());
        out->set_status(m.milestone.status());
        out->set_percent_complete(m.milestone.percent_complete());
        out->set_comment(m.milestone.latest_comment());
      }
      std::cout << ToJson(preview);
      return kOk;
    }
    std::cout << "dry run: nothing written. Would "
              << (kind == InputKind::kCsv ? "write milestones of"
                  : plan_exists           ? "replace"
                                          : "create")
              << " " << plan << " \"" << document.tree.plan().title() << "\": " << summary << "\n";
    std::map<std::string, int> per_activity;
    for (const auto& m : document.milestones) {
      per_activity[absl::StrJoin(m.activity_path, ",")]++;
    }
    for (int p = 0; p < document.tree.priorities_size(); ++p) {
      const auto& pr = document.tree.priorities(p);
      std::cout << pr.code() << "  " << Truncate(pr.title(), 90) << "\n";
      for (int o = 0; o < pr.outcomes_size(); ++o) {
        const auto& oc = pr.outcomes(o);
        std::cout << "  " << oc.code() << "  " << Truncate(oc.title(), 88) << "\n";
        for (int a = 0; a < oc.activities_size(); ++a) {
          int n = per_activity[absl::StrCat(p, ",", o, ",", a)];
          std::cout << "    " << oc.activities(a).code() << "  "
                    << Truncate(oc.activities(a).title(), 70)
                    << (n > 0 ? absl::StrCat("  [", n, " milestones]") : "") << "\n";
        }
      }
    }
    return kOk;
  }

  // Replace: one reconciliation on the server, in one transaction (see
  // README "Re-import"): matched milestones keep their ids and history.
  if (replace) {
    int reconciled = Reconcile(args, client, plan, document, created, effective, summary);
    if (reconciled != kOk || !import.keep_missing()) {
      return reconciled;
    }
    import.set_keep_missing(false);
    import.set_request_id(absl::StrCat(run_id, "-prune"));
    Check(client.Call(
        [&](grpc::ClientContext* c) { return client.plans->ImportPlan(c, import, &created); },
        Client::Resend::kWhenUnknown, absl::Minutes(5)));
    return kOk;
  }
  std::vector<v1::CreateMilestoneRequest> requests;
  for (const auto& m : document.milestones) {
    const auto& path = m.activity_path;
    v1::CreateMilestoneRequest request;
    *request.mutable_milestone() = m.milestone;
    request.mutable_milestone()->set_activity(
        created.priorities(path[0]).outcomes(path[1]).activities(path[2]).name());
    *request.mutable_effective_at() = ToTimestamp(effective);
    const v1::Milestone& mm = m.milestone;
    if (!mm.current_deadline().empty() && !mm.baseline_deadline().empty() &&
        mm.current_deadline() != mm.baseline_deadline()) {
      request.set_revision_reason(
          args.Get("revision-reason", "Deadline revised, as reported in the source document"));
    }
    requests.push_back(std::move(request));
  }
  ProgressBar bar;
  constexpr size_t kBatch = 200;
  size_t done = 0;
  for (size_t start = 0; start < requests.size(); start += kBatch) {
    v1::BatchCreateMilestonesRequest batch;
    batch.set_parent(plan);
    batch.set_request_id(absl::StrCat(run_id, "-", start));
    for (size_t i = start; i < requests.size() && i < start + kBatch; ++i) {
      *batch.add_requests() = requests[i];
    }
    v1::BatchCreateMilestonesResponse response;
    Check(client.Call(
        [&](grpc::ClientContext* c) {
          return client.milestones->BatchCreateMilestones(c, batch, &response);
        },
        Client::Resend::kWhenUnknown, absl::Minutes(2)));
    done += response.milestones_size();
    bar.Show(done, requests.size());
  }
  if (JsonOutput(args)) {
    std::cout << ToJson(created);
  } else {
    std::cout << (replace ? "replaced " : "imported ") << plan << ": " << summary << "\n";
  }
  return kOk;
}

// ---------------------------------------------------------------- export

std::map<std::string, std::string> LatestRevisionReasons(const Client& client,
                                                         const std::string& plan) {
  std::map<std::string, std::string> reasons;
  v1::ListMilestoneUpdatesRequest request;
  request.set_parent(plan);
  request.set_kind(v1::DEADLINE_REVISION);  // newest first
  request.set_page_size(1000);
  EachPage<v1::ListMilestoneUpdatesResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.milestones->ListMilestoneUpdates(c, r, page);
      },
      [&](v1::ListMilestoneUpdatesResponse& page) {
        for (const auto& u : page.updates()) {
          reasons.emplace(u.milestone(), u.reason());  // the first seen is the latest
        }
      });
  return reasons;
}

int Export(const Args& args) {
  std::string format = args.Get("format", "json");
  if (format != "json" && format != "csv") {
    throw UsageError{absl::StrCat("--format must be json or csv, got \"", format, "\"")};
  }
  Client client(args);
  std::string plan = client.PlanName(args.positional[0]);
  v1::PlanTree tree = GetTree(client, plan);
  v1::ListMilestonesRequest list;
  list.set_parent(plan);
  auto document =
      ToDocument(tree, AllMilestones(client, list), LatestRevisionReasons(client, plan));
  if (!document.ok()) {
    std::cerr << "error: " << document.status().message() << "\n";
    return kRefused;
  }
  std::string text = format == "json" ? ToJson(*document) : ToCsv(*document);
  if (args.Has("out")) {
    std::ofstream out(args.Get("out"), std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::cerr << "error: " << args.Get("out") << ": cannot write\n";
      return kBadInput;
    }
  } else {
    std::cout << text;
  }
  return kOk;
}

}  // namespace gt::gtctl
