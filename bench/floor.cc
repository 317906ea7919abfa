// gt-floor: the database's share of an update, measured alone. N threads run
// milestone-service's own UpdateMilestoneProgress transaction (its
// repository, with its group commit at the default settings: concurrent
// updates share a transaction that locks their milestones, claims their
// request ids with the answers, appends the history rows, folds them into the
// current rows and commits) straight on MariaDB — no gRPC, no manager. What
// the service adds is the rest.
//
//   gt-floor --mysql_uri=mysql://u:p@127.0.0.1:3306/gt_milestone
//       --plan=organisations/bench/plans/p --concurrency=32 --seconds=10
#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gt/idempotency.h"
#include "mysql_milestone_repository.h"
#include "prometheus/registry.h"

ABSL_FLAG(std::string, mysql_uri, "", "milestone-service's database");
ABSL_FLAG(std::string, plan, "", "organisations/O/plans/P");
ABSL_FLAG(int, concurrency, 32, "Threads, each one transaction at a time");
ABSL_FLAG(double, seconds, 10, "Measured duration");
ABSL_FLAG(double, warmup_seconds, 2, "Unmeasured warm-up");

namespace ms = gt::milestone;
namespace v1 = goldenthread::v1;

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto uri = gt::ParseMysqlUri(absl::GetFlag(FLAGS_mysql_uri));
  auto plan = ms::ParsePlan("--plan", absl::GetFlag(FLAGS_plan));
  if (!uri.ok() || !plan.ok()) {
    std::cerr << "usage: gt-floor --mysql_uri=... --plan=organisations/O/plans/P\n";
    return 2;
  }
  int concurrency = absl::GetFlag(FLAGS_concurrency);
  prometheus::Registry registry;
  gt::PoolOptions options;
  options.read_committed = true;  // as milestone-service runs
  options.max_connections = concurrency;
  gt::ConnectionPool pool(*uri, options, registry);
  ms::MysqlMilestoneRepository repository(pool);
  std::vector<int64_t> ids;
  ms::OrderCursor after;
  while (true) {
    auto page = repository.ListMilestones(*plan, {}, after, 1000);
    if (!page.ok()) {
      std::cerr << page.status() << "\n";
      return 1;
    }
    for (const auto& row : *page) {
      ids.push_back(row.id);
    }
    if (page->size() < 1000) {
      break;
    }
    after = ms::CursorOf(page->back());
  }
  if (ids.empty()) {
    std::cerr << "the plan has no milestones\n";
    return 1;
  }
  absl::Time measure_from = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  absl::Time stop_at = measure_from + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::atomic<uint64_t> counter{0};
  std::vector<std::vector<double>> latencies(concurrency);
  std::vector<int64_t> errors(concurrency, 0);
  const int64_t run = absl::ToUnixMicros(absl::Now());
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      while (absl::Now() < stop_at) {
        uint64_t n = counter.fetch_add(1);
        ms::MilestoneKey key{*plan, ids[n % ids.size()]};
        // The same request the service hashes: its request_id cleared.
        v1::UpdateMilestoneProgressRequest request;
        request.set_name(ms::MilestoneName(*plan, key.id));
        request.set_status(n % 3 == 0 ? v1::DELAYED : v1::ON_TARGET);
        request.set_percent_complete(static_cast<int>(n % 100));
        request.set_comment(absl::StrCat("bench update ", n));
        auto rk = gt::MakeRequestKey(plan->organisation, absl::StrCat("floor-", run, "-", n),
                                     "UpdateMilestoneProgress", request);
        absl::Time start = absl::Now();
        ms::UpdateCallbacks calls;
        calls.decide = [&](const ms::MilestoneRow&) -> absl::StatusOr<ms::UpdateRow> {
          ms::UpdateRow u;
          u.kind = v1::PROGRESS;
          u.status = request.status();
          u.percent_complete = request.percent_complete();
          u.comment = request.comment();
          u.effective_at = start;
          u.request_id = rk->request_id;
          u.recorded_by = "floor";
          return u;
        };
        calls.encode = [&](const ms::RecordedUpdate& recorded) {
          return ms::ToProto(*plan, recorded.milestone, absl::CivilDay(2000, 1, 1))
              .SerializeAsString();
        };
        // As the service runs when nobody watches the plan.
        calls.want_update_id = [] { return false; };
        calls.on_commit = [](const ms::RecordedUpdate&) {};
        auto result = repository.RecordUpdate(key, &*rk, calls);
        absl::Time end = absl::Now();
        if (start >= measure_from && end <= stop_at) {
          if (result.ok()) {
            latencies[t].push_back(absl::ToDoubleMilliseconds(end - start));
          } else {
            errors[t]++;
          }
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::vector<double> all;
  int64_t error_count = 0;
  for (int t = 0; t < concurrency; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    error_count += errors[t];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  double seconds = absl::GetFlag(FLAGS_seconds);
  std::cout << absl::StrFormat(
                   "{\"call\": \"floor\", \"concurrency\": %d, \"ok\": %d, \"errors\": %d, "
                   "\"throughput\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
                   "\"max_ms\": %.3f}",
                   concurrency, all.size(), error_count, all.size() / seconds, pct(0.5), pct(0.9),
                   pct(0.99), all.empty() ? 0.0 : all.back())
            << std::endl;
  return error_count > 0 ? 3 : 0;
}
