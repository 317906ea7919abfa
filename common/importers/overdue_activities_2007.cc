// Strategic Plan 2007/08 end-of-year monitoring, appendix "Overdue
// activities" (seed 001): tab-separated rows from a PDF table.
//
//   1. LIVING SAFELY
//   01.01.01 To reduce crime and the fear of crime
//   Key Activity
//   01.01.01d Provide support to offenders to reduce reoffending
//   Progress Milestone  Deadline  Comments
//   3. Effective multi-agency support ... by end March 2008  31/03/2008  <why>
//
// Rows wrap at page breaks: a line that is none of these continues the row
// above (its first cell the title, its last cell the comment). Milestones are
// all overdue: status DELAYED; the percentage is not reported (0).
//
// Deadlines: the milestone text usually names its month ("by March 2008").
// When the Deadline column names another month, the text's date (the last
// month it names) is the baseline and the later of the two dates the current
// deadline: a later column is a revision.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/importers/date_util.h"
#include "common/importers/importers.h"
#include "common/importers/plan_2007.h"
#include "common/importers/plan_builder.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

bool IsMilestoneHeader(const std::vector<std::string_view>& cells) {
  for (std::string_view cell : cells) {
    if (!cell.empty() && !EqualsIgnoreCase(cell, "Progress Milestone") &&
        !EqualsIgnoreCase(cell, "Deadline") && !EqualsIgnoreCase(cell, "Comments")) {
      return false;
    }
  }
  return true;
}

class OverdueActivities2007Reader {
 public:
  explicit OverdueActivities2007Reader(const Document& document)
      : document_(document),
        plan_(document, "Strategic Plan 2007/08 End of Year Monitoring: Overdue Activities"),
        b_(plan_.builder()) {}

  absl::StatusOr<ImportedPlan> Read() && {
    for (size_t i = 0; i < document_.lines.size(); ++i) {
      ReadLine(static_cast<int>(i) + 1, document_.lines[i]);
    }
    if (!plan_.seen_theme() && b_.activity_count() == 0) {
      return absl::InvalidArgumentError(
          "no theme heading ('1. LIVING SAFELY') and no key activity ('01.01.01d ...') found: "
          "this is not the 2007/08 overdue activities layout");
    }
    for (const PendingMilestone& pending : pending_) {
      ResolveDeadlines(pending);
    }
    return std::move(b_).Finish();
  }

 private:
  // A milestone whose deadlines wait until its wrapped text is complete.
  struct PendingMilestone {
    int index;
    int line_number;
    std::string deadline_cell;
  };
  enum class Last { kNone, kActivity, kMilestone };

  void ReadLine(int number, std::string_view line) {
    std::vector<std::string_view> cells = SplitCells(line);
    int filled = CountNonEmpty(cells);
    if (filled == 0 || IsMilestoneHeader(cells) || IsRuleRow(cells)) {
      return;
    }
    std::string_view first = cells[0];
    if (filled == 1 && EqualsIgnoreCase(first, "Key Activity")) {
      return;
    }
    if (filled == 1 && plan_.ReadSourceLine(first)) {
      return;
    }
    if (filled == 1) {
      if (auto theme = ParseTheme(first)) {
        plan_.Theme(number, *theme);
        last_ = Last::kNone;
        return;
      }
      if (auto objective = ParseObjective(first)) {
        plan_.Objective(number, *objective);
        last_ = Last::kNone;
        return;
      }
      if (auto activity = ParseKeyActivity(first)) {
        path_ = plan_.KeyActivity(number, *activity);
        goldenthread::v1::Activity& a = b_.activity(path_[0], path_[1], path_[2]);
        a.set_reported_status(goldenthread::v1::DELAYED);
        last_ = Last::kActivity;
        return;
      }
    }
    int listed = 0;
    std::optional<std::string_view> title = StripListNumber(first, &listed);
    if (title && !path_.empty()) {
      AddMilestone(number, listed, *title, cells);
      return;
    }
    if (ReadContinuation(cells)) {
      return;
    }
    b_.Unplaced(number, path_.empty() && title
                            ? "milestone row before any key activity"
                            : "not a theme, objective, key activity or milestone row, and no row "
                              "above for it to continue");
  }

  void AddMilestone(int number, int listed, std::string_view title,
                    const std::vector<std::string_view>& cells) {
    goldenthread::v1::Milestone milestone;
    milestone.set_ordinal(listed);
    milestone.set_title(std::string(title));
    milestone.set_status(goldenthread::v1::DELAYED);
    milestone.set_latest_comment(JoinFrom(cells, 2));
    int index = b_.AddMilestone(path_[0], path_[1], path_[2], std::move(milestone));
    pending_.push_back({index, number, cells.size() > 1 ? std::string(cells[1]) : std::string()});
    last_ = Last::kMilestone;
  }

  bool ReadContinuation(const std::vector<std::string_view>& cells) {
    bool deadline_filled = cells.size() > 1 && !cells[1].empty();
    if (last_ == Last::kNone || deadline_filled) {
      return false;
    }
    std::string_view title_part = cells[0];
    std::string comment_part = JoinFrom(cells, 2);
    if (last_ == Last::kActivity) {
      if (!comment_part.empty()) {
        return false;
      }
      std::string* title = b_.activity(path_[0], path_[1], path_[2]).mutable_title();
      absl::StrAppend(title, " ", AsAbsl(title_part));
      return true;
    }
    goldenthread::v1::Milestone& milestone = b_.milestone(pending_.back().index);
    if (!title_part.empty()) {
      absl::StrAppend(milestone.mutable_title(), " ", AsAbsl(title_part));
    }
    if (!comment_part.empty()) {
      std::string* comment = milestone.mutable_latest_comment();
      absl::StrAppend(comment, comment->empty() ? "" : " ", comment_part);
    }
    return true;
  }

  void ResolveDeadlines(const PendingMilestone& pending) {
    goldenthread::v1::Milestone& milestone = b_.milestone(pending.index);
    const int number = pending.line_number;
    std::optional<absl::CivilDay> column;
    if (!pending.deadline_cell.empty()) {
      bool clamped = false;
      column = ParseDayMonthYear(pending.deadline_cell, &clamped);
      if (!column) {
        b_.Note(number,
                absl::StrCat("deadline ", Quote(pending.deadline_cell), " is not a date; ignored"));
      } else if (clamped) {
        b_.Note(number, absl::StrCat("deadline ", Quote(pending.deadline_cell),
                                     " is past the end of its month; read as ", IsoDate(*column)));
      }
    }
    std::vector<MonthYear> written = FindMonthYears(milestone.title(), false);
    bool column_matches_text = false;
    for (const MonthYear& m : written) {
      column_matches_text =
          column_matches_text || (column && column->year() == m.year && column->month() == m.month);
    }
    std::optional<absl::CivilDay> text_date;
    if (!written.empty()) {
      text_date = LastDayOfMonth(written.back().year, written.back().month);
    }
    absl::CivilDay baseline;
    absl::CivilDay current;
    if (column && (column_matches_text || !text_date)) {
      baseline = current = *column;
    } else if (column && *column > *text_date) {
      baseline = *text_date;
      current = *column;
      b_.Note(number, absl::StrCat("milestone text gives ", IsoDate(baseline),
                                   ", the Deadline "
                                   "column ",
                                   IsoDate(current),
                                   ": read as a revision from the "
                                   "first to the second"));
    } else if (column) {
      // The text's date is the baseline and the later date the current one,
      // which here is the text's too: the column's earlier date is dropped.
      baseline = current = *text_date;
      b_.Note(number, absl::StrCat("milestone text names ", IsoDate(*text_date),
                                   ", after the Deadline column's ", IsoDate(*column),
                                   "; the text's date is used"));
    } else if (text_date) {
      baseline = current = *text_date;
      b_.Note(number,
              absl::StrCat("no Deadline; ", IsoDate(*text_date), " taken from the milestone text"));
    } else {
      b_.Note(number, "no Deadline and no month in the milestone text; deadline left empty");
      return;
    }
    milestone.set_baseline_deadline(IsoDate(baseline));
    milestone.set_current_deadline(IsoDate(current));
  }

  const Document& document_;
  Plan2007Builder plan_;
  PlanBuilder& b_;
  std::vector<int> path_;
  std::vector<PendingMilestone> pending_;
  Last last_ = Last::kNone;
};

}  // namespace

absl::StatusOr<ImportedPlan> ReadOverdueActivities2007(std::string_view text) {
  absl::StatusOr<std::unique_ptr<Document>> document = PrepareDocument(text);
  if (!document.ok()) {
    return document.status();
  }
  return OverdueActivities2007Reader(**document).Read();
}

}  // namespace gt::importers
