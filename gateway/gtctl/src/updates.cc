// gtctl updates apply: a progress round from a spreadsheet. Each row of an
// exported CSV is compared with its milestone's current state; every
// difference becomes what it is (a progress update, a deadline revision),
// appended to history by one BatchCreateMilestoneUpdates: all or nothing.
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli.h"
#include "gt/sql_util.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;
namespace iv1 = goldenthread::gtctl::v1;

namespace {

constexpr int kMaxItems = 5000;  // the server's batch limit

// What one row changes.
struct RowChange {
  int line = 0;
  std::string milestone;
  std::vector<std::string> described;  // "status ON_TARGET -> DELAYED", ...
  std::vector<v1::MilestoneChange> items;
};

std::string Shown(const std::string& s) { return s.empty() ? "(none)" : Truncate(s, 60); }

// The row's differences from the milestone's current state, or an error.
absl::StatusOr<RowChange> Compare(int line, const iv1::PlanMilestone& row, const v1::Milestone& m,
                                  const google::protobuf::Timestamp& effective) {
  RowChange change;
  change.line = line;
  change.milestone = m.name();
  // The etag speaks for the state read: a milestone changed since is refused
  // (ABORTED) rather than overwritten by a stale spreadsheet.
  bool first = true;
  auto item_etag = [&]() {
    std::string etag = first ? m.etag() : "";
    first = false;
    return etag;
  };
  if (!row.current_deadline().empty() && row.current_deadline() != m.current_deadline()) {
    if (absl::StripAsciiWhitespace(row.revision_reason()).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "current_deadline moves from ", Shown(m.current_deadline()), " to ",
          row.current_deadline(), ": revision_reason is required for a changed deadline"));
    }
    v1::MilestoneChange item;
    auto* r = item.mutable_revision();
    r->set_name(m.name());
    r->set_new_deadline(row.current_deadline());
    r->set_reason(row.revision_reason());
    *r->mutable_effective_at() = effective;
    r->set_etag(item_etag());
    change.items.push_back(std::move(item));
    change.described.push_back(absl::StrCat("deadline ", Shown(m.current_deadline()), " -> ",
                                            row.current_deadline(), " (",
                                            Truncate(row.revision_reason(), 60), ")"));
  }
  // A blank status keeps the current one.
  v1::MilestoneStatus status =
      row.status() == v1::MILESTONE_STATUS_UNSPECIFIED ? m.status() : row.status();
  int percent = status == v1::COMPLETED ? 100 : row.percent_complete();
  if (status != m.status() || percent != m.percent_complete() ||
      row.comment() != m.latest_comment()) {
    v1::MilestoneChange item;
    auto* p = item.mutable_progress();
    p->set_name(m.name());
    p->set_status(status);
    p->set_percent_complete(percent);
    p->set_comment(row.comment());
    *p->mutable_effective_at() = effective;
    p->set_etag(item_etag());
    change.items.push_back(std::move(item));
    if (status != m.status()) {
      change.described.push_back(
          absl::StrCat("status ", StatusName(m.status()), " -> ", StatusName(status)));
    }
    if (percent != m.percent_complete()) {
      change.described.push_back(absl::StrCat("% ", m.percent_complete(), " -> ", percent));
    }
    if (row.comment() != m.latest_comment()) {
      change.described.push_back(absl::StrCat("comment \"", Truncate(row.comment(), 60), "\""));
    }
  }
  return change;
}

// The index of the row a batch item came from.
int RowOfItem(const std::vector<RowChange>& changes, int item) {
  for (size_t r = 0; r < changes.size(); ++r) {
    item -= static_cast<int>(changes[r].items.size());
    if (item < 0) {
      return static_cast<int>(r);
    }
  }
  return -1;
}

// "requests[12].progress.comment: ..." -> 12; -1 when no item is named.
int NamedItem(const std::string& message) {
  const std::string kPrefix = "requests[";
  size_t at = message.find(kPrefix);
  if (at == std::string::npos) {
    return -1;
  }
  int n = -1;
  size_t end = message.find(']', at);
  if (end == std::string::npos ||
      !absl::SimpleAtoi(message.substr(at + kPrefix.size(), end - at - kPrefix.size()), &n)) {
    return -1;
  }
  return n;
}

}  // namespace

int UpdatesApply(const Args& args) {
  if (!args.Has("plan")) {
    throw UsageError{"--plan ID is required"};
  }
  const std::string path = args.positional[0];
  const std::string text = ReadFile(path);
  const bool dry_run = args.Has("dry-run");
  const bool partial = args.Has("partial");
  Client client(args);
  const std::string plan = client.PlanName(args.Get("plan"));
  const auto effective = ToTimestamp(Effective(args.Get("effective")));

  v1::PlanTree tree = GetTree(client, plan);
  auto read = ReadMilestonesCsv(text, tree);
  if (!read.ok()) {
    std::cerr << path << ":" << absl::StripPrefix(read.status().message(), "line ") << "\n";
    return kBadInput;
  }
  std::vector<std::string> errors = read->errors;
  v1::ListMilestonesRequest list;
  list.set_parent(plan);
  std::map<std::string, v1::Milestone> current;
  for (auto& m : AllMilestones(client, list)) {
    current.emplace(m.name(), std::move(m));
  }
  std::vector<RowChange> changes;
  std::set<std::string> seen;
  int unchanged = 0;
  for (const auto& [line, row] : read->rows) {
    auto error = [&, line = line](const std::string& what) {
      errors.push_back(absl::StrCat("line ", line, ": ", what));
    };
    if (row.name().empty()) {
      error(
          "milestone is empty: updates apply changes milestones that exist (export the plan "
          "to get their ids; new milestones come with import --replace)");
      continue;
    }
    auto m = current.find(row.name());
    if (m == current.end()) {
      error(absl::StrCat("milestone ", row.name(), " is not a live milestone of ", plan));
      continue;
    }
    if (!seen.insert(row.name()).second) {
      error(absl::StrCat("milestone ", row.name(), " is on an earlier line too"));
      continue;
    }
    auto change = Compare(line, row, m->second, effective);
    if (!change.ok()) {
      error(std::string(change.status().message()));
      continue;
    }
    if (change->items.empty()) {
      ++unchanged;
      continue;
    }
    changes.push_back(*std::move(change));
  }
  for (const auto& e : errors) {
    std::cerr << path << ":" << absl::StripPrefix(e, "line ") << "\n";
  }
  if (!errors.empty() && !partial) {
    std::cerr << "error: " << errors.size() << " row(s) cannot be applied; nothing written "
              << "(fix them, or pass --partial to write the other rows)\n";
    return kBadInput;
  }

  // One batch, all or nothing; with --partial, rows the server refuses are
  // dropped (each said on stderr) and the rest sent again.
  while (true) {
    v1::BatchCreateMilestoneUpdatesRequest batch;
    batch.set_parent(plan);
    for (const auto& c : changes) {
      for (const auto& item : c.items) {
        *batch.add_requests() = item;
      }
    }
    if (batch.requests_size() == 0) {
      std::cout << "no changes: " << unchanged << " row(s) match their milestones"
                << (errors.empty() ? "" : absl::StrCat(", ", errors.size(), " refused")) << "\n";
      return errors.empty() ? kOk : kBadInput;
    }
    if (batch.requests_size() > kMaxItems) {
      std::cerr << "error: " << batch.requests_size() << " changes; one round may hold at most "
                << kMaxItems << " (split the file)\n";
      return kBadInput;
    }
    batch.set_validate_only(dry_run);
    if (!dry_run) {
      batch.set_request_id(ContentRequestId("apply", batch));
    }
    v1::BatchCreateMilestoneUpdatesResponse response;
    grpc::Status status = client.Call(
        [&](grpc::ClientContext* c) {
          return client.milestones->BatchCreateMilestoneUpdates(c, batch, &response);
        },
        Client::Resend::kWhenUnknown, absl::Minutes(5));
    int item = status.ok() ? -1 : NamedItem(status.error_message());
    int row = item < 0 ? -1 : RowOfItem(changes, item);
    if (!status.ok() && row >= 0 &&
        (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
         status.error_code() == grpc::StatusCode::ABORTED ||
         status.error_code() == grpc::StatusCode::NOT_FOUND)) {
      std::cerr << path << ":" << changes[row].line << ": " << status.error_message() << "\n";
      if (!partial) {
        std::cerr << "error: refused by the server; nothing written\n";
        return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? kBadInput : kRefused;
      }
      errors.push_back(status.error_message());
      changes.erase(changes.begin() + row);
      continue;
    }
    Check(status);
    int revisions = 0;
    for (const auto& u : response.updates()) {
      revisions += u.kind() == v1::DEADLINE_REVISION ? 1 : 0;
    }
    if (JsonOutput(args)) {
      std::cout << ToJson(response);
    } else {
      for (const auto& c : changes) {
        std::cout << path << ":" << c.line << ": " << LastSegment(c.milestone) << ": "
                  << absl::StrJoin(c.described, "; ") << "\n";
      }
      std::cout << (dry_run ? "dry run: nothing written. Would append " : "appended ")
                << response.updates_size() << " history row(s) to " << changes.size()
                << " milestone(s): " << response.updates_size() - revisions
                << " progress update(s), " << revisions << " deadline revision(s); " << unchanged
                << " row(s) unchanged"
                << (errors.empty() ? "" : absl::StrCat("; ", errors.size(), " row(s) refused"))
                << "\n";
    }
    return errors.empty() ? kOk : kBadInput;
  }
}

}  // namespace gt::gtctl
