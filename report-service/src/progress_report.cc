// The quarterly progress report (seed 003's shape): per group, counts per
// status, how many are overdue, the mean % and every item with its comment.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "report_builders.h"

namespace gt::report {
namespace {

constexpr char kNotAssigned[] = "Not assigned";

// "1. LIVING SAFELY" for a numbered priority, "01.01.01 To reduce crime" for
// a coded one: as the documents print them.
std::string Label(const std::string& code, const std::string& title) {
  if (code.empty()) {
    return title;
  }
  bool numeric = true;
  for (char c : code) {
    numeric = numeric && absl::ascii_isdigit(static_cast<unsigned char>(c));
  }
  return absl::StrCat(code, numeric ? ". " : " ", title);
}

struct GroupKey {
  std::string key;
  std::string label;
};

// Directorates group by the organisation's table: "CS&F" with "CSF", a joint
// lead "PLACE/HAC" with "HAC/PLACE"; items keep the code as written.
GroupKey KeyFor(v1::Grouping group_by, const DirectorateTable& directorates, const v1::Priority& p,
                const v1::Outcome& o, const v1::Activity& a, const v1::Milestone* m) {
  auto person_or_code = [](const std::string& value) {
    return value.empty() ? GroupKey{"", kNotAssigned} : GroupKey{value, value};
  };
  switch (group_by) {
    case v1::BY_OUTCOME:
      return {o.name(), Label(o.code(), o.title())};
    case v1::BY_DIRECTORATE:
      return person_or_code(
          NormaliseDirectorate(m != nullptr ? m->directorate() : a.directorate(), directorates));
    case v1::BY_LEAD_OFFICER:
      return person_or_code(m != nullptr ? m->lead_officer() : a.lead_officer());
    case v1::BY_LEAD_MEMBER:
      return person_or_code(a.lead_member());
    default:
      return {p.name(), Label(p.code(), p.title())};
  }
}

// Running totals of one group (or of the whole report).
struct Tally {
  int total = 0;
  int overdue = 0;
  int64_t percent_sum = 0;
  std::map<int, int> statuses;

  void Add(const v1::ProgressItem& item) {
    ++total;
    overdue += item.overdue() ? 1 : 0;
    percent_sum += item.percent_complete();
    statuses[item.status()]++;
  }
  double Mean() const { return total == 0 ? 0.0 : static_cast<double>(percent_sum) / total; }
};

v1::ProgressItem MilestoneItem(const v1::Activity& a, const v1::Milestone& m) {
  v1::ProgressItem item;
  item.set_name(m.name());
  item.set_code(a.code());
  item.set_title(m.title());
  item.set_lead(m.lead_officer());
  item.set_directorate(m.directorate());
  item.set_deadline(m.current_deadline());
  item.set_status(m.status());
  item.set_percent_complete(m.percent_complete());
  item.set_latest_comment(m.latest_comment());
  item.set_overdue(m.overdue());
  item.set_overdue_against_baseline(m.overdue_against_baseline());
  item.set_status_source(v1::REPORTED);
  item.set_ordinal(m.ordinal());
  return item;
}

v1::ProgressItem ActivityItem(const v1::Activity& a, const ActivityState& state) {
  v1::ProgressItem item;
  item.set_name(a.name());
  item.set_code(a.code());
  item.set_title(a.title());
  // Activities answer to a cabinet member; an officer where none is named.
  item.set_lead(a.lead_member().empty() ? a.lead_officer() : a.lead_member());
  item.set_directorate(a.directorate());
  item.set_deadline(a.deadline());
  item.set_status(state.status);
  item.set_percent_complete(state.percent_complete);
  item.set_latest_comment(state.comment);
  item.set_overdue(state.overdue);
  item.set_overdue_against_baseline(false);
  item.set_status_source(state.source);
  item.set_reported_status(state.reported_status);
  return item;
}

}  // namespace

v1::ProgressReport BuildProgress(const PlanView& view, v1::ReportHeader header,
                                 v1::Grouping group_by, v1::ReportSubject subject) {
  if (group_by == v1::GROUPING_UNSPECIFIED) {
    group_by = v1::BY_PRIORITY;
  }
  if (subject == v1::REPORT_SUBJECT_UNSPECIFIED) {
    subject = v1::MILESTONES;
  }
  v1::ProgressReport report;
  *report.mutable_header() = std::move(header);
  report.set_group_by(group_by);
  report.set_subject(subject);

  // Groups in first-seen (document) order; sorted afterwards where the
  // grouping has no document order.
  std::vector<v1::ProgressGroup> groups;
  std::vector<Tally> tallies;
  std::map<std::string, size_t> index;
  Tally all;
  auto add = [&](const GroupKey& key, v1::ProgressItem item) {
    auto [it, inserted] = index.emplace(key.key, groups.size());
    if (inserted) {
      v1::ProgressGroup group;
      group.set_key(key.key);
      group.set_label(key.label);
      groups.push_back(std::move(group));
      tallies.emplace_back();
    }
    tallies[it->second].Add(item);
    all.Add(item);
    *groups[it->second].add_items() = std::move(item);
  };
  for (const v1::Priority& p : view.tree().priorities()) {
    for (const v1::Outcome& o : p.outcomes()) {
      for (const v1::Activity& a : o.activities()) {
        if (subject == v1::ACTIVITIES) {
          add(KeyFor(group_by, view.data().directorates, p, o, a, nullptr),
              ActivityItem(a, view.StateOf(a)));
          continue;
        }
        for (const v1::Milestone* m : view.MilestonesOf(a.name())) {
          add(KeyFor(group_by, view.data().directorates, p, o, a, m), MilestoneItem(a, *m));
        }
      }
    }
  }
  std::vector<size_t> order(groups.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  if (group_by != v1::BY_PRIORITY && group_by != v1::BY_OUTCOME) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const std::string& ka = groups[a].key();
      const std::string& kb = groups[b].key();
      if (ka.empty() != kb.empty()) {
        return kb.empty();
      }
      return ka < kb;
    });
  }
  for (size_t i : order) {
    v1::ProgressGroup& group = groups[i];
    group.set_total(tallies[i].total);
    group.set_overdue(tallies[i].overdue);
    group.set_mean_percent_complete(tallies[i].Mean());
    for (const v1::StatusCount& c : CountStatuses(tallies[i].statuses)) {
      *group.add_status_counts() = c;
    }
    *report.add_groups() = std::move(group);
  }
  for (const v1::StatusCount& c : CountStatuses(all.statuses)) {
    *report.add_totals() = c;
  }
  report.set_overdue(all.overdue);
  report.set_mean_percent_complete(all.Mean());
  // The KPI tables and the headline RAG counts.
  std::map<int, int> rags;
  auto add_group = [&](const std::string& name, const std::string& code, const std::string& title,
                       const google::protobuf::RepeatedPtrField<v1::Measure>& measures) {
    if (measures.empty()) {
      return;
    }
    v1::MeasureGroup* group = report.add_measures();
    group->set_name(name);
    group->set_code(code);
    group->set_title(title);
    for (const v1::Measure& m : measures) {
      v1::ReportMeasure row = view.MeasureRow(m);
      if (row.rag() != v1::RAG_UNSPECIFIED) {
        ++rags[row.rag()];
      }
      *group->add_measures() = std::move(row);
    }
  };
  for (const v1::Priority& p : view.tree().priorities()) {
    add_group(p.name(), p.code(), p.title(), p.measures());
    for (const v1::Outcome& o : p.outcomes()) {
      add_group(o.name(), o.code(), o.title(), o.measures());
    }
  }
  for (const auto& [rag, count] : rags) {
    v1::RagCount* c = report.add_rag_counts();
    c->set_rag(static_cast<v1::Rag>(rag));
    c->set_count(count);
  }
  return report;
}

}  // namespace gt::report
