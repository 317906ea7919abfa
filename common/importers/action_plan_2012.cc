// Action Plan 2012/13 (seed 002): markdown headings and tab-separated tables.
//
//   # A Great Place to Live                                    (theme)
//   Strategic Priority 1.1: Provide good quality affordable housing
//   Strategic Action  Lead Member Lead Officer Directorate  Milestones and Deadlines
//   <table rows, see action_plan_2012_table.h>
//   # **Great Place to Live Performance Measures:**
//   - Number of affordable homes provided                     (measure)
//
// Themes and actions carry no codes in the document; themes are coded by
// order ("1".."5", matching the strategic priority numbers) and actions by
// order under their priority ("1.1.1", "1.1.2", ...). Milestones are set, not
// yet reported on: NOT_STARTED at 0%.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/importers/action_plan_2012_table.h"
#include "common/importers/date_util.h"
#include "common/importers/importers.h"
#include "common/importers/plan_builder.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

constexpr char kUntitled[] = " (untitled in the document)";

// "Strategic Action  Lead Member Lead Officer Directorate  Milestones and
// Deadlines" and its variants ("Lead Member, Lead Officer Directorate").
bool IsTableHeader(const std::vector<std::string_view>& cells) {
  return !cells.empty() && EqualsIgnoreCase(cells[0], "Strategic Action") &&
         (cells.size() < 2 || StartsWithIgnoreCase(cells[1], "Lead ")) &&
         (cells.size() < 3 || StartsWithIgnoreCase(cells[2], "Milestones"));
}

class ActionPlan2012Reader {
 public:
  explicit ActionPlan2012Reader(const Document& document)
      : document_(document),
        b_(document, "Action Plan 2012/13", "2012-04-01", "2013-03-31",
           "Tower Hamlets Action Plan 2012/13") {}

  absl::StatusOr<ImportedPlan> Read() && {
    for (size_t i = 0; i < document_.lines.size(); ++i) {
      ReadLine(static_cast<int>(i) + 1, document_.lines[i]);
    }
    FlushTable();
    if (b_.priority_count() == 0) {
      return absl::InvalidArgumentError(
          "no theme heading ('# A Great Place to Live') and no 'Strategic Priority N.N:' line "
          "found: this is not the 2012/13 action plan layout");
    }
    if (b_.milestone_count() > 0) {
      // A plan being set: no milestone states a status or a percentage.
      b_.Warn(0, "status-from-document", b_.plan().source(),
              absl::StrCat("each of the ", b_.milestone_count(),
                           " milestones NOT_STARTED at 0% (none states a status or %)"));
    }
    if (dated_milestones_ > 0) {
      b_.Warn(0, "deadline-month-end", "deadlines that name a month, '(August 2012)'",
              absl::StrCat("the month's last day, for each of the ", dated_milestones_,
                           " milestones with a deadline"));
    }
    return std::move(b_).Finish();
  }

 private:
  void ReadLine(int number, std::string_view line) {
    std::vector<std::string_view> cells = SplitCells(line);
    if (CountNonEmpty(cells) == 0) {
      if (in_table_) {
        table_.push_back({number, {}, {}, {}});
      }
      return;
    }
    bool is_heading = Trim(line).front() == '#';
    std::string heading = is_heading ? StripEmphasis(StripHeadingMarks(line)) : std::string();
    std::string_view heading_view = heading;
    std::string_view first = is_heading ? heading_view : cells[0];
    bool alone = is_heading || CountNonEmpty(cells) == 1;
    if (alone && StartsWithIgnoreCase(first, "Strategic Priority ")) {
      if (StartPriority(number, first)) {
        return;
      }
    }
    if (IsTableHeader(cells)) {
      StartTable(number);
      return;
    }
    if (is_heading) {
      ReadHeading(number, heading);
      return;
    }
    std::string_view trimmed = Trim(line);
    if (in_measures_ && trimmed.size() > 2 && trimmed[0] == '-' && trimmed[1] == ' ') {
      goldenthread::v1::Measure* measure = b_.priority(theme_).add_measures();
      measure->set_title(StripEmphasis(Trim(trimmed.substr(2))));
      return;
    }
    if (in_table_) {
      ActionTableLine row{number, {}, {}, {}};
      if (cells.size() >= 3) {
        row.title = cells[0];
        row.lead = cells[1];
        row.milestones = StripTags(JoinFrom(cells, 2));
      } else if (cells.size() == 2 && !cells[0].empty()) {
        row.title = cells[0];
        row.lead = cells[1];
      } else {
        // Text that lost its tabs at a page break: the milestone column.
        row.milestones = StripTags(JoinFrom(cells, 0));
      }
      table_.push_back(row);
      return;
    }
    b_.Unplaced(number, in_measures_
                            ? "not a '- ' measure bullet under a Performance Measures heading"
                            : "outside any Strategic Action table, theme heading or measures list");
  }

  void ReadHeading(int number, std::string_view heading) {
    FlushTable();
    in_measures_ = false;
    if (theme_ < 0 && (StartsWithIgnoreCase(heading, "Appendix") ||
                       heading.find("Action Plan") != std::string_view::npos)) {
      absl::StrAppend(&source_, source_.empty() ? "" : ": ", AsAbsl(heading));
      b_.plan().set_source(source_);
      return;
    }
    if (heading.find("Performance Measures") != std::string_view::npos) {
      if (theme_ < 0) {
        b_.Unplaced(number, "Performance Measures heading before any theme");
        return;
      }
      in_measures_ = true;
      return;
    }
    ++themes_seen_;
    theme_ = b_.Priority(absl::StrCat(themes_seen_));
    b_.priority(theme_).set_title(std::string(heading));
    outcome_ = -1;
  }

  // "Strategic Priority 1.1: Provide good quality affordable housing".
  bool StartPriority(int number, std::string_view text) {
    std::string_view rest = Trim(text.substr(19));
    size_t colon = rest.find(':');
    std::string_view code = Trim(rest.substr(0, colon));
    size_t dot = code.find('.');
    std::optional<int> major = ParseSmallInt(code.substr(0, dot));
    if (dot == std::string_view::npos || !major || !ParseSmallInt(code.substr(dot + 1))) {
      return false;
    }
    FlushTable();
    in_measures_ = false;
    std::string theme_code = absl::StrCat(*major);
    if (theme_ < 0 || b_.priority(theme_).code() != theme_code) {
      bool created = false;
      theme_ = b_.Priority(theme_code, &created);
      if (created) {
        // Every node needs a title; say plainly that the document has none.
        b_.priority(theme_).set_title(absl::StrCat("Theme ", theme_code, kUntitled));
      }
      b_.Note(number, absl::StrCat("strategic priority ", AsAbsl(code),
                                   created ? " comes before any theme heading; theme "
                                           : " is under another theme's heading; placed in theme ",
                                   theme_code, created ? " synthesised, titled as untitled" : ""));
      b_.Warn(number, created ? "node-synthesised" : "placed-by-code", text,
              absl::StrCat("theme ", theme_code, created ? ", titled as untitled" : ""));
    }
    bool created = false;
    outcome_ = b_.Outcome(theme_, code, &created);
    int& next = next_minor_[theme_];
    next = std::max(next, *ParseSmallInt(code.substr(dot + 1)) + 1);
    if (!created) {
      b_.Note(number, absl::StrCat("strategic priority ", AsAbsl(code), " repeated; merged"));
      b_.Warn(number, "repeat-merged", text, absl::StrCat("strategic priority ", AsAbsl(code)));
    }
    std::string_view title = colon == std::string_view::npos ? "" : Trim(rest.substr(colon + 1));
    b_.outcome(theme_, outcome_).set_title(std::string(title));
    table_started_ = false;
    return true;
  }

  void StartTable(int number) {
    FlushTable();
    in_measures_ = false;
    if (theme_ < 0) {
      theme_ = b_.Priority("1");
      b_.priority(theme_).set_title(absl::StrCat("Theme 1", kUntitled));
      b_.Note(number, "table before any theme heading; theme 1 synthesised, titled as untitled");
      b_.Warn(number, "node-synthesised", "a table before any theme heading",
              "theme 1, titled as untitled");
    }
    if (outcome_ < 0 || table_started_) {
      // A page lost the "Strategic Priority N.N:" line above this table.
      // Numbered after the highest priority of the theme so far, so that
      // finding a free code never rescans the theme.
      int& minor = next_minor_[theme_];
      minor = std::max(minor, 1);
      std::string code = absl::StrCat(b_.priority(theme_).code(), ".", minor++);
      while (b_.FindOutcome(theme_, code) >= 0) {
        code = absl::StrCat(b_.priority(theme_).code(), ".", minor++);
      }
      outcome_ = b_.Outcome(theme_, code);
      b_.outcome(theme_, outcome_).set_title(absl::StrCat("Strategic Priority ", code, kUntitled));
      b_.Note(number, absl::StrCat("table with no 'Strategic Priority' line above it; strategic "
                                   "priority ",
                                   code, " synthesised, titled as untitled"));
      b_.Warn(number, "node-synthesised", "a table with no 'Strategic Priority' line above it",
              absl::StrCat("strategic priority ", code, ", titled as untitled"));
    }
    table_started_ = true;
    in_table_ = true;
  }

  void FlushTable() {
    in_table_ = false;
    if (table_.empty()) {
      return;
    }
    ParsedActionTable parsed = ParseActionTable(table_);
    table_.clear();
    for (const TableInference& inference : parsed.inferences) {
      if (!inference.note.empty()) {
        b_.Note(inference.line_number, inference.note);
      }
      b_.Warn(inference.line_number, inference.kind, inference.what_was_read, inference.assumed);
    }
    for (int line : parsed.orphan_lines) {
      b_.Unplaced(line, "table row with no Strategic Action title in its table");
    }
    const std::string outcome_code = b_.outcome(theme_, outcome_).code();
    for (ParsedAction& action : parsed.actions) {
      int position = b_.outcome(theme_, outcome_).activities_size() + 1;
      int a = b_.Activity(theme_, outcome_, absl::StrCat(outcome_code, ".", position));
      goldenthread::v1::Activity& activity = b_.activity(theme_, outcome_, a);
      activity.set_title(action.title);
      activity.set_lead_member(action.lead_member);
      activity.set_lead_officer(action.lead_officer);
      activity.set_directorate(action.directorate);
      if (action.lead_member.empty() && action.lead_officer.empty()) {
        b_.Note(action.line_number,
                absl::StrCat("no lead member or officer beside action ", Quote(action.title)));
        b_.Warn(action.line_number, "lead-missing", action.title, "no lead member or officer");
      }
      int ordinal = 0;
      for (ActionMilestone& m : action.milestones) {
        goldenthread::v1::Milestone milestone;
        milestone.set_ordinal(++ordinal);
        milestone.set_title(std::move(m.title));
        milestone.set_lead_officer(action.lead_officer);
        milestone.set_directorate(action.directorate);
        if (m.deadline) {
          milestone.set_baseline_deadline(IsoDate(*m.deadline));
          milestone.set_current_deadline(IsoDate(*m.deadline));
          b_.CheckDeadline(m.line_number, *m.deadline, milestone.title());
          ++dated_milestones_;
        }
        milestone.set_status(goldenthread::v1::NOT_STARTED);
        int index = b_.AddMilestone(theme_, outcome_, a, std::move(milestone));
        if (m.deadline_assumed) {
          b_.MarkDeadlineAssumed(index);
        }
      }
    }
  }

  const Document& document_;
  PlanBuilder b_;
  std::string source_;
  int themes_seen_ = 0;
  int theme_ = -1;
  int outcome_ = -1;
  bool table_started_ = false;  // the current outcome already has its table
  // Theme index -> the number after the highest "N.M" seen in it.
  absl::flat_hash_map<int, int> next_minor_;
  bool in_table_ = false;
  bool in_measures_ = false;
  int dated_milestones_ = 0;
  std::vector<ActionTableLine> table_;
};

}  // namespace

absl::StatusOr<ImportedPlan> ReadActionPlan2012(std::string_view text) {
  absl::StatusOr<std::unique_ptr<Document>> document = PrepareDocument(text);
  if (!document.ok()) {
    return document.status();
  }
  return ActionPlan2012Reader(**document).Read();
}

}  // namespace gt::importers
