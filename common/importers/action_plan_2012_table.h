// The "Strategic Action | Lead Member Lead Officer Directorate | Milestones
// and Deadlines" tables of the Action Plan 2012/13 (seed 002).
//
// The converter wrote each table row as several lines: the milestones one
// per line, while the action title and lead cells land on whichever lines
// were level with them. The reader therefore
//  1. joins consecutive title fragments into one title (a fragment that
//     starts lower-case, follows a word like "the", or sits beside an
//     officer's name rather than a member's continues the title above), and
//     drops fragments the converter printed twice;
//  2. gives each title the lines from its first line down to the next title
//     (rows are mostly top-aligned), except that a lead-member line just
//     above a title opens that title's row; milestones of a vertically
//     centred row that sit above its title therefore go to the action above
//     (a known limit: the text alone cannot tell them apart);
//  3. reads the milestone column as one stream, cut after each "(Month
//     YYYY)" deadline, and gives each milestone to the action owning the
//     line it starts on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"

namespace gt::importers {

// One line of a table; blank lines are kept (with all cells empty) because
// they break a title across a page.
struct ActionTableLine {
  int number = 0;
  std::string_view title;
  std::string_view lead;
  std::string milestones;
};

struct ActionMilestone {
  int line_number = 0;  // where its text starts
  std::string title;
  std::optional<absl::CivilDay> deadline;
  // The deadline is one of several months, or a start month ("(from April
  // 2012)"), rather than one month stated as the deadline.
  bool deadline_assumed = false;
};

// What the table reading inferred: a note (PlanBuilder::Note) and a warning
// (PlanBuilder::Warn); an empty `note` is a warning only.
struct TableInference {
  int line_number = 0;
  std::string kind;
  std::string what_was_read;
  std::string assumed;
  std::string note;
};

struct ParsedAction {
  int line_number = 0;  // of the first title fragment
  std::string title;
  std::string lead_member;
  std::string lead_officer;
  std::string directorate;
  std::vector<ActionMilestone> milestones;
};

struct ParsedActionTable {
  std::vector<ParsedAction> actions;
  std::vector<TableInference> inferences;
  // Lines holding something but no action to belong to (no title at all).
  std::vector<int> orphan_lines;
};

ParsedActionTable ParseActionTable(const std::vector<ActionTableLine>& lines);

// "Cllr Rabina Khan Owen Whalley and Alison Thomas (D&R)" -> member "Cllr
// Rabina Khan", officer "Owen Whalley and Alison Thomas", directorate "D&R".
// Officers are the two words before a bracketed directorate, and further
// pairs chained to them by "and", "&" or "/"; everything else is members.
struct Leads {
  std::string members;
  std::string officers;
  std::string directorate;
};
Leads ParseLeads(std::string_view text);

}  // namespace gt::importers
