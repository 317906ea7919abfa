// gtctl periods create|quarters|list|open|review|cancel|publish, due,
// approve, return, pack get: the monitoring round (issue 18).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli.h"
#include "gt/sha256.h"
#include "gt/timestamps.h"
#include "interchange.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

// A period's id ("2017-18-q2") under PLAN, or its full name.
std::string PeriodName(const Client& client, const std::string& plan, const std::string& ref) {
  return absl::StartsWith(ref, "organisations/")
             ? ref
             : absl::StrCat(client.PlanName(plan), "/periods/", ref);
}

// An update's full name, or "PLAN/MILESTONE/UPDATE" ("2017-18/42/1234").
std::string UpdateName(const Client& client, const std::string& ref) {
  if (absl::StartsWith(ref, "organisations/")) {
    return ref;
  }
  std::vector<std::string> parts = absl::StrSplit(ref, '/');
  if (parts.size() != 3) {
    throw UsageError{absl::StrCat(
        "UPDATE must be a full update name or PLAN/MILESTONE/UPDATE (e.g. 2017-18/42/1234), got \"",
        ref, "\"")};
  }
  return absl::StrCat(client.PlanName(parts[0]), "/milestones/", parts[1], "/updates/", parts[2]);
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) {
    return "-";
  }
  return absl::FormatTime("%Y-%m-%d %H:%M", FromTimestamp(t), absl::UTCTimeZone());
}

void PrintPeriods(const std::vector<v1::Period>& periods) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : periods) {
    rows.push_back({LastSegment(p.name()), v1::Period::State_Name(p.state()), p.start_date(),
                    p.as_of(), p.due_date(), p.approval_required() ? "yes" : "no",
                    Time(p.publish_time()), Truncate(p.title(), 40)});
  }
  PrintTable({"ID", "STATE", "START", "AS OF", "DUE", "APPROVAL", "PUBLISHED", "TITLE"}, rows);
}

v1::Period Transition(const Args& args,
                      grpc::Status (v1::MilestoneService::Stub::*method)(
                          grpc::ClientContext*, const v1::PeriodTransitionRequest&, v1::Period*)) {
  Client client(args);
  v1::PeriodTransitionRequest request;
  request.set_name(PeriodName(client, args.positional[0], args.positional[1]));
  request.set_reason(args.Get("reason"));
  v1::Period period;
  // Not resent when the outcome is unknown: a transition has no request id.
  Check(client.Call(
      [&](grpc::ClientContext* c) {
        return (client.milestones.get()->*method)(c, request, &period);
      },
      Client::Resend::kWhenRefused));
  return period;
}

int PrintPeriod(const Args& args, const v1::Period& period) {
  if (JsonOutput(args)) {
    std::cout << ToJson(period);
  } else {
    PrintPeriods({period});
  }
  return kOk;
}

}  // namespace

int PeriodsCreate(const Args& args) {
  for (const char* flag : {"start", "as-of", "due", "title"}) {
    if (!args.Has(flag)) {
      throw UsageError{"--start, --as-of, --due and --title are required"};
    }
  }
  RequireDate("--start", args.Get("start"));
  RequireDate("--as-of", args.Get("as-of"));
  RequireDate("--due", args.Get("due"));
  Client client(args);
  v1::CreatePeriodRequest request;
  request.set_parent(client.PlanName(args.positional[0]));
  request.set_period_id(args.positional[1]);
  request.mutable_period()->set_title(args.Get("title"));
  request.mutable_period()->set_start_date(args.Get("start"));
  request.mutable_period()->set_as_of(args.Get("as-of"));
  request.mutable_period()->set_due_date(args.Get("due"));
  request.mutable_period()->set_approval_required(args.Has("require-approval"));
  request.set_request_id(ContentRequestId("period", request));
  v1::Period period;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->CreatePeriod(c, request, &period);
  }));
  return PrintPeriod(args, period);
}

int PeriodsQuarters(const Args& args) {
  int due_days = 14;
  if (args.Has("due-days") && !absl::SimpleAtoi(args.Get("due-days"), &due_days)) {
    throw UsageError{
        absl::StrCat("--due-days must be a whole number, got \"", args.Get("due-days"), "\"")};
  }
  Client client(args);
  v1::CreateQuarterlyPeriodsRequest request;
  request.set_parent(client.PlanName(args.positional[0]));
  request.set_due_days_after(due_days);
  request.set_approval_required(args.Has("require-approval"));
  request.set_request_id(ContentRequestId("quarters", request));
  v1::CreateQuarterlyPeriodsResponse response;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->CreateQuarterlyPeriods(c, request, &response);
  }));
  if (JsonOutput(args)) {
    std::cout << ToJson(response);
  } else {
    PrintPeriods({response.periods().begin(), response.periods().end()});
  }
  return kOk;
}

int PeriodsList(const Args& args) {
  Client client(args);
  v1::ListPeriodsRequest request;
  request.set_parent(client.PlanName(args.positional[0]));
  request.set_page_size(1000);
  v1::ListPeriodsResponse all;
  EachPage<v1::ListPeriodsResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.milestones->ListPeriods(c, r, page);
      },
      [&](v1::ListPeriodsResponse& page) {
        for (auto& p : *page.mutable_periods()) {
          *all.add_periods() = std::move(p);
        }
      });
  if (JsonOutput(args)) {
    std::cout << ToJson(all);
  } else {
    PrintPeriods({all.periods().begin(), all.periods().end()});
  }
  return kOk;
}

int PeriodsOpen(const Args& args) {
  return PrintPeriod(args, Transition(args, &v1::MilestoneService::Stub::OpenPeriod));
}

int PeriodsReview(const Args& args) {
  return PrintPeriod(args, Transition(args, &v1::MilestoneService::Stub::StartPeriodReview));
}

int PeriodsCancel(const Args& args) {
  if (!args.Has("reason")) {
    throw UsageError{"--reason is required: say why the period is cancelled"};
  }
  return PrintPeriod(args, Transition(args, &v1::MilestoneService::Stub::CancelPeriod));
}

int PeriodsPublish(const Args& args) {
  Client client(args);
  v1::PublishPeriodRequest request;
  request.set_name(PeriodName(client, args.positional[0], args.positional[1]));
  // The same id for the same period: a publication cut off and run again is
  // answered by the first one, never made twice.
  request.set_request_id(ContentRequestId("publish", request));
  v1::Period period;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.reports->PublishPeriod(c, request, &period); },
      Client::Resend::kWhenUnknown, absl::Minutes(5)));
  if (!JsonOutput(args)) {
    std::cerr << "published " << period.name() << "; pack sha256 " << period.pack_sha256() << "\n";
  }
  return PrintPeriod(args, period);
}

int Due(const Args& args) {
  Client client(args);
  v1::ListDueUpdatesRequest request;
  request.set_parent(PeriodName(client, args.positional[0], args.positional[1]));
  for (const std::string& s : args.GetAll("state")) {
    v1::DueState state;
    if (!v1::DueState_Parse(absl::AsciiStrToUpper(s), &state) ||
        state == v1::DUE_STATE_UNSPECIFIED) {
      throw UsageError{absl::StrCat(
          "--state must be MISSING, SUBMITTED, RETURNED or APPROVED, got \"", s, "\"")};
    }
    request.add_states(state);
  }
  request.set_directorate(args.Get("directorate"));
  request.set_lead_officer(args.Get("lead-officer"));
  if (args.Has("stale-days")) {
    int days = 0;
    if (!absl::SimpleAtoi(args.Get("stale-days"), &days)) {
      throw UsageError{absl::StrCat("--stale-days must be a whole number, got \"",
                                    args.Get("stale-days"), "\"")};
    }
    request.set_stale_days(days);
  }
  request.set_page_size(5000);
  v1::ListDueUpdatesResponse all;
  EachPage<v1::ListDueUpdatesResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.milestones->ListDueUpdates(c, r, page);
      },
      [&](v1::ListDueUpdatesResponse& page) {
        for (auto& d : *page.mutable_due()) {
          *all.add_due() = std::move(d);
        }
        *all.mutable_counts() = page.counts();
        all.set_total(page.total());
      });
  if (JsonOutput(args)) {
    std::cout << ToJson(all);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : all.due()) {
    rows.push_back({LastSegment(d.milestone()), v1::DueState_Name(d.state()), d.directorate(),
                    Truncate(d.lead_officer(), 30), Truncate(d.title(), 50),
                    d.update().empty() ? "-" : LastSegment(d.update()),
                    d.has_last_update_time() ? absl::StrCat(d.days_since_update()) : "never",
                    Truncate(d.return_reason(), 40)});
  }
  PrintTable({"ID", "STATE", "DIRECTORATE", "LEAD OFFICER", "TITLE", "UPDATE", "DAYS SINCE",
              "RETURNED BECAUSE"},
             rows);
  std::vector<std::vector<std::string>> counts;
  for (const auto& c : all.counts()) {
    counts.push_back({c.directorate().empty() ? "-" : c.directorate(), v1::DueState_Name(c.state()),
                      absl::StrCat(c.milestones())});
  }
  std::cout << "\n";
  PrintTable({"DIRECTORATE", "STATE", "MILESTONES"}, counts);
  std::cout << all.total() << " due\n";
  return kOk;
}

namespace {

int Review(const Args& args, v1::ReviewAction action) {
  Client client(args);
  v1::ReviewUpdateRequest request;
  request.set_name(UpdateName(client, args.positional[0]));
  request.set_action(action);
  request.set_reason(args.Get("reason"));
  request.set_request_id(RandomId());
  v1::UpdateReview review;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->ReviewUpdate(c, request, &review);
  }));
  if (JsonOutput(args)) {
    std::cout << ToJson(review);
  } else {
    std::cout << v1::ReviewAction_Name(review.action()) << " " << review.update() << " ("
              << review.period() << ") by " << review.reviewed_by() << "\n";
  }
  return kOk;
}

}  // namespace

int Approve(const Args& args) { return Review(args, v1::APPROVE); }

int Return(const Args& args) {
  if (!args.Has("reason")) {
    throw UsageError{"--reason is required: say what the officer must change"};
  }
  return Review(args, v1::RETURN);
}

int PackGet(const Args& args) {
  Client client(args);
  v1::GetPeriodPackRequest request;
  request.set_name(PeriodName(client, args.positional[0], args.positional[1]));
  v1::PeriodPack manifest;
  Check(client.Call([&](grpc::ClientContext* c) {
    return client.milestones->GetPeriodPack(c, request, &manifest);
  }));
  const std::filesystem::path dir = args.Get("out", ".");
  std::filesystem::create_directories(dir);
  std::string lines;
  for (const v1::PackFile& f : manifest.files()) {
    request.set_filename(f.filename());
    v1::PeriodPack one;
    Check(client.Call([&](grpc::ClientContext* c) {
      return client.milestones->GetPeriodPack(c, request, &one);
    }));
    const std::string& content = one.files(0).content();
    if (Sha256Hex(content) != f.sha256()) {
      std::cerr << f.filename() << ": the bytes received do not match the stored SHA-256\n";
      return kRefused;
    }
    std::ofstream out(dir / f.filename(), std::ios::binary);
    out << content;
    if (!out) {
      std::cerr << "cannot write " << (dir / f.filename()).string() << "\n";
      return kBadInput;
    }
    absl::StrAppend(&lines, f.sha256(), "  ", f.filename(), "\n");
  }
  // The manifest: `sha256sum -c SHA256SUMS` in the directory checks the files.
  std::ofstream(dir / "SHA256SUMS", std::ios::binary) << lines;
  if (Sha256Hex(lines) != manifest.sha256()) {
    std::cerr << "the files do not add up to the pack's SHA-256 " << manifest.sha256() << "\n";
    return kRefused;
  }
  std::cerr << manifest.files_size() << " files of " << manifest.period() << " written to "
            << dir.string() << "; pack sha256 " << manifest.sha256()
            << " (the SHA-256 of SHA256SUMS)\n";
  return kOk;
}

}  // namespace gt::gtctl
