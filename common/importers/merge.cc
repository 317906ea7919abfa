// MergeInto: two documents about one plan (the 2007/08 completed and overdue
// appendices) become one plan. Nodes are matched by code at each level.
#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/importers/importers.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

using goldenthread::v1::Activity;
using goldenthread::v1::Outcome;
using goldenthread::v1::Priority;

using Codes = std::array<std::string, 3>;

class Merger {
 public:
  // `first` and `second` name the two documents in warnings.
  Merger(ImportedPlan& base, std::string first, std::string second)
      : base_(base), first_(std::move(first)), second_(std::move(second)) {}

  void MergePriorities(const google::protobuf::RepeatedPtrField<Priority>& more) {
    MergeLevel(base_.tree.mutable_priorities(), more, "priority ",
               [this](Priority& into, const Priority& from, const std::string& where) {
                 Field(into.mutable_title(), from.title(), where + " title");
                 MergeMeasures(into.mutable_measures(), from.measures());
                 MergeLevel(into.mutable_outcomes(), from.outcomes(), where + ", outcome ",
                            [this](Outcome& o, const Outcome& f, const std::string& w) {
                              MergeOutcome(o, f, w);
                            });
               });
  }

  std::vector<std::string>& notes() { return notes_; }
  std::vector<ImportWarning>& warnings() { return warnings_; }

  // The two documents disagree about `what`: the first's value is kept.
  void Contradiction(std::string_view kind, const std::string& what, const std::string& in_first,
                     const std::string& in_second) {
    warnings_.push_back(ImportWarning{0, std::string(kind),
                                      absl::StrCat(what, ": ", in_first, " in '", first_, "', ",
                                                   in_second, " in '", second_, "'"),
                                      absl::StrCat(in_first, " kept, from the first document"),
                                      "merge"});
  }

 private:
  void MergeOutcome(Outcome& into, const Outcome& from, const std::string& where) {
    Field(into.mutable_title(), from.title(), where + " title");
    MergeMeasures(into.mutable_measures(), from.measures());
    MergeLevel(
        into.mutable_activities(), from.activities(), where + ", activity ",
        [this](Activity& a, const Activity& f, const std::string& w) { MergeActivity(a, f, w); });
  }

  void MergeActivity(Activity& into, const Activity& from, const std::string& where) {
    Field(into.mutable_title(), from.title(), where + " title");
    Field(into.mutable_lead_member(), from.lead_member(), where + " lead member");
    Field(into.mutable_lead_officer(), from.lead_officer(), where + " lead officer");
    Field(into.mutable_directorate(), from.directorate(), where + " directorate");
    Field(into.mutable_deadline(), from.deadline(), where + " deadline");
    Field(into.mutable_reported_comment(), from.reported_comment(), where + " reported comment");
    if (into.reported_status() == goldenthread::v1::MILESTONE_STATUS_UNSPECIFIED) {
      into.set_reported_status(from.reported_status());
    } else if (from.reported_status() != goldenthread::v1::MILESTONE_STATUS_UNSPECIFIED &&
               from.reported_status() != into.reported_status()) {
      const std::string& first = goldenthread::v1::MilestoneStatus_Name(into.reported_status());
      const std::string& second = goldenthread::v1::MilestoneStatus_Name(from.reported_status());
      notes_.push_back(absl::StrCat(where, ": reported status ", first, " in one document and ",
                                    second, " in the other; the first is kept"));
      Contradiction("merge-status-conflict", absl::StrCat(where, " reported status"), first,
                    second);
    }
    if (!into.has_reported_percent_complete() && from.has_reported_percent_complete()) {
      into.set_reported_percent_complete(from.reported_percent_complete());
    } else if (into.has_reported_percent_complete() && from.has_reported_percent_complete() &&
               into.reported_percent_complete() != from.reported_percent_complete()) {
      const std::string first = absl::StrCat(into.reported_percent_complete(), "%");
      const std::string second = absl::StrCat(from.reported_percent_complete(), "%");
      notes_.push_back(
          absl::StrCat(where, " reported % complete differs: kept ", first, ", not ", second));
      Contradiction("merge-conflict", absl::StrCat(where, " reported % complete"), first, second);
    }
  }

  // The first non-empty value wins; a different second value is noted.
  void Field(std::string* into, const std::string& from, const std::string& what) {
    if (into->empty()) {
      *into = from;
    } else if (!from.empty() && from != *into) {
      notes_.push_back(absl::StrCat(what, " differs: kept ", Quote(*into), ", not ", Quote(from)));
      Contradiction("merge-conflict", what, Quote(*into), Quote(from));
    }
  }

  static void MergeMeasures(
      google::protobuf::RepeatedPtrField<goldenthread::v1::Measure>* into,
      const google::protobuf::RepeatedPtrField<goldenthread::v1::Measure>& from) {
    absl::flat_hash_map<std::string, bool> titles;
    for (const auto& m : *into) {
      titles[m.title()] = true;
    }
    for (const auto& m : from) {
      if (titles.try_emplace(m.title(), true).second) {
        *into->Add() = m;
      }
    }
  }

  // Merges `more` into `into` by code; nodes only in `more` are inserted
  // before the first node of `into` whose code sorts after theirs (or at the
  // end when `into` is not in code order).
  template <typename T, typename MergeFn>
  void MergeLevel(google::protobuf::RepeatedPtrField<T>* into,
                  const google::protobuf::RepeatedPtrField<T>& more, const std::string& what,
                  MergeFn merge) {
    absl::flat_hash_map<std::string, int> index;
    for (int i = 0; i < into->size(); ++i) {
      index.try_emplace(into->Get(i).code(), i);
    }
    bool sorted = true;
    for (int i = 1; i < into->size() && sorted; ++i) {
      sorted = !CodeLess(into->Get(i).code(), into->Get(i - 1).code());
    }
    // (insertion point, position in more) of the nodes to add.
    std::vector<std::pair<int, int>> additions;
    for (int j = 0; j < more.size(); ++j) {
      const T& node = more.Get(j);
      auto it = index.find(node.code());
      if (it != index.end()) {
        merge(*into->Mutable(it->second), node, what + node.code());
        continue;
      }
      int at = into->size();
      if (sorted) {
        auto first_after = std::upper_bound(
            into->begin(), into->end(), node.code(),
            [](const std::string& code, const T& other) { return CodeLess(code, other.code()); });
        at = static_cast<int>(first_after - into->begin());
      }
      additions.emplace_back(at, j);
      index.try_emplace(node.code(), -1);  // a code repeated within `more` is added once
    }
    if (additions.empty()) {
      return;
    }
    std::stable_sort(additions.begin(), additions.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    google::protobuf::RepeatedPtrField<T> merged;
    merged.Reserve(into->size() + static_cast<int>(additions.size()));
    size_t next = 0;
    for (int i = 0; i <= into->size(); ++i) {
      while (next < additions.size() && additions[next].first == i) {
        *merged.Add() = more.Get(additions[next].second);
        ++next;
      }
      if (i < into->size()) {
        merged.Add()->Swap(into->Mutable(i));
      }
    }
    into->Swap(&merged);
  }

  ImportedPlan& base_;
  const std::string first_;
  const std::string second_;
  std::vector<std::string> notes_;
  std::vector<ImportWarning> warnings_;
};

Codes CodesOf(const goldenthread::v1::PlanTree& tree, const std::vector<int>& path) {
  if (path.size() != 3 || path[0] < 0 || path[0] >= tree.priorities_size()) {
    return {};
  }
  const Priority& p = tree.priorities(path[0]);
  if (path[1] < 0 || path[1] >= p.outcomes_size()) {
    return {};
  }
  const Outcome& o = p.outcomes(path[1]);
  if (path[2] < 0 || path[2] >= o.activities_size()) {
    return {};
  }
  return {p.code(), o.code(), o.activities(path[2]).code()};
}

std::string Key(const Codes& codes) {
  return absl::StrCat(codes[0], "\x1f", codes[1], "\x1f", codes[2]);
}

// Milestones both documents list under one activity with one ordinal: both
// are kept, and a warning says whether the two agree.
void WarnAboutSharedMilestones(Merger& merger, const ImportedPlan& base, const ImportedPlan& more) {
  absl::flat_hash_map<std::string, const goldenthread::v1::Milestone*> in_base;
  for (const ImportedMilestone& m : base.milestones) {
    in_base.try_emplace(
        absl::StrCat(Key(CodesOf(base.tree, m.activity_path)), "\x1f", m.milestone.ordinal()),
        &m.milestone);
  }
  for (const ImportedMilestone& m : more.milestones) {
    Codes codes = CodesOf(more.tree, m.activity_path);
    auto it = in_base.find(absl::StrCat(Key(codes), "\x1f", m.milestone.ordinal()));
    if (it == in_base.end()) {
      continue;
    }
    const goldenthread::v1::Milestone& first = *it->second;
    const std::string what =
        absl::StrCat("activity ", codes[2], ", milestone ", m.milestone.ordinal());
    if (first.status() != m.milestone.status()) {
      merger.Contradiction("merge-status-conflict", absl::StrCat(what, " status"),
                           goldenthread::v1::MilestoneStatus_Name(first.status()),
                           goldenthread::v1::MilestoneStatus_Name(m.milestone.status()));
    } else if (first.current_deadline() != m.milestone.current_deadline()) {
      merger.Contradiction("merge-conflict", absl::StrCat(what, " deadline"),
                           first.current_deadline(), m.milestone.current_deadline());
    }
    merger.warnings().push_back(
        ImportWarning{0, "merge-duplicate", what, "listed twice, both kept", "merge"});
  }
}

}  // namespace

absl::Status MergeInto(ImportedPlan& base, const ImportedPlan& more) {
  const goldenthread::v1::Plan& a = base.tree.plan();
  const goldenthread::v1::Plan& b = more.tree.plan();
  if (a.period_start() != b.period_start() || a.period_end() != b.period_end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot merge plans of different periods: ", a.period_start(), "..",
                     a.period_end(), " and ", b.period_start(), "..", b.period_end()));
  }
  Merger merger(base, a.source(), b.source());
  WarnAboutSharedMilestones(merger, base, more);

  // Paths are indices, and inserting nodes moves them: remember codes.
  struct Moved {
    Codes codes;
    goldenthread::v1::Milestone milestone;
  };
  std::vector<Moved> milestones;
  milestones.reserve(base.milestones.size() + more.milestones.size());
  for (ImportedMilestone& m : base.milestones) {
    milestones.push_back({CodesOf(base.tree, m.activity_path), std::move(m.milestone)});
  }
  for (const ImportedMilestone& m : more.milestones) {
    milestones.push_back({CodesOf(more.tree, m.activity_path), m.milestone});
  }

  merger.MergePriorities(more.tree.priorities());

  absl::flat_hash_map<std::string, std::vector<int>> paths;
  const goldenthread::v1::PlanTree& tree = base.tree;
  for (int p = 0; p < tree.priorities_size(); ++p) {
    const Priority& priority = tree.priorities(p);
    for (int o = 0; o < priority.outcomes_size(); ++o) {
      const Outcome& outcome = priority.outcomes(o);
      for (int i = 0; i < outcome.activities_size(); ++i) {
        paths.try_emplace(Key({priority.code(), outcome.code(), outcome.activities(i).code()}),
                          std::vector<int>{p, o, i});
      }
    }
  }
  base.milestones.clear();
  for (Moved& m : milestones) {
    auto it = paths.find(Key(m.codes));
    if (it == paths.end()) {
      // Only a malformed input (a path outside its tree) gets here.
      merger.notes().push_back(
          absl::StrCat("milestone ", Quote(m.milestone.title()), " has no activity; dropped"));
      continue;
    }
    base.milestones.push_back(ImportedMilestone{it->second, std::move(m.milestone)});
  }
  std::stable_sort(base.milestones.begin(), base.milestones.end(),
                   [](const ImportedMilestone& x, const ImportedMilestone& y) {
                     return x.activity_path < y.activity_path;
                   });

  const std::string label = absl::StrCat("[", b.source(), "] ");
  for (const std::string& note : more.notes) {
    base.notes.push_back(label + note);
  }
  for (std::string& note : merger.notes()) {
    base.notes.push_back(std::move(note));
  }
  for (const UnplacedLine& line : more.unplaced) {
    base.unplaced.push_back(UnplacedLine{line.line_number, line.text, label + line.reason});
  }
  for (const ImportWarning& warning : more.warnings) {
    base.warnings.push_back(warning);
    if (base.warnings.back().source.empty()) {
      base.warnings.back().source = b.source();
    }
  }
  for (ImportWarning& warning : merger.warnings()) {
    base.warnings.push_back(std::move(warning));
  }
  goldenthread::v1::Plan* plan = base.tree.mutable_plan();
  plan->set_source(absl::StrCat(a.source(), "; ", b.source()));
  if (plan->description().empty()) {
    plan->set_description(b.description());
  }
  return absl::OkStatus();
}

}  // namespace gt::importers
