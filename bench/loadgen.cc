// gt-loadgen: fixed concurrency, fixed duration gRPC load with a latency
// histogram, on the callback API (no thread per caller). Calls that fail are
// counted by code, never as throughput (h2load would count them as success).
//
//   gt-loadgen --target=127.0.0.1:50050 --token=T --call=update_progress
//       --plan=organisations/bench/plans/p --concurrency=32 --seconds=10
//
// Prints one JSON object: calls, ok, errors by code, throughput (ok/s), p50,
// p90, p99, max (milliseconds).
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "goldenthread/v1/milestone.grpc.pb.h"
#include "goldenthread/v1/plan.grpc.pb.h"
#include "goldenthread/v1/report.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50050", "Address to load");
ABSL_FLAG(std::string, token, "", "Bearer token (through the gateway)");
ABSL_FLAG(std::string, call, "update_progress",
          "update_progress | get_plan_tree | list_milestones | end_of_year | progress_report");
ABSL_FLAG(std::string, plan, "", "Plan name the calls are about");
ABSL_FLAG(int, concurrency, 32, "Calls in flight at all times");
ABSL_FLAG(double, seconds, 10, "Measured duration");
ABSL_FLAG(double, warmup_seconds, 2, "Unmeasured warm-up before it");
ABSL_FLAG(int, channels, 4, "Channels (connections) the callers share");
ABSL_FLAG(double, report_slow_ms, 0,
          "Print to stderr when each call slower than this started and ended (0: never)");
ABSL_FLAG(std::string, as_of, "2018-03-31", "as_of for reports");

namespace v1 = goldenthread::v1;

namespace {

struct Stats {
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::map<std::string, int64_t> errors;
  int64_t ok = 0;
};

class Load {
 public:
  Load(std::vector<std::shared_ptr<grpc::Channel>> channels, std::vector<std::string> milestones)
      : channels_(std::move(channels)), milestones_(std::move(milestones)) {
    for (auto& c : channels_) {
      milestone_stubs_.push_back(v1::MilestoneService::NewStub(c));
      plan_stubs_.push_back(v1::PlanService::NewStub(c));
      report_stubs_.push_back(v1::ReportService::NewStub(c));
    }
  }

  void Run(int concurrency, absl::Duration warmup, absl::Duration measured) {
    measure_from_ = absl::Now() + warmup;
    stop_at_ = measure_from_ + measured;
    for (int i = 0; i < concurrency; ++i) {
      Issue(i);
    }
    std::unique_lock<std::mutex> lock(done_mu_);
    done_cv_.wait(lock, [&] { return active_ == 0; });
  }

  Stats& stats() { return stats_; }

 private:
  struct Call {
    grpc::ClientContext context;
    absl::Time start;
    v1::UpdateMilestoneProgressRequest progress;
    v1::Milestone milestone;
    v1::GetPlanTreeRequest tree_request;
    v1::PlanTree tree;
    v1::ListMilestonesRequest list_request;
    v1::ListMilestonesResponse list;
    v1::ReportRequest report_request;
    v1::EndOfYearReport end_of_year;
    v1::ProgressReportRequest progress_request;
    v1::ProgressReport progress_report;
  };

  void Issue(int caller) {
    if (absl::Now() >= stop_at_) {
      std::lock_guard<std::mutex> lock(done_mu_);
      if (--active_ == 0) {
        done_cv_.notify_all();
      }
      return;
    }
    {
      std::lock_guard<std::mutex> lock(done_mu_);
      if (!started_[caller]) {
        started_[caller] = true;
        ++active_;
      }
    }
    auto call = std::make_shared<Call>();
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    const std::string& token = absl::GetFlag(FLAGS_token);
    if (!token.empty()) {
      call->context.AddMetadata("authorization", "Bearer " + token);
    }
    uint64_t n = counter_.fetch_add(1);
    size_t channel = n % channels_.size();
    auto done = [this, call, caller](grpc::Status status) {
      absl::Time end = absl::Now();
      double slow_ms = absl::GetFlag(FLAGS_report_slow_ms);
      if (slow_ms > 0 && end - call->start > absl::Milliseconds(slow_ms)) {
        std::cerr << absl::StrFormat(
            "slow call: %.3f ms, started %s, code %d\n",
            absl::ToDoubleMilliseconds(end - call->start),
            absl::FormatTime("%H:%M:%E6S", call->start, absl::UTCTimeZone()), status.error_code());
      }
      if (call->start >= measure_from_ && end <= stop_at_) {
        std::lock_guard<std::mutex> lock(stats_.mu);
        if (status.ok()) {
          stats_.ok++;
          stats_.latencies_ms.push_back(absl::ToDoubleMilliseconds(end - call->start));
        } else {
          stats_.errors[absl::StrCat(status.error_code(), ": ",
                                     status.error_message().substr(0, 80))]++;
        }
      }
      Issue(caller);
    };
    call->start = absl::Now();
    const std::string& kind = absl::GetFlag(FLAGS_call);
    if (kind == "update_progress") {
      auto& r = call->progress;
      r.set_name(milestones_[n % milestones_.size()]);
      r.set_status(n % 3 == 0 ? v1::DELAYED : v1::ON_TARGET);
      r.set_percent_complete(static_cast<int>(n % 100));
      r.set_comment(absl::StrCat("bench update ", n));
      r.set_request_id(absl::StrCat("bench-", run_id_, "-", n));
      milestone_stubs_[channel]->async()->UpdateMilestoneProgress(&call->context, &r,
                                                                  &call->milestone, done);
    } else if (kind == "get_plan_tree") {
      call->tree_request.set_name(absl::GetFlag(FLAGS_plan));
      plan_stubs_[channel]->async()->GetPlanTree(&call->context, &call->tree_request, &call->tree,
                                                 done);
    } else if (kind == "list_milestones") {
      call->list_request.set_parent(absl::GetFlag(FLAGS_plan));
      call->list_request.set_page_size(1000);
      milestone_stubs_[channel]->async()->ListMilestones(&call->context, &call->list_request,
                                                         &call->list, done);
    } else if (kind == "end_of_year") {
      call->report_request.set_plan(absl::GetFlag(FLAGS_plan));
      call->report_request.set_as_of(absl::GetFlag(FLAGS_as_of));
      report_stubs_[channel]->async()->GetEndOfYearReport(&call->context, &call->report_request,
                                                          &call->end_of_year, done);
    } else {
      call->progress_request.mutable_report()->set_plan(absl::GetFlag(FLAGS_plan));
      call->progress_request.mutable_report()->set_as_of(absl::GetFlag(FLAGS_as_of));
      call->progress_request.set_group_by(v1::BY_DIRECTORATE);
      report_stubs_[channel]->async()->GetProgressReport(&call->context, &call->progress_request,
                                                         &call->progress_report, done);
    }
  }

  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::MilestoneService::Stub>> milestone_stubs_;
  std::vector<std::unique_ptr<v1::PlanService::Stub>> plan_stubs_;
  std::vector<std::unique_ptr<v1::ReportService::Stub>> report_stubs_;
  std::vector<std::string> milestones_;
  std::atomic<uint64_t> counter_{0};
  const int64_t run_id_ = absl::ToUnixMicros(absl::Now());
  absl::Time measure_from_;
  absl::Time stop_at_;
  Stats stats_;
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  std::map<int, bool> started_;
  int active_ = 0;
};

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  size_t i = std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  // As the services do (gt::SkipMutexDeadlockDetection): Debian's abseil
  // keeps deadlock detection on, a cost of gRPC's mutexes on every call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::ParseCommandLine(argc, argv);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < absl::GetFlag(FLAGS_channels); ++i) {
    grpc::ChannelArguments args;
    // Distinct channels, not one shared subchannel.
    args.SetInt("gt.loadgen.channel", i);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target),
                                                 grpc::InsecureChannelCredentials(), args));
  }
  std::vector<std::string> milestones;
  if (absl::GetFlag(FLAGS_call) == "update_progress") {
    // The milestones to spread updates over: the whole plan.
    auto stub = v1::MilestoneService::NewStub(channels[0]);
    v1::ListMilestonesRequest list;
    list.set_parent(absl::GetFlag(FLAGS_plan));
    list.set_page_size(1000);
    do {
      grpc::ClientContext context;
      if (!absl::GetFlag(FLAGS_token).empty()) {
        context.AddMetadata("authorization", "Bearer " + absl::GetFlag(FLAGS_token));
      }
      v1::ListMilestonesResponse page;
      grpc::Status status = stub->ListMilestones(&context, list, &page);
      if (!status.ok()) {
        std::cerr << "listing milestones failed: " << status.error_message() << "\n";
        return 1;
      }
      for (const auto& m : page.milestones()) {
        milestones.push_back(m.name());
      }
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    if (milestones.empty()) {
      std::cerr << "the plan has no milestones\n";
      return 1;
    }
  }
  Load load(channels, milestones);
  double seconds = absl::GetFlag(FLAGS_seconds);
  load.Run(absl::GetFlag(FLAGS_concurrency), absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds)),
           absl::Seconds(seconds));
  Stats& s = load.stats();
  std::sort(s.latencies_ms.begin(), s.latencies_ms.end());
  int64_t errors = 0;
  std::string error_json;
  for (const auto& [what, count] : s.errors) {
    errors += count;
    absl::StrAppend(&error_json, error_json.empty() ? "" : ", ", "\"",
                    absl::StrReplaceAll(what, {{"\"", "'"}}), "\": ", count);
  }
  // The load generator's own CPU time, set-up and warm-up included: its share
  // of the machine it shares with what it measures.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::cout << absl::StrFormat(
                   "{\"call\": \"%s\", \"concurrency\": %d, \"ok\": %d, \"errors\": %d, "
                   "\"cpu_s\": %.3f, "
                   "\"throughput\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
                   "\"max_ms\": %.3f, \"error_codes\": {%s}}",
                   absl::GetFlag(FLAGS_call), absl::GetFlag(FLAGS_concurrency), s.ok, errors,
                   cpu_seconds, s.ok / seconds, Percentile(s.latencies_ms, 0.50),
                   Percentile(s.latencies_ms, 0.90), Percentile(s.latencies_ms, 0.99),
                   s.latencies_ms.empty() ? 0.0 : s.latencies_ms.back(), error_json)
            << std::endl;
  return errors > 0 ? 3 : 0;
}
