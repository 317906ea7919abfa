#include "cli.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gt/dates.h"
#include "gt/sha256.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;

namespace {

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

}  // namespace

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

Client::Client(const Args& args) {
  const char* env_addr = std::getenv("GT_ADDR");
  addr_ = args.Get("addr", env_addr != nullptr && *env_addr ? env_addr : "127.0.0.1:50050");
  const char* env_token = std::getenv("GT_TOKEN");
  token_ = args.Get("token", env_token != nullptr ? env_token : "");
  if (token_.empty()) {
    throw UsageError{"no token: set GT_TOKEN or pass --token"};
  }
  int retry_seconds = 300;
  if (args.Has("retry_seconds") && !absl::SimpleAtoi(args.Get("retry_seconds"), &retry_seconds)) {
    throw UsageError{"--retry_seconds must be a number of seconds"};
  }
  retry_for_ = absl::Seconds(std::max(0, retry_seconds));
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

grpc::Status Client::Call(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                          Resend resend, absl::Duration timeout) const {
  const absl::Time give_up = absl::Now() + retry_for_;
  absl::Duration pause = absl::Milliseconds(100);
  while (true) {
    auto context = Context(timeout);
    grpc::Status status = call(context.get());
    grpc::StatusCode code = status.error_code();
    bool again = code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
                 (resend == Resend::kWhenUnknown && (code == grpc::StatusCode::UNAVAILABLE ||
                                                     code == grpc::StatusCode::DEADLINE_EXCEEDED));
    if (!again || absl::Now() >= give_up) {
      return status;
    }
    absl::Duration wait = pause;
    const auto& trailers = context->GetServerTrailingMetadata();
    auto it = trailers.find("retry-after-ms");
    int64_t ms = 0;
    if (it != trailers.end() &&
        absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()), &ms) && ms > 0) {
      wait = absl::Milliseconds(ms);
    } else {
      pause = std::min(pause * 2, absl::Seconds(5));
    }
    std::cerr << "gtctl: " << absl::StatusCodeToString(static_cast<absl::StatusCode>(code))
              << ", sending again in " << absl::FormatDuration(wait) << "\n";
    absl::SleepFor(std::min(wait, std::max(give_up - absl::Now(), absl::ZeroDuration())));
  }
}

std::unique_ptr<grpc::ClientContext> Client::Context(absl::Duration timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context->AddMetadata("authorization", "Bearer " + token_);
  return context;
}

const std::string& Client::org() const {
  if (org_.empty()) {
    throw UsageError{"no organisation: pass --org (or set GT_ORG)"};
  }
  return org_;
}

std::string Client::OrgName() const { return absl::StrCat("organisations/", org()); }

std::string Client::PlanName(const std::string& ref) const {
  return absl::StartsWith(ref, "organisations/") ? ref : absl::StrCat(OrgName(), "/plans/", ref);
}

std::string Client::MilestoneName(const std::string& ref) const {
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

std::string ContentRequestId(const std::string& kind, const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> body(request.New());
  body->CopyFrom(request);
  if (const auto* field = body->GetDescriptor()->FindFieldByName("request_id")) {
    body->GetReflection()->ClearField(body.get(), field);
  }
  std::string bytes;
  body->SerializePartialToString(&bytes);
  return absl::StrCat(kind, "-", Sha256Hex(bytes).substr(0, 32));
}

std::string ReadFile(const std::string& path) {
  // Plans and progress rounds are a few MB at most; a larger file is not one.
  constexpr std::streamoff kMaxBytes = 20 << 20;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    std::cerr << "error: " << path << ": cannot read\n";
    throw Failure{kBadInput};
  }
  if (std::streamoff size = in.tellg(); size > kMaxBytes) {
    std::cerr << "error: " << path << ": " << size / (1 << 20)
              << " MiB; an input file may be at most 20 MiB (split it)\n";
    throw Failure{kBadInput};
  }
  in.seekg(0);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<v1::Milestone> AllMilestones(const Client& client, v1::ListMilestonesRequest request) {
  std::vector<v1::Milestone> out;
  request.set_page_size(1000);
  EachPage<v1::ListMilestonesResponse>(
      client, request,
      [&](grpc::ClientContext* c, const auto& r, auto* page) {
        return client.milestones->ListMilestones(c, r, page);
      },
      [&](v1::ListMilestonesResponse& page) {
        for (auto& m : *page.mutable_milestones()) {
          out.push_back(std::move(m));
        }
      });
  return out;
}

v1::PlanTree GetTree(const Client& client, const std::string& plan) {
  v1::GetPlanTreeRequest request;
  request.set_name(plan);
  v1::PlanTree tree;
  Check(client.Call(
      [&](grpc::ClientContext* c) { return client.plans->GetPlanTree(c, request, &tree); }));
  return tree;
}

}  // namespace gt::gtctl
