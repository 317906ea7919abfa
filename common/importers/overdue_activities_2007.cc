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
// When the Deadline column names a later month, the text's date (the last
// month it names) is the baseline and the column the current deadline: a
// revision. The column, when it holds a date, is always the current deadline:
// a text naming a later month ("from May 2007" beside 31/04/2007, read as 30
// April like every reader reads it) is warned about, not taken over it.
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
    if (b_.activity_count() > 0) {
      // The appendix's title, not each row, says these are overdue.
      b_.Warn(0, "status-from-document", b_.plan().source(),
              absl::StrCat("each of the ", b_.activity_count(), " key activities and ",
                           b_.milestone_count(),
                           " milestones DELAYED (overdue; none states a status)"));
    }
    if (b_.milestone_count() > 0) {
      b_.Warn(0, "percent-not-reported", "no % complete column",
              absl::StrCat("0% for each of the ", b_.milestone_count(), " milestones"));
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
    bool assumed = false;
    std::optional<absl::CivilDay> column;
    if (!pending.deadline_cell.empty()) {
      column = b_.DeadlineCell(number, pending.deadline_cell, "ignored", &assumed);
    }
    std::vector<MonthYear> written = FindMonthYears(milestone.title(), false);
    bool column_matches_text = false;
    std::string months;  // as the text writes them, for warnings
    for (const MonthYear& m : written) {
      column_matches_text =
          column_matches_text || (column && column->year() == m.year && column->month() == m.month);
      absl::StrAppend(&months, months.empty() ? "" : ", ",
                      milestone.title().substr(m.begin, m.end - m.begin));
    }
    std::optional<absl::CivilDay> text_date;
    if (!written.empty()) {
      text_date = LastDayOfMonth(written.back().year, written.back().month);
    }
    const std::string column_read = absl::StrCat("Deadline ", Quote(pending.deadline_cell));
    const std::string text_read = absl::StrCat("milestone text's ", months);
    absl::CivilDay baseline;
    absl::CivilDay current;
    bool from_text = false;
    if (column && (column_matches_text || !text_date)) {
      baseline = current = *column;
    } else if (column && *column > *text_date) {
      baseline = *text_date;
      current = *column;
      from_text = true;
      b_.Note(number,
              absl::StrCat("milestone text gives ", IsoDate(baseline), ", the Deadline column ",
                           IsoDate(current), ": read as a revision from the first to the second"));
      b_.Warn(number, "deadline-revised", absl::StrCat(text_read, "; ", column_read),
              absl::StrCat("baseline ", IsoDate(baseline), " (the month's end), current ",
                           IsoDate(current)));
    } else if (column) {
      // The Deadline column states the date; a later month in the text
      // ("from May 2007") is not taken over it.
      baseline = current = *column;
      b_.Note(number, absl::StrCat("milestone text names ", IsoDate(*text_date),
                                   ", after the Deadline column's ", IsoDate(*column),
                                   "; the Deadline column is used"));
      b_.Warn(number, "deadline-text-later", absl::StrCat(text_read, "; ", column_read),
              absl::StrCat(IsoDate(*column), " from the Deadline column"));
    } else if (text_date) {
      baseline = current = *text_date;
      from_text = true;
      b_.Note(number,
              absl::StrCat("no Deadline; ", IsoDate(*text_date), " taken from the milestone text"));
      b_.Warn(number, "deadline-from-title",
              absl::StrCat(pending.deadline_cell.empty() ? "no Deadline" : column_read, "; ",
                           text_read),
              absl::StrCat(IsoDate(*text_date), ", the month's end"));
    } else {
      b_.Note(number, "no Deadline and no month in the milestone text; deadline left empty");
      b_.Warn(number, "deadline-missing",
              pending.deadline_cell.empty() ? "no Deadline" : column_read, "no deadline");
      return;
    }
    if (from_text && written.size() > 1) {
      b_.Warn(number, "deadline-two-dates", text_read,
              absl::StrCat(IsoDate(*text_date), ", from the last month named"));
    }
    if (from_text || assumed) {
      b_.MarkDeadlineAssumed(pending.index);
    }
    b_.CheckDeadline(number, baseline, from_text ? text_read : column_read);
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
