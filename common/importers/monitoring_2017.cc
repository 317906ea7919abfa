// Strategic Plan 2017/18 mid-year (Q2) monitoring (seed 003): tab-separated
// rows converted from a PDF table.
//
//   Priority Outcome 1: <title>
//   1.1 <outcome title>
//   Activity  Lead Member  Deadline  Status  % Comp  Comments          (header)
//   1.1.1  1. <title>  <lead member(s)>  31/03/18  On Target  75%  <comment>
//   Our key deliverables  Lead Officer  Deadline  Status  % Comp  Comments
//   <deliverable>  Owen Whalley (PLACE)  31/07/17  Completed  100%  <comment>
//
// Rows are read by anchoring on the Status cell rather than on column
// positions, because the converter shifts whole rows right by a leading tab
// and sometimes merges the code and title cells.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/importers/date_util.h"
#include "common/importers/importers.h"
#include "common/importers/plan_builder.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

using Cells = std::vector<std::string_view>;

// Cells that may appear in the repeated table header rows.
bool IsHeaderWord(std::string_view cell) {
  static constexpr std::string_view kWords[] = {"Activity",    "Our key deliverables",
                                                "Lead Member", "Lead Officer",
                                                "Deadline",    "Status",
                                                "% Comp",      "Comments"};
  for (std::string_view word : kWords) {
    if (EqualsIgnoreCase(cell, word)) {
      return true;
    }
  }
  return false;
}

// "Activity  Lead Member ...", "Our key deliverables", or a lone "Activity":
// layout only, first cell Activity / Our key deliverables, nothing else.
bool IsHeaderRow(const Cells& cells) {
  bool first = true;
  for (std::string_view cell : cells) {
    if (cell.empty()) {
      continue;
    }
    if (first && !EqualsIgnoreCase(cell, "Activity") &&
        !EqualsIgnoreCase(cell, "Our key deliverables")) {
      return false;
    }
    if (!IsHeaderWord(cell)) {
      return false;
    }
    first = false;
  }
  return !first;
}

// A leading dotted code of two or more parts ("1.1", "1.1.1", "1.3."), then a
// space or the end. Returns the code without a trailing dot and the rest.
std::optional<std::string_view> LeadingCode(std::string_view s, std::string_view* rest,
                                            int* parts) {
  size_t pos = 0;
  *parts = 0;
  while (true) {
    size_t run = DigitRunLength(s.substr(pos));
    if (run == 0 || run > 3) {
      return std::nullopt;
    }
    pos += run;
    ++*parts;
    if (pos + 1 < s.size() && s[pos] == '.' && IsAsciiDigit(s[pos + 1])) {
      ++pos;
      continue;
    }
    break;
  }
  std::string_view code = s.substr(0, pos);
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
  }
  if (*parts < 2 || (pos < s.size() && s[pos] != ' ' && s[pos] != '\t')) {
    return std::nullopt;
  }
  *rest = Trim(s.substr(pos));
  return code;
}

std::optional<int> NumberWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"one", "two",   "three", "four", "five",
                                                "six", "seven", "eight", "nine", "ten"};
  for (int i = 0; i < 10; ++i) {
    if (EqualsIgnoreCase(word, kWords[i])) {
      return i + 1;
    }
  }
  return ParseSmallInt(word);
}

class Monitoring2017Reader {
 public:
  explicit Monitoring2017Reader(const Document& document)
      : document_(document),
        b_(document, "Strategic Plan 2017/18", "2017-04-01", "2018-03-31",
           "Strategic Plan 2017/18 mid-year (Q2) monitoring") {}

  absl::StatusOr<ImportedPlan> Read() && {
    for (size_t i = 0; i < document_.lines.size(); ++i) {
      ReadLine(static_cast<int>(i) + 1, document_.lines[i]);
    }
    FlushPending();
    if (b_.priority_count() == 0 && b_.activity_count() == 0) {
      return absl::InvalidArgumentError(
          "no 'Priority Outcome N:' heading and no activity row (code, title, lead member, "
          "deadline, status, % complete, comments) found: this is not the 2017/18 monitoring "
          "layout");
    }
    return std::move(b_).Finish();
  }

 private:
  enum class Last { kNone, kActivity, kMilestone };

  void ReadLine(int number, std::string_view line) {
    Cells cells = SplitCells(line);
    if (CountNonEmpty(cells) == 0) {
      return;  // a page break may fall inside a split row: keep what is pending
    }
    if (IsHeaderRow(cells) || IsRuleRow(cells)) {
      FlushPending();
      return;
    }
    if (ReadPriorityHeading(number, cells) || ReadOutcomeHeading(number, cells)) {
      FlushPending();
      return;
    }
    std::optional<Row> row = ParseRow(cells);
    // A second half either is no row alone or starts mid-sentence.
    bool may_continue = !row || StartsWithLowercase(row->head);
    if (pending_line_ > 0 && may_continue && ReadSplitRow(number, cells)) {
      return;
    }
    FlushPending();
    if ((row && ApplyRow(number, *row)) || ReadCommentContinuation(cells)) {
      return;
    }
    // Perhaps the first half of a row the converter split over two lines.
    pending_line_ = number;
    pending_text_ = line;
  }

  // The pending line and this one as one row: the cell cut at the line
  // break is joined again.
  bool ReadSplitRow(int number, const Cells& cells) {
    Cells joined = SplitCells(pending_text_);
    while (!joined.empty() && joined.back().empty()) {
      joined.pop_back();
    }
    size_t first = 0;
    while (first < cells.size() && cells[first].empty()) {
      ++first;
    }
    if (joined.empty() || first >= cells.size()) {
      return false;
    }
    joined_cell_ = absl::StrCat(AsAbsl(joined.back()), " ", AsAbsl(cells[first]));
    joined.back() = joined_cell_;
    joined.insert(joined.end(), cells.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                  cells.end());
    std::optional<Row> row = ParseRow(joined);
    if (!row || !ApplyRow(number, *row)) {
      return false;
    }
    b_.Note(pending_line_,
            absl::StrCat("row split over lines ", pending_line_, " and ", number, "; joined"));
    b_.Warn(pending_line_, "row-joined", pending_text_, absl::StrCat("one row with line ", number));
    pending_line_ = 0;
    return true;
  }

  void FlushPending() {
    if (pending_line_ > 0) {
      b_.Unplaced(pending_line_,
                  "not a priority or outcome heading, a header row, or a row with a Status cell "
                  "(On Target, Completed, Delayed, Overdue, ...) after title, lead and deadline, "
                  "alone or joined with the next line");
      pending_line_ = 0;
    }
  }

  static std::optional<std::string_view> SingleCell(const Cells& cells) {
    if (CountNonEmpty(cells) != 1 || cells.front().empty()) {
      return std::nullopt;
    }
    return cells.front();
  }

  // "Priority Outcome 1: <title>" or "Priority three: <title>".
  bool ReadPriorityHeading(int number, const Cells& cells) {
    auto text = SingleCell(cells);
    if (!text || !StartsWithIgnoreCase(*text, "Priority ")) {
      return false;
    }
    size_t colon = text->find(':');
    if (colon == std::string_view::npos) {
      return false;
    }
    std::string_view label = Trim(text->substr(9, colon - 9));
    if (StartsWithIgnoreCase(label, "Outcome ")) {
      label = Trim(label.substr(8));
    }
    std::optional<int> value = NumberWord(label);
    if (!value) {
      return false;
    }
    if (!IsAsciiDigit(label.front())) {
      b_.Note(number,
              absl::StrCat("priority heading ", Quote(*text), " read as priority ", *value));
      b_.Warn(number, "code-from-words", label, absl::StrCat("priority ", *value));
    }
    std::string code = absl::StrCat(*value);
    bool created = false;
    priority_ = b_.Priority(code, &created);
    if (!created) {
      b_.Note(number, absl::StrCat("priority ", code, " heading repeated; merged"));
      b_.Warn(number, "repeat-merged", *text, absl::StrCat("priority ", code));
    }
    b_.priority(priority_).set_title(std::string(Trim(text->substr(colon + 1))));
    outcome_ = -1;
    activity_ = -1;
    last_ = Last::kNone;
    return true;
  }

  // "1.1 <title>" alone on its row ("1.3. <title>" too).
  bool ReadOutcomeHeading(int number, const Cells& cells) {
    auto text = SingleCell(cells);
    std::string_view title;
    int parts = 0;
    std::optional<std::string_view> code;
    if (text) {
      code = LeadingCode(*text, &title, &parts);
    }
    if (!code || parts != 2 || !HasLetter(title)) {
      return false;
    }
    if ((*text)[code->size()] == '.') {
      b_.Note(number, absl::StrCat("outcome heading written '", AsAbsl(*code), ".'; code '",
                                   AsAbsl(*code), "' used"));
      b_.Warn(number, "code-normalised", absl::StrCat(AsAbsl(*code), "."), *code);
    }
    std::string_view priority_code = code->substr(0, code->find('.'));
    int p = PriorityFor(number, priority_code);
    bool created = false;
    outcome_ = b_.Outcome(p, *code, &created);
    if (!created && !b_.outcome(p, outcome_).title().empty()) {
      b_.Note(number, absl::StrCat("outcome ", AsAbsl(*code), " heading repeated; merged"));
      b_.Warn(number, "repeat-merged", *text, absl::StrCat("outcome ", AsAbsl(*code)));
    }
    b_.outcome(p, outcome_).set_title(std::string(title));
    priority_ = p;
    activity_ = -1;
    last_ = Last::kNone;
    return true;
  }

  // The priority with `code`: the current one, an earlier one, or a new one
  // synthesised because its heading is missing.
  int PriorityFor(int number, std::string_view code) {
    if (priority_ >= 0 && b_.priority(priority_).code() == code) {
      return priority_;
    }
    bool created = false;
    int p = b_.Priority(code, &created);
    if (created) {
      b_.Note(number, absl::StrCat("no heading for priority ", AsAbsl(code),
                                   "; priority synthesised with an empty title"));
      b_.Warn(number, "node-synthesised",
              absl::StrCat("a code under priority ", AsAbsl(code), ", which has no heading"),
              absl::StrCat("priority ", AsAbsl(code), " with an empty title"));
    }
    return p;
  }

  // The outcome with `code` under priority p, synthesised when missing.
  int OutcomeFor(int number, int p, std::string_view code, std::string_view activity_code) {
    if (outcome_ >= 0 && priority_ == p && b_.outcome(p, outcome_).code() == code) {
      return outcome_;
    }
    bool created = false;
    int o = b_.Outcome(p, code, &created);
    if (!created) {
      return o;
    }
    if (code == b_.priority(p).code()) {
      // Priority 3 numbers its activities 3.1, 3.2, ... with no outcome level.
      b_.outcome(p, o).set_title(b_.priority(p).title());
      b_.Note(number, absl::StrCat("priority ", AsAbsl(code), " has no outcome headings (activity ",
                                   AsAbsl(activity_code), "); outcome '", AsAbsl(code),
                                   "' synthesised with the priority's title"));
      b_.Warn(number, "node-synthesised", absl::StrCat("activity ", AsAbsl(activity_code)),
              absl::StrCat("outcome ", AsAbsl(code), " with the priority's title"));
    } else {
      b_.Note(number,
              absl::StrCat("no heading for outcome ", AsAbsl(code), " (activity ",
                           AsAbsl(activity_code), "); outcome synthesised with an empty title"));
      b_.Warn(number, "node-synthesised", absl::StrCat("activity ", AsAbsl(activity_code)),
              absl::StrCat("outcome ", AsAbsl(code), " with an empty title"));
    }
    return o;
  }

  static std::optional<size_t> StatusIndex(const Cells& cells, size_t first) {
    for (size_t i = first + 2; i < cells.size(); ++i) {
      if (ParseStatus(cells[i])) {
        return i;
      }
    }
    return std::nullopt;
  }

  static std::string Join(const Cells& cells, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to && i < cells.size(); ++i) {
      if (!cells[i].empty()) {
        absl::StrAppend(&out, out.empty() ? "" : " ", AsAbsl(cells[i]));
      }
    }
    return out;
  }

  struct Row {
    std::string head;  // title cells, joined
    std::string_view lead;
    std::string_view deadline;
    goldenthread::v1::MilestoneStatus status = goldenthread::v1::MILESTONE_STATUS_UNSPECIFIED;
    std::string_view percent;
    std::string comment;
  };

  // A row with a Status cell after title, lead and deadline cells; nullopt
  // for any other line. Reads nothing into the plan.
  static std::optional<Row> ParseRow(const Cells& cells) {
    size_t first = 0;
    while (first < cells.size() && cells[first].empty()) {
      ++first;
    }
    std::optional<size_t> status_at = StatusIndex(cells, first);
    if (!status_at) {
      return std::nullopt;
    }
    const size_t s = *status_at;
    Row row;
    row.status = *ParseStatus(cells[s]);
    row.deadline = cells[s - 1];
    row.percent = s + 1 < cells.size() ? cells[s + 1] : std::string_view();
    row.comment = StripTags(Join(cells, s + 2, cells.size()));
    row.lead = s - 2 > first ? cells[s - 2] : std::string_view();
    row.head = Join(cells, first, s - 2 > first ? s - 2 : s - 1);
    return row;
  }

  // An activity row when the title starts with a code, else a deliverable.
  bool ApplyRow(int number, const Row& row) {
    std::string_view rest;
    int parts = 0;
    std::optional<std::string_view> code = LeadingCode(row.head, &rest, &parts);
    if (code) {
      return ReadActivityRow(number, *code, rest, row);
    }
    return ReadDeliverableRow(number, row);
  }

  bool ReadActivityRow(int number, std::string_view code, std::string_view rest, const Row& row) {
    std::string_view priority_code = code.substr(0, code.find('.'));
    std::string_view outcome_code = code.substr(0, code.rfind('.'));
    int p = PriorityFor(number, priority_code);
    int o = OutcomeFor(number, p, outcome_code, code);
    bool created = false;
    int a = b_.Activity(p, o, code, &created);
    if (!created) {
      b_.Note(number, absl::StrCat("activity ", AsAbsl(code), " repeated; later values kept"));
      b_.Warn(number, "repeat-merged", absl::StrCat("activity ", AsAbsl(code), " again"),
              "the same activity, its later values kept");
    }
    // The title repeats the code's last part as a list number ("1.1.5 5. ...").
    int listed = 0;
    std::optional<std::string_view> unnumbered = StripListNumber(rest, &listed);
    std::string_view last_part = code.substr(code.rfind('.') + 1);
    if (unnumbered && ParseSmallInt(last_part) == listed) {
      rest = *unnumbered;
    }
    goldenthread::v1::Activity& activity = b_.activity(p, o, a);
    activity.set_title(std::string(rest));
    activity.set_lead_member(CollapseSpaces(row.lead));
    bool assumed = false;
    activity.set_deadline(Deadline(number, row.deadline, &assumed));
    activity.set_reported_status(row.status);
    if (std::optional<int> percent = ParsePercent(row.percent)) {
      activity.set_reported_percent_complete(*percent);
    } else if (!row.percent.empty()) {
      b_.Note(number, absl::StrCat("% complete ", Quote(row.percent), " is not a percentage"));
      b_.Warn(number, "percent-invalid", row.percent, "no % complete recorded");
    }
    activity.set_reported_comment(row.comment);
    priority_ = p;
    outcome_ = o;
    activity_ = a;
    last_ = Last::kActivity;
    return true;
  }

  bool ReadDeliverableRow(int number, const Row& row) {
    if (activity_ < 0) {
      return false;
    }
    goldenthread::v1::Milestone milestone;
    milestone.set_ordinal(b_.MilestonesUnder(priority_, outcome_, activity_) + 1);
    milestone.set_title(row.head);
    Officers officers = SplitOfficers(row.lead, /*uppercase_directorates=*/true);
    milestone.set_lead_officer(officers.names);
    milestone.set_directorate(officers.directorate);
    bool assumed = false;
    std::string deadline = Deadline(number, row.deadline, &assumed);
    milestone.set_baseline_deadline(deadline);
    milestone.set_current_deadline(deadline);
    milestone.set_status(row.status);
    if (std::optional<int> percent = ParsePercent(row.percent)) {
      milestone.set_percent_complete(*percent);
    } else if (row.percent.empty()) {
      b_.Note(number, "no % complete given; 0 recorded");
      b_.Warn(number, "percent-blank", "an empty % Comp cell", "0%");
    } else {
      b_.Note(number,
              absl::StrCat("% complete ", Quote(row.percent), " is not a percentage; 0 recorded"));
      b_.Warn(number, "percent-invalid", row.percent, "0%");
    }
    milestone.set_latest_comment(row.comment);
    last_milestone_ = b_.AddMilestone(priority_, outcome_, activity_, std::move(milestone));
    if (assumed) {
      b_.MarkDeadlineAssumed(last_milestone_);
    }
    last_ = Last::kMilestone;
    return true;
  }

  // Only the Comments column filled: the previous row's comment went on.
  bool ReadCommentContinuation(const Cells& cells) {
    if (CountNonEmpty(cells) != 1 || cells.back().empty() || cells.size() < 6 ||
        last_ == Last::kNone) {
      return false;
    }
    std::string more = StripTags(cells.back());
    std::string* comment =
        last_ == Last::kMilestone
            ? b_.milestone(last_milestone_).mutable_latest_comment()
            : b_.activity(priority_, outcome_, activity_).mutable_reported_comment();
    absl::StrAppend(comment, comment->empty() ? "" : " ", more);
    return true;
  }

  // ISO date of a Deadline cell; the cell's quirks become notes and warnings.
  std::string Deadline(int number, std::string_view cell, bool* assumed) {
    if (cell.empty()) {
      b_.Warn(number, "deadline-missing", "an empty Deadline cell", "no deadline");
      return "";
    }
    std::optional<absl::CivilDay> day = b_.DeadlineCell(number, cell, "left empty", assumed);
    if (!day) {
      return "";
    }
    b_.CheckDeadline(number, *day, cell);
    return IsoDate(*day);
  }

  const Document& document_;
  PlanBuilder b_;
  int priority_ = -1;
  int outcome_ = -1;
  int activity_ = -1;
  Last last_ = Last::kNone;
  int last_milestone_ = -1;
  // A line that read as nothing, kept for one line in case it is the first
  // half of a split row.
  int pending_line_ = 0;
  std::string_view pending_text_;
  std::string joined_cell_;
};

}  // namespace

absl::StatusOr<ImportedPlan> ReadMonitoring2017(std::string_view text) {
  absl::StatusOr<std::unique_ptr<Document>> document = PrepareDocument(text);
  if (!document.ok()) {
    return document.status();
  }
  return Monitoring2017Reader(**document).Read();
}

}  // namespace gt::importers
