// gtctl: the command-line client of the Golden Thread gateway. See
// ../README.md for commands, exit codes and the interchange format.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/importers/importers.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "goldenthread/v1/report.grpc.pb.h"
#include "goldenthread/v1/token.grpc.pb.h"
#include "gt/dates.h"
#include "gt/sql_util.h"
#include "interchange.h"

namespace gt::gtctl {
namespace {

namespace v1 = goldenthread::v1;

// Exit codes (README "Exit codes").
enum Exit {
  kOk = 0,
  kRefused = 1,      // the server answered with an error
  kUsage = 2,        // bad command line
  kUnavailable = 3,  // cannot connect / the server did not answer
  kBadInput = 4,     // an input file cannot be read, or has rows that cannot be read
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool Has(const std::string& f) const { return flags.count(f) > 0; }
  std::string Get(const std::string& f, const std::string& fallback = "") const {
    auto it = flags.find(f);
    return it == flags.end() ? fallback : it->second;
  }
};

const std::set<std::string> kBoolFlags = {"help", "replace", "dry-run", "show-revoked"};
const std::vector<std::string> kGlobalFlags = {"token", "addr", "output", "org", "help"};

struct UsageError {
  std::string message;
};
struct Failure {
  int code;
};

struct Command {
  std::string path;  // "milestones list"
  std::string synopsis;
  std::string help;
  std::vector<std::string> flags;  // besides the global ones
  size_t min_positional;
  size_t max_positional;
  std::function<int(const Args&)> run;
};

// ---------------------------------------------------------------- output

bool JsonOutput(const Args& args) { return args.Get("output", "table") == "json"; }

std::string Truncate(const std::string& s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) {
        return s.substr(0, i) + "...";
      }
      ++chars;
    }
  }
  return s;
}

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    width[i] = DisplayWidth(header[i]);
  }
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], DisplayWidth(row[i]));
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(width[i] - DisplayWidth(row[i]) + 2, ' ');
      }
    }
    std::cout << line << "\n";
  };
  print(header);
  for (const auto& row : rows) {
    print(row);
  }
}

std::string StatusName(v1::MilestoneStatus s) {
  return s == v1::MILESTONE_STATUS_UNSPECIFIED ? "-" : v1::MilestoneStatus_Name(s);
}

std::string LastSegment(const std::string& name) { return name.substr(name.rfind('/') + 1); }

// ---------------------------------------------------------------- connection

class Client {
 public:
  explicit Client(const Args& args) {
    const char* env_addr = std::getenv("GT_ADDR");
    addr_ = args.Get("addr", env_addr != nullptr && *env_addr ? env_addr : "127.0.0.1:50050");
    const char* env_token = std::getenv("GT_TOKEN");
    token_ = args.Get("token", env_token != nullptr ? env_token : "");
    if (token_.empty()) {
      throw UsageError{"no token: set GT_TOKEN or pass --token"};
    }
    org_ = args.Get("org");
    if (org_.empty()) {
      const char* env_org = std::getenv("GT_ORG");
      if (env_org != nullptr) {
        org_ = env_org;
      }
    }
    if (org_.empty()) {
      // Tokens read "gt_<organisation>_<secret>".
      std::vector<std::string> parts = absl::StrSplit(token_, '_');
      if (parts.size() >= 3 && parts[0] == "gt") {
        org_ = parts[1];
      }
    }
    channel_ = grpc::CreateChannel(addr_, grpc::InsecureChannelCredentials());
    if (!channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(5)))) {
      std::cerr << "error: cannot connect to " << addr_ << "\n";
      throw Failure{kUnavailable};
    }
    plans = v1::PlanService::NewStub(channel_);
    milestones = v1::MilestoneService::NewStub(channel_);
    tokens = v1::TokenService::NewStub(channel_);
    reports = v1::ReportService::NewStub(channel_);
  }

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(60)) const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    context->AddMetadata("authorization", "Bearer " + token_);
    return context;
  }

  const std::string& org() const {
    if (org_.empty()) {
      throw UsageError{"no organisation: pass --org (or set GT_ORG)"};
    }
    return org_;
  }
  std::string OrgName() const { return absl::StrCat("organisations/", org()); }
  std::string PlanName(const std::string& ref) const {
    return absl::StartsWith(ref, "organisations/") ? ref : absl::StrCat(OrgName(), "/plans/", ref);
  }
  // "organisations/o/plans/p/milestones/7" or "p/7".
  std::string MilestoneName(const std::string& ref) const {
    if (absl::StartsWith(ref, "organisations/")) {
      return ref;
    }
    std::vector<std::string> parts = absl::StrSplit(ref, '/');
    if (parts.size() != 2) {
      throw UsageError{
          absl::StrCat("milestone \"", ref, "\": give its full name or PLAN/ID, e.g. 2017-18/42")};
    }
    return absl::StrCat(OrgName(), "/plans/", parts[0], "/milestones/", parts[1]);
  }

  std::unique_ptr<v1::PlanService::Stub> plans;
  std::unique_ptr<v1::MilestoneService::Stub> milestones;
  std::unique_ptr<v1::TokenService::Stub> tokens;
  std::unique_ptr<v1::ReportService::Stub> reports;

 private:
  std::string addr_, token_, org_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Exits with 1 (or 3 when the server is unreachable) on a failed call.
void Check(const grpc::Status& status) {
  if (status.ok()) {
    return;
  }
  std::cerr << "error: "
            << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())) << ": "
            << status.error_message() << "\n";
  throw Failure{status.error_code() == grpc::StatusCode::UNAVAILABLE ? kUnavailable : kRefused};
}

std::string RandomId() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd() ^
                      static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  return absl::StrCat("gtctl-", absl::Hex(gen(), absl::kZeroPad16));
}

// D -> the end of day D (UTC), not later than now; empty -> now.
absl::Time Effective(const std::string& flag) {
  if (flag.empty()) {
    return absl::Now();
  }
  auto day = ParseDate("--effective", flag);
  if (!day.ok()) {
    throw UsageError{std::string(day.status().message())};
  }
  if (*day > TodayUtc()) {
    throw UsageError{absl::StrCat("--effective ", flag, " is in the future")};
  }
  // Today is not over: now.
  absl::Time end = absl::FromCivil(*day + 1, absl::UTCTimeZone()) - absl::Seconds(1);
  return std::min(end, absl::Now());
}

v1::MilestoneStatus ParseStatus(const std::string& text) {
  std::string s = absl::AsciiStrToUpper(text);
  std::replace(s.begin(), s.end(), ' ', '_');
  std::replace(s.begin(), s.end(), '-', '_');
  v1::MilestoneStatus status;
  if (!v1::MilestoneStatus_Parse(s, &status) || status == v1::MILESTONE_STATUS_UNSPECIFIED) {
    throw UsageError{absl::StrCat("status \"", text,
                                  "\" is not one of NOT_STARTED, ON_TARGET, DELAYED, COMPLETED, "
                                  "DEFERRED, CANCELLED")};
  }
  return status;
}

void RequireDate(const std::string& flag, const std::string& value) {
  auto day = ParseDate(flag, value);
  if (!day.ok()) {
    throw UsageError{std::string(day.status().message())};
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: " << path << ": cannot read\n";
    throw Failure{kBadInput};
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<v1::Milestone> AllMilestones(const Client& client, v1::ListMilestonesRequest request) {
  std::vector<v1::Milestone> out;
  request.set_page_size(1000);
  while (true) {
    v1::ListMilestonesResponse page;
    Check(client.milestones->ListMilestones(client.Context().get(), request, &page));
    for (auto& m : *page.mutable_milestones()) {
      out.push_back(std::move(m));
    }
    if (page.next_page_token().empty()) {
      return out;
    }
    request.set_page_token(page.next_page_token());
  }
}

v1::PlanTree GetTree(const Client& client, const std::string& plan) {
  v1::GetPlanTreeRequest request;
  request.set_name(plan);
  v1::PlanTree tree;
  Check(client.plans->GetPlanTree(client.Context().get(), request, &tree));
  return tree;
}

// ---------------------------------------------------------------- plans

int PlansList(const Args& args) {
  Client client(args);
  v1::ListPlansRequest request;
  request.set_parent(client.OrgName());
  request.set_page_size(1000);
  v1::ListPlansResponse all;
  while (true) {
    v1::ListPlansResponse page;
    Check(client.plans->ListPlans(client.Context().get(), request, &page));
    for (auto& p : *page.mutable_plans()) {
      *all.add_plans() = std::move(p);
    }
    if (page.next_page_token().empty()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
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

int PrintOneMilestone(const Args& args, const v1::Milestone& m) {
  if (JsonOutput(args)) {
    std::cout << ToJson(m);
  } else {
    PrintMilestones({m});
  }
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
  Check(client.milestones->UpdateMilestoneProgress(client.Context().get(), request, &updated));
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
  Check(client.milestones->ReviseDeadline(client.Context().get(), request, &updated));
  return PrintOneMilestone(args, updated);
}

// ---------------------------------------------------------------- import

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
  if (kind == InputKind::kCsv) {
    v1::PlanTree tree = GetTree(client, plan);
    auto parsed = ParseMilestonesCsv(files[0].second, tree);
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
    Check(client.milestones->ListMilestones(client.Context().get(), list, &page));
    csv_plan_has_milestones = page.milestones_size() > 0;
    if (csv_plan_has_milestones && !replace) {
      std::cerr << "error: ALREADY_EXISTS: plan " << plan
                << " already has milestones; pass --replace to replace them with the CSV's\n";
      return kRefused;
    }
  }

  // plan-service's validate_only does not look for an existing plan: ask, so
  // that a dry run answers what the import would.
  bool plan_exists = kind == InputKind::kCsv;
  if (dry_run && kind != InputKind::kCsv) {
    v1::GetPlanRequest get;
    get.set_name(plan);
    v1::Plan existing;
    grpc::Status status = client.plans->GetPlan(client.Context().get(), get, &existing);
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

  v1::ImportPlanRequest import;
  import.set_parent(client.OrgName());
  import.set_plan_id(plan_id);
  *import.mutable_tree() = document.tree;
  // A CSV keeps the plan's tree as it is: replacing it with itself keeps ids.
  import.set_replace(replace || kind == InputKind::kCsv);
  import.set_validate_only(dry_run);
  const std::string run_id = RandomId();
  import.set_request_id(absl::StrCat(run_id, "-tree"));
  v1::PlanTree created;
  grpc::Status imported =
      client.plans->ImportPlan(client.Context(absl::Minutes(5)).get(), import, &created);
  if (imported.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    std::cerr << "error: ALREADY_EXISTS: " << imported.error_message()
              << "\nhint: gtctl import --replace replaces the plan's tree and milestones\n";
    return kRefused;
  }
  Check(imported);

  Counts counts = CountTree(document.tree);
  std::string summary = absl::StrCat(
      counts.priorities, " priorities, ", counts.outcomes, " outcomes, ", counts.activities,
      " activities, ", counts.measures, " measures, ", document.milestones.size(), " milestones");
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

  // Replace: the plan's milestones go (their history stays), then the new ones.
  if (replace) {
    v1::ListMilestonesRequest list;
    list.set_parent(plan);
    for (const auto& m : AllMilestones(client, list)) {
      v1::DeleteMilestoneRequest del;
      del.set_name(m.name());
      google::protobuf::Empty empty;
      Check(client.milestones->DeleteMilestone(client.Context().get(), del, &empty));
    }
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
    Check(client.milestones->BatchCreateMilestones(client.Context(absl::Minutes(2)).get(), batch,
                                                   &response));
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
  auto document = ToDocument(tree, AllMilestones(client, list));
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

// ---------------------------------------------------------------- tokens

void PrintTokens(const std::vector<v1::ApiToken>& tokens) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tokens) {
    rows.push_back(
        {LastSegment(t.name()), v1::Role_Name(t.role()), t.subject(), t.secret_prefix(),
         absl::FormatTime("%Y-%m-%d", FromTimestamp(t.create_time()), absl::UTCTimeZone()),
         t.has_expire_time()
             ? absl::FormatTime("%Y-%m-%d", FromTimestamp(t.expire_time()), absl::UTCTimeZone())
             : "-",
         t.has_revoke_time() ? "revoked" : "active"});
  }
  PrintTable({"ID", "ROLE", "SUBJECT", "PREFIX", "CREATED", "EXPIRES", "STATE"}, rows);
}

int TokensCreate(const Args& args) {
  if (!args.Has("role") || !args.Has("subject")) {
    throw UsageError{"--role and --subject are required"};
  }
  v1::Role role;
  if (!v1::Role_Parse(absl::AsciiStrToUpper(args.Get("role")), &role) ||
      role == v1::ROLE_UNSPECIFIED) {
    throw UsageError{absl::StrCat("--role must be VIEWER, UPDATER, PLANNER or ADMIN, got \"",
                                  args.Get("role"), "\"")};
  }
  Client client(args);
  v1::CreateTokenRequest request;
  request.set_parent(client.OrgName());
  request.mutable_token()->set_role(role);
  request.mutable_token()->set_subject(args.Get("subject"));
  request.mutable_token()->set_display_name(args.Get("display-name"));
  if (args.Has("expires")) {
    auto day = ParseDate("--expires", args.Get("expires"));
    if (!day.ok()) {
      throw UsageError{std::string(day.status().message())};
    }
    *request.mutable_token()->mutable_expire_time() =
        ToTimestamp(absl::FromCivil(*day, absl::UTCTimeZone()));
  }
  request.set_request_id(RandomId());
  v1::CreateTokenResponse response;
  Check(client.tokens->CreateToken(client.Context().get(), request, &response));
  if (JsonOutput(args)) {
    std::cout << ToJson(response);
  } else {
    // The secret alone on stdout, so that scripts can capture it.
    std::cerr << "created " << response.token().name() << " (" << v1::Role_Name(role)
              << "); the secret below is shown once\n";
    std::cout << response.secret() << "\n";
  }
  return kOk;
}

int TokensList(const Args& args) {
  Client client(args);
  v1::ListTokensRequest request;
  request.set_parent(client.OrgName());
  request.set_page_size(1000);
  request.set_show_revoked(args.Has("show-revoked"));
  v1::ListTokensResponse all;
  while (true) {
    v1::ListTokensResponse page;
    Check(client.tokens->ListTokens(client.Context().get(), request, &page));
    for (auto& t : *page.mutable_tokens()) {
      *all.add_tokens() = std::move(t);
    }
    if (page.next_page_token().empty()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (JsonOutput(args)) {
    std::cout << ToJson(all);
  } else {
    PrintTokens({all.tokens().begin(), all.tokens().end()});
  }
  return kOk;
}

int TokensRevoke(const Args& args) {
  Client client(args);
  v1::RevokeTokenRequest request;
  const std::string& ref = args.positional[0];
  request.set_name(absl::StartsWith(ref, "organisations/")
                       ? ref
                       : absl::StrCat(client.OrgName(), "/tokens/", ref));
  v1::ApiToken token;
  Check(client.tokens->RevokeToken(client.Context().get(), request, &token));
  if (JsonOutput(args)) {
    std::cout << ToJson(token);
  } else {
    PrintTokens({token});
  }
  return kOk;
}

// ---------------------------------------------------------------- reports

v1::ReportRequest ReportOf(const Client& client, const std::string& plan, const std::string& as_of,
                           const std::string& published_at) {
  v1::ReportRequest request;
  request.set_plan(client.PlanName(plan));
  if (!as_of.empty()) {
    RequireDate("--as-of", as_of);
    request.set_as_of(as_of);
  }
  if (!published_at.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, published_at, &t, &error)) {
      throw UsageError{
          absl::StrCat("--published-at must be an RFC 3339 time such as "
                       "2018-04-30T12:00:00Z, got \"",
                       published_at, "\"")};
    }
    *request.mutable_published_at() = ToTimestamp(t);
  }
  return request;
}

int ReportRender(const Args& args) {
  const std::string kind = args.positional[0];
  std::string format = absl::AsciiStrToUpper(args.Get("format", "markdown"));
  v1::RenderReportRequest request;
  v1::ReportFormat parsed_format;
  if (!v1::ReportFormat_Parse(format, &parsed_format) ||
      parsed_format == v1::REPORT_FORMAT_UNSPECIFIED) {
    throw UsageError{absl::StrCat("--format must be markdown, html, csv or json, got \"",
                                  args.Get("format"), "\"")};
  }
  request.set_format(parsed_format);
  static const std::map<std::string, v1::Grouping> kGroupings = {
      {"directorate", v1::BY_DIRECTORATE},
      {"priority", v1::BY_PRIORITY},
      {"outcome", v1::BY_OUTCOME},
      {"lead-officer", v1::BY_LEAD_OFFICER},
      {"lead-member", v1::BY_LEAD_MEMBER}};
  if (kind != "progress" && (args.Has("group-by") || args.Has("subject"))) {
    throw UsageError{"--group-by and --subject are for progress reports"};
  }
  if (kind != "changes" && (args.Has("from") || args.Has("to"))) {
    throw UsageError{"--from and --to are for changes reports"};
  }
  Client client(args);
  const std::string& plan = args.positional[1];
  v1::ReportRequest report = ReportOf(client, plan, args.Get("as-of"), args.Get("published-at"));
  if (kind == "end-of-year") {
    *request.mutable_end_of_year() = report;
  } else if (kind == "deadline-revisions") {
    *request.mutable_deadline_revisions() = report;
  } else if (kind == "action-plan") {
    *request.mutable_action_plan() = report;
  } else if (kind == "progress") {
    auto* progress = request.mutable_progress();
    *progress->mutable_report() = report;
    if (args.Has("group-by")) {
      auto it = kGroupings.find(args.Get("group-by"));
      if (it == kGroupings.end()) {
        throw UsageError{
            absl::StrCat("--group-by must be directorate, priority, outcome, "
                         "lead-officer or lead-member, got \"",
                         args.Get("group-by"), "\"")};
      }
      progress->set_group_by(it->second);
    }
    std::string subject = args.Get("subject", "milestones");
    if (subject != "milestones" && subject != "activities") {
      throw UsageError{"--subject must be milestones or activities"};
    }
    progress->set_subject(subject == "activities" ? v1::ACTIVITIES : v1::MILESTONES);
  } else if (kind == "changes") {
    if (!args.Has("from") || !args.Has("to")) {
      throw UsageError{"changes reports need --from D and --to D"};
    }
    *request.mutable_changes()->mutable_from() = ReportOf(client, plan, args.Get("from"), "");
    *request.mutable_changes()->mutable_to() = ReportOf(client, plan, args.Get("to"), "");
  } else {
    throw UsageError{absl::StrCat("report \"", kind,
                                  "\" is not one of end-of-year, progress, deadline-revisions, "
                                  "action-plan, changes")};
  }
  v1::RenderedReport rendered;
  Check(client.reports->RenderReport(client.Context().get(), request, &rendered));
  if (args.Has("out")) {
    std::ofstream out(args.Get("out"), std::ios::binary);
    out << rendered.content();
    if (!out.flush()) {
      std::cerr << "error: " << args.Get("out") << ": cannot write\n";
      return kBadInput;
    }
    std::cerr << "wrote " << args.Get("out") << " (" << rendered.content_type() << ")\n";
  } else {
    std::cout << rendered.content();
  }
  return kOk;
}

// ---------------------------------------------------------------- commands

const char kGlobalHelp[] =
    "Global flags:\n"
    "  --token T       API token (default: $GT_TOKEN)\n"
    "  --addr H:P      gateway address (default: $GT_ADDR, else 127.0.0.1:50050)\n"
    "  --org ORG       organisation (default: $GT_ORG, else the one in the token)\n"
    "  --output F      table (default) or json\n"
    "  --help          this help\n"
    "Exit codes: 0 ok; 1 the server refused (its gRPC code and message are printed);\n"
    "  2 usage; 3 cannot connect; 4 an input file cannot be read or has unreadable rows.\n";

std::vector<Command> Commands() {
  return {
      {"plans list", "gtctl plans list", "The organisation's plans.", {}, 0, 0, PlansList},
      {"plans show",
       "gtctl plans show PLAN",
       "A plan's tree (priorities, outcomes, activities) with milestone counts.\n"
       "PLAN is a plan id (2017-18) or its full name.",
       {},
       1,
       1,
       PlansShow},
      {"milestones list",
       "gtctl milestones list PLAN [--status S[,S...]] [--overdue-at D] [--directorate X]",
       "A plan's milestones in document order. --overdue-at D: only those overdue at the\n"
       "close of day D (current deadline on or before D, not completed/deferred/cancelled).",
       {"status", "overdue-at", "directorate"},
       1,
       1,
       MilestonesList},
      {"milestones update",
       "gtctl milestones update MILESTONE --status S [--percent N] [--comment C] [--effective D]",
       "Posts progress (a history row). MILESTONE is its full name or PLAN/ID.\n"
       "S: NOT_STARTED, ON_TARGET, DELAYED (needs --comment), COMPLETED, DEFERRED, CANCELLED.\n"
       "--effective D: the date the update speaks for (default: now).",
       {"status", "percent", "comment", "effective"},
       1,
       1,
       MilestonesUpdate},
      {"milestones revise",
       "gtctl milestones revise MILESTONE --deadline D --reason R [--effective D]",
       "Revises the current deadline (the baseline never changes).",
       {"deadline", "reason", "effective"},
       1,
       1,
       MilestonesRevise},
      {"import",
       "gtctl import FILE... --plan ID [--org ORG] [--effective D] [--replace] [--dry-run]",
       "Imports a plan from source documents (the seed layouts; several are merged into\n"
       "one plan), from an interchange JSON document, or its milestones from a CSV\n"
       "(the plan must exist; see README). Lines of a document that cannot be placed are\n"
       "printed on stderr as FILE:LINE. An existing plan is refused (ALREADY_EXISTS)\n"
       "unless --replace. --dry-run validates on the server and shows what would be\n"
       "created, writing nothing. --effective D: the date the document's statuses speak\n"
       "for (default: now). A progress bar shows on stderr when it is a terminal.",
       {"plan", "effective", "replace", "dry-run", "revision-reason"},
       1,
       100,
       Import},
      {"export",
       "gtctl export PLAN [--format json|csv] [--out FILE]",
       "Writes a plan in the interchange format: json (the whole tree and its\n"
       "milestones, default) or csv (the milestones). Deterministic: the same plan\n"
       "state gives the same bytes.",
       {"format", "out"},
       1,
       1,
       Export},
      {"tokens create",
       "gtctl tokens create --role VIEWER|UPDATER|PLANNER|ADMIN --subject S [--display-name N] "
       "[--expires D]",
       "Creates an API token (ADMIN only); prints the secret, once, on stdout.",
       {"role", "subject", "display-name", "expires"},
       0,
       0,
       TokensCreate},
      {"tokens list",
       "gtctl tokens list [--show-revoked]",
       "The organisation's tokens.",
       {"show-revoked"},
       0,
       0,
       TokensList},
      {"report render",
       "gtctl report render end-of-year|progress|deadline-revisions|action-plan|changes PLAN "
       "[--format markdown|html|csv|json] [--as-of D] [--published-at T] [--out FILE]",
       "Renders a report of report-service to stdout (or --out FILE).\n"
       "--as-of D: the date the report speaks for (default: today); --published-at T\n"
       "(RFC 3339): only history recorded before T, the report exactly as published then.\n"
       "progress: [--group-by directorate|priority|outcome|lead-officer|lead-member]\n"
       "  [--subject milestones|activities]. changes: --from D --to D (instead of --as-of).",
       {"format", "as-of", "published-at", "group-by", "subject", "from", "to", "out"},
       2,
       2,
       ReportRender},
      {"tokens revoke",
       "gtctl tokens revoke TOKEN",
       "Revokes a token (its id or full name).",
       {},
       1,
       1,
       TokensRevoke},
  };
}

void PrintOverview(std::ostream& out, const std::vector<Command>& commands,
                   const std::string& prefix) {
  out << "Usage: gtctl COMMAND [flags]   (gtctl COMMAND --help for more)\n\nCommands:\n";
  for (const auto& c : commands) {
    if (absl::StartsWith(c.path, prefix)) {
      out << "  " << c.synopsis << "\n";
    }
  }
  out << "\n" << kGlobalHelp;
}

int Main(int argc, char** argv) {
  std::vector<std::string> words;
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--") && a.size() > 2) {
      std::string name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        args.flags[name.substr(0, eq)] = name.substr(eq + 1);
      } else if (kBoolFlags.count(name)) {
        args.flags[name] = "true";
      } else if (i + 1 < argc) {
        args.flags[name] = argv[++i];
      } else {
        std::cerr << "error: --" << name << " needs a value\n";
        return kUsage;
      }
    } else {
      words.push_back(a);
    }
  }
  const std::vector<Command> commands = Commands();
  // The longest command path that the leading words spell.
  const Command* command = nullptr;
  size_t used = 0;
  for (const auto& c : commands) {
    std::vector<std::string> path = absl::StrSplit(c.path, ' ');
    if (path.size() <= words.size() && std::equal(path.begin(), path.end(), words.begin()) &&
        path.size() > used) {
      command = &c;
      used = path.size();
    }
  }
  if (command == nullptr) {
    std::string prefix = words.empty() ? "" : words[0];
    bool known_group = false;
    for (const auto& c : commands) {
      if (!prefix.empty() && absl::StartsWith(c.path, prefix + " ")) {
        known_group = true;
      }
    }
    if (args.Has("help") && (words.empty() || known_group)) {
      PrintOverview(std::cout, commands, known_group ? prefix + " " : "");
      return kOk;
    }
    if (known_group) {
      std::cerr << "error: " << prefix << " needs a subcommand\n";
    } else if (!words.empty()) {
      std::cerr << "error: unknown command \"" << absl::StrJoin(words, " ") << "\"\n";
    }
    PrintOverview(std::cerr, commands, known_group ? prefix + " " : "");
    return kUsage;
  }
  if (args.Has("help")) {
    std::cout << "Usage: " << command->synopsis << "\n\n" << command->help << "\n\n" << kGlobalHelp;
    return kOk;
  }
  args.positional.assign(words.begin() + used, words.end());
  auto usage = [&](const std::string& message) {
    std::cerr << "error: " << message << "\nUsage: " << command->synopsis << "\n(gtctl "
              << command->path << " --help for more)\n";
    return kUsage;
  };
  for (const auto& [flag, value] : args.flags) {
    if (std::find(kGlobalFlags.begin(), kGlobalFlags.end(), flag) == kGlobalFlags.end() &&
        std::find(command->flags.begin(), command->flags.end(), flag) == command->flags.end()) {
      return usage(absl::StrCat("unknown flag --", flag));
    }
  }
  if (args.Has("output") && args.Get("output") != "json" && args.Get("output") != "table") {
    return usage("--output must be table or json");
  }
  if (args.positional.size() < command->min_positional ||
      args.positional.size() > command->max_positional) {
    return usage(args.positional.size() < command->min_positional ? "missing argument"
                                                                  : "too many arguments");
  }
  try {
    return command->run(args);
  } catch (const UsageError& e) {
    return usage(e.message);
  } catch (const Failure& f) {
    return f.code;
  }
}

}  // namespace
}  // namespace gt::gtctl

int main(int argc, char** argv) { return gt::gtctl::Main(argc, argv); }
