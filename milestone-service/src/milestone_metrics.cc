#include "milestone_metrics.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/time/clock.h"
#include "goldenthread/v1/common.pb.h"
#include "gt/dates.h"
#include "gt/status.h"
#include "prometheus/family.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

prometheus::MetricFamily Gauge(const char* name, const char* help) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Gauge;
  return family;
}

void AddSample(prometheus::MetricFamily& family,
               std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric metric;
  // Sorted by name, as the registry's own families print them.
  std::sort(labels.begin(), labels.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

bool IsOpen(int32_t status) {
  return status != v1::COMPLETED && status != v1::DEFERRED && status != v1::CANCELLED;
}

}  // namespace

MilestoneMetrics::MilestoneMetrics(prometheus::Registry& registry, MilestoneRepository& repository)
    : repository_(repository) {
  auto& family = prometheus::BuildCounter()
                     .Name("goldenthread_milestone_updates_total")
                     .Help("Progress updates committed, by the status they reported")
                     .Register(registry);
  for (int status = v1::NOT_STARTED; status <= v1::CANCELLED; ++status) {
    updates_[status] = &family.Add({{"status", v1::MilestoneStatus_Name(status)}});
  }
}

void MilestoneMetrics::CountUpdate(int32_t status) {
  if (status >= v1::NOT_STARTED && status <= v1::CANCELLED) {
    updates_[status]->Increment();
  }
}

absl::StatusOr<std::vector<ScrapeRow>> MilestoneMetrics::Rows(absl::CivilDay day) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto changes = repository_.PlanChanges();
  if (!changes.ok()) {
    return changes.status();
  }
  if (day != cache_day_) {
    // Overdue depends on the day: a new day recounts everything.
    cache_.clear();
    cache_day_ = day;
  }
  std::map<std::pair<std::string, std::string>, absl::Time> current;
  std::vector<PlanRef> stale;
  for (const auto& [plan, changed] : *changes) {
    auto key = std::make_pair(plan.organisation, plan.plan);
    current[key] = changed;
    auto it = cache_.find(key);
    if (it == cache_.end() || it->second.changed != changed) {
      stale.push_back(plan);
    }
  }
  if (stale.size() > kRecountPlansAtMost) {
    GT_ASSIGN_OR_RETURN(auto all, repository_.Scrape(day));
    cache_.clear();
    for (const auto& [key, changed] : current) {
      cache_[key].changed = changed;
    }
    for (ScrapeRow& row : all) {
      cache_[{row.organisation, row.plan}].rows.push_back(std::move(row));
    }
  } else {
    for (const PlanRef& plan : stale) {
      GT_ASSIGN_OR_RETURN(auto rows, repository_.ScrapePlan(plan, day));
      PlanRows& entry = cache_[{plan.organisation, plan.plan}];
      entry.changed = current[{plan.organisation, plan.plan}];
      entry.rows = std::move(rows);
    }
  }
  std::vector<ScrapeRow> out;
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (current.count(it->first) == 0) {
      it = cache_.erase(it);
      continue;
    }
    out.insert(out.end(), it->second.rows.begin(), it->second.rows.end());
    ++it;
  }
  return out;
}

std::vector<prometheus::MetricFamily> MilestoneMetrics::Collect() const {
  absl::Time start = absl::Now();
  auto rows = Rows(OverdueDayNow(absl::Now()));
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  auto overdue = Gauge("goldenthread_milestones_overdue",
                       "Milestones past their current deadline and not completed, deferred or "
                       "cancelled, computed at scrape time");
  auto totals = Gauge("goldenthread_milestones_total", "Milestones by reported status");
  auto last = Gauge("goldenthread_milestone_last_update_timestamp_seconds",
                    "Unix time of the latest change to any milestone of the plan");
  auto scrape = Gauge("goldenthread_milestone_scrape_seconds",
                      "Time the database took to answer this scrape's query");
  auto success = Gauge("goldenthread_milestone_scrape_success",
                       "1 when this scrape's query answered, 0 when the database did not");
  AddSample(scrape, {}, seconds);
  AddSample(success, {}, rows.ok() ? 1 : 0);
  if (rows.ok()) {
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> by_directorate;
    std::map<std::tuple<std::string, std::string, int32_t>, int64_t> by_status;
    std::map<std::pair<std::string, std::string>, absl::Time> latest;
    for (const ScrapeRow& row : *rows) {
      auto& count = by_directorate[{row.organisation, row.plan, row.directorate}];
      if (IsOpen(row.status)) {
        count += row.overdue;
      }
      by_status[{row.organisation, row.plan, row.status}] += row.milestones;
      auto& when = latest[{row.organisation, row.plan}];
      when = std::max(when, row.last_update);
    }
    for (const auto& [key, count] : by_directorate) {
      AddSample(overdue,
                {{"organisation", std::get<0>(key)},
                 {"plan", std::get<1>(key)},
                 {"directorate", std::get<2>(key)}},
                static_cast<double>(count));
    }
    // Every status of every plan, at 0 when none: a ratio such as "completed
    // / all" must not lose the plans that have completed nothing yet.
    for (const auto& [plan, when] : latest) {
      for (int status = v1::NOT_STARTED; status <= v1::CANCELLED; ++status) {
        by_status.try_emplace({plan.first, plan.second, status}, 0);
      }
    }
    for (const auto& [key, count] : by_status) {
      AddSample(totals,
                {{"organisation", std::get<0>(key)},
                 {"plan", std::get<1>(key)},
                 {"status", v1::MilestoneStatus_Name(std::get<2>(key))}},
                static_cast<double>(count));
    }
    for (const auto& [key, when] : latest) {
      AddSample(last, {{"organisation", key.first}, {"plan", key.second}},
                absl::ToDoubleSeconds(when - absl::UnixEpoch()));
    }
  }
  return {overdue, totals, last, scrape, success};
}

std::vector<prometheus::MetricFamily> PeriodMetrics::Collect() const {
  auto due = Gauge("goldenthread_updates_due",
                   "Milestones owing an update to a reporting period in a round, by directorate "
                   "and state (MISSING, SUBMITTED, RETURNED, APPROVED), computed at scrape time");
  auto due_date = Gauge("goldenthread_period_due_date_seconds",
                        "Unix time of the start of the day a period's updates are due, for "
                        "periods in a round");
  std::vector<DueGauge> rows;
  std::vector<DueDateGauge> dates;
  if (absl::Status status = periods_.ScrapeDue(rows, dates); !status.ok()) {
    // goldenthread_milestone_scrape_success reports the database; a failed
    // scrape of the round leaves its families empty rather than wrong.
    return {due, due_date};
  }
  for (const DueGauge& row : rows) {
    AddSample(due,
              {{"organisation", row.organisation},
               {"plan", row.plan},
               {"period", row.period},
               {"directorate", row.directorate},
               {"state", v1::DueState_Name(row.state)}},
              static_cast<double>(row.milestones));
  }
  for (const DueDateGauge& row : dates) {
    AddSample(due_date,
              {{"organisation", row.organisation}, {"plan", row.plan}, {"period", row.period}},
              absl::ToDoubleSeconds(row.due - absl::UnixEpoch()));
  }
  return {due, due_date};
}

}  // namespace gt::milestone
