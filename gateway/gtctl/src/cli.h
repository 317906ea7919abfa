// Shared pieces of gtctl: the parsed command line, exit codes, output
// helpers, and the connection to the gateway with its call helpers. Each
// command group lives in its own .cc file; gtctl_main.cc dispatches.
#ifndef GATEWAY_GTCTL_SRC_CLI_H_
#define GATEWAY_GTCTL_SRC_CLI_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "goldenthread/v1/report.grpc.pb.h"
#include "goldenthread/v1/token.grpc.pb.h"

namespace gt::gtctl {

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
  // The last value of each flag.
  std::map<std::string, std::string> flags;
  // Every value of each flag, in order ("--alias A --alias B").
  std::map<std::string, std::vector<std::string>> all_values;
  bool Has(const std::string& f) const { return flags.count(f) > 0; }
  std::string Get(const std::string& f, const std::string& fallback = "") const {
    auto it = flags.find(f);
    return it == flags.end() ? fallback : it->second;
  }
  std::vector<std::string> GetAll(const std::string& f) const {
    auto it = all_values.find(f);
    return it == all_values.end() ? std::vector<std::string>{} : it->second;
  }
};

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

bool JsonOutput(const Args& args);
// At most max_chars UTF-8 characters, then "..." when cut.
std::string Truncate(const std::string& s, size_t max_chars);
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);
std::string StatusName(goldenthread::v1::MilestoneStatus s);
std::string LastSegment(const std::string& name);

// ---------------------------------------------------------------- connection

class Client {
 public:
  explicit Client(const Args& args);

  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = absl::Seconds(60)) const;

  // What may be sent again when the first answer says nothing was done, or
  // leaves it unknown.
  enum class Resend {
    // RESOURCE_EXHAUSTED (the gateway's rate limit: nothing was done) only.
    kWhenRefused,
    // Also UNAVAILABLE and DEADLINE_EXCEEDED: for reads, and for writes that
    // carry a request_id (the server settles a repeat exactly once).
    kWhenUnknown,
  };
  // One call, `call(context)`, sent again with a fresh context (the same
  // request, so the same request ids) as `resend` allows: after the
  // retry-after-ms the gateway gave, or a growing pause, for up to
  // --retry_seconds (300) in all. A bulk command is then never cut in the
  // middle by the rate limit. The last answer is returned.
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                    Resend resend = Resend::kWhenUnknown,
                    absl::Duration timeout = absl::Seconds(60)) const;

  const std::string& org() const;
  std::string OrgName() const;
  std::string PlanName(const std::string& ref) const;
  // "organisations/o/plans/p/milestones/7" or "p/7".
  std::string MilestoneName(const std::string& ref) const;

  std::unique_ptr<goldenthread::v1::PlanService::Stub> plans;
  std::unique_ptr<goldenthread::v1::MilestoneService::Stub> milestones;
  std::unique_ptr<goldenthread::v1::TokenService::Stub> tokens;
  std::unique_ptr<goldenthread::v1::ReportService::Stub> reports;

 private:
  std::string addr_, token_, org_;
  absl::Duration retry_for_ = absl::Seconds(300);
  std::shared_ptr<grpc::Channel> channel_;
};

// Exits with 1 (or 3 when the server is unreachable) on a failed call.
void Check(const grpc::Status& status);

// Every page of a List call, in order: `list(context, request, &page)` makes
// the call (sent again as Client::Call allows), `take(page)` gets each page.
// Exits as Check does when a page fails.
template <typename Response, typename Request, typename List, typename Take>
void EachPage(const Client& client, Request request, List list, Take take) {
  while (true) {
    Response page;
    Check(client.Call([&](grpc::ClientContext* c) { return list(c, request, &page); }));
    take(page);
    if (page.next_page_token().empty()) {
      return;
    }
    request.set_page_token(page.next_page_token());
  }
}
std::string RandomId();
// "<kind>-<hash>": the same request (request_id aside) gets the same id, so a
// bulk command run again after any failure is settled once by the server,
// and a changed file or plan state (etags) gets a new one.
std::string ContentRequestId(const std::string& kind, const google::protobuf::Message& request);
// D -> the end of day D (UTC), not later than now; empty -> now.
absl::Time Effective(const std::string& flag);
goldenthread::v1::MilestoneStatus ParseStatus(const std::string& text);
void RequireDate(const std::string& flag, const std::string& value);
std::string ReadFile(const std::string& path);
std::vector<goldenthread::v1::Milestone> AllMilestones(
    const Client& client, goldenthread::v1::ListMilestonesRequest request);
goldenthread::v1::PlanTree GetTree(const Client& client, const std::string& plan);

// ---------------------------------------------------------------- commands

// plans.cc
int PlansList(const Args& args);
int PlansShow(const Args& args);
int MilestonesList(const Args& args);
int MilestonesUpdate(const Args& args);
int MilestonesRevise(const Args& args);
// import_export.cc
int Import(const Args& args);
// Milestone name -> the reason of its latest deadline revision.
std::map<std::string, std::string> LatestRevisionReasons(const Client& client,
                                                         const std::string& plan);
int Export(const Args& args);
// directorates.cc
// The organisation's directorate table, every page.
std::vector<goldenthread::v1::Directorate> AllDirectorates(const Client& client);
// updates.cc
int UpdatesApply(const Args& args);
// tokens.cc
int TokensCreate(const Args& args);
int TokensList(const Args& args);
int TokensGet(const Args& args);
int TokensRevoke(const Args& args);
// report.cc
int ReportRender(const Args& args);
// periods.cc
int PeriodsCreate(const Args& args);
int PeriodsQuarters(const Args& args);
int PeriodsList(const Args& args);
int PeriodsOpen(const Args& args);
int PeriodsReview(const Args& args);
int PeriodsCancel(const Args& args);
int PeriodsPublish(const Args& args);
int Due(const Args& args);
int Approve(const Args& args);
int Return(const Args& args);
int PackGet(const Args& args);
// directorates.cc
int DirectoratesList(const Args& args);
int DirectoratesSet(const Args& args);
int DirectoratesDelete(const Args& args);

}  // namespace gt::gtctl

#endif  // GATEWAY_GTCTL_SRC_CLI_H_
