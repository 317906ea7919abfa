#include "common/importers/action_plan_2012_table.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/importers/date_util.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

std::string_view FirstWord(std::string_view s) {
  s = Trim(s);
  return s.substr(0, s.find(' '));
}

std::string_view LastWord(std::string_view s) {
  s = Trim(s);
  size_t space = s.rfind(' ');
  return space == std::string_view::npos ? s : s.substr(space + 1);
}

// A title line ending in one of these words runs on to the next line.
bool IsRunOnWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"the", "of",   "and", "to",   "our",     "a",
                                                "an",  "for",  "in",  "with", "by",      "at",
                                                "on",  "from", "&",   "into", "through", "its"};
  for (std::string_view w : kWords) {
    if (EqualsIgnoreCase(word, w)) {
      return true;
    }
  }
  return false;
}

bool IsMemberMarker(std::string_view token) {
  while (!token.empty() && token.back() == ',') {
    token.remove_suffix(1);
  }
  return token == "Cllr" || token == "Cllrs" || token == "Mayor" || token == "Deputy";
}

bool IsJoiner(std::string_view token) { return token == "and" || token == "&" || token == "/"; }

bool IsNameWord(std::string_view token) {
  if (token.empty() || !(token[0] >= 'A' && token[0] <= 'Z') || IsMemberMarker(token)) {
    return false;
  }
  for (char c : token) {
    if (!IsAsciiAlpha(c) && c != '-' && c != '\'') {
      return false;
    }
  }
  return true;
}

bool IsDirectorateToken(std::string_view token) {
  return token.size() > 2 && token.front() == '(' && token.back() == ')' &&
         IsDirectorateCode(token.substr(1, token.size() - 2));
}

bool LeadStartsWithMember(std::string_view lead) { return IsMemberMarker(FirstWord(lead)); }

struct TitleGroup {
  size_t first = 0;  // indices into the table's lines
  size_t last = 0;
  std::vector<std::string> fragments;
};

// Adds the title cell of line i to the groups, joining it to the group above
// when it continues that title.
void AddTitleFragment(const std::vector<ActionTableLine>& lines, size_t i,
                      std::vector<TitleGroup>& groups, ParsedActionTable& out) {
  const ActionTableLine& line = lines[i];
  std::string fragment = CollapseSpaces(line.title);
  bool adjacent = !groups.empty() && groups.back().last + 1 == i;
  if (!adjacent) {
    groups.push_back({i, i, {std::move(fragment)}});
    return;
  }
  TitleGroup& group = groups.back();
  std::string& previous = group.fragments.back();
  bool lower = StartsWithLowercase(fragment);
  bool run_on = IsRunOnWord(LastWord(previous));
  bool beside_officer = !line.lead.empty() && !LeadStartsWithMember(line.lead);
  if (!lower && !run_on && !beside_officer) {
    groups.push_back({i, i, {std::move(fragment)}});
    return;
  }
  group.last = i;
  // The converter sometimes printed a cell twice: once cut short or garbled,
  // once whole. Keep the whole one.
  if (fragment.size() > previous.size() && fragment.compare(0, previous.size(), previous) == 0 &&
      fragment[previous.size()] == ' ') {
    out.inferences.push_back(
        {line.number, "duplicate-text-dropped", previous,
         "a cut-short copy of the line below; kept once",
         absl::StrCat("title fragment ", Quote(previous), " is repeated in full here; kept once")});
    previous = std::move(fragment);
  } else if (previous.size() > fragment.size() + 1 &&
             previous.compare(previous.size() - fragment.size(), fragment.size(), fragment) == 0 &&
             previous[previous.size() - fragment.size() - 1] == ' ') {
    out.inferences.push_back({line.number, "duplicate-text-dropped", fragment,
                              "a copy of the end of the line above; dropped",
                              absl::StrCat("title fragment ", Quote(fragment),
                                           " repeats the end of the line above; dropped")});
  } else if (!lower && !run_on && FirstWord(fragment) == FirstWord(previous)) {
    out.inferences.push_back({line.number, "duplicate-text-dropped", previous,
                              "a garbled copy of the line below; dropped",
                              absl::StrCat("title line above, ", Quote(previous),
                                           ", reads as a garbled copy of this one; dropped")});
    previous = std::move(fragment);
  } else {
    group.fragments.push_back(std::move(fragment));
  }
}

bool HasContent(const ActionTableLine& line) {
  return !line.title.empty() || !line.lead.empty() || !line.milestones.empty();
}

// Which action (index into groups) each line belongs to. Rows are read as
// top-aligned: an action owns its title's lines and the lines below, down to
// the next title, except that a lead-member line ("Cllr ...") arriving when
// the action already has its member starts the next action early, since a
// lead cell that opens above its title belongs to that title's row.
// Centred rows, whose first milestones sit above the title with no lead
// beside them, are therefore given to the action above.
std::vector<size_t> AssignLines(const std::vector<ActionTableLine>& lines,
                                const std::vector<TitleGroup>& groups) {
  std::vector<size_t> owner(lines.size(), 0);
  bool has_member = false;
  size_t next_group = 0;
  size_t current = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (next_group < groups.size() && i == groups[next_group].first) {
      if (next_group != current) {
        has_member = false;
      }
      current = next_group++;
    } else if (next_group < groups.size() && next_group > 0 && current + 1 == next_group &&
               has_member && LeadStartsWithMember(lines[i].lead)) {
      current = next_group;
      has_member = false;
    }
    owner[i] = current;
    has_member = has_member || LeadStartsWithMember(lines[i].lead);
  }
  return owner;
}

// "(August 2012)", "(Dec 2012)", "(from April 2012)", "(September 12; March
// 13)": the deadline is the month's last day (the last month named).
enum class ParenKind { kText, kDeadline, kGarbledDeadline };

// *months counts the months named; *from is set by "from" before one.
ParenKind ClassifyParen(std::string_view content, std::optional<absl::CivilDay>* deadline,
                        int* months, bool* from) {
  std::vector<MonthYear> found = FindMonthYears(content, /*two_digit_years=*/true);
  if (found.empty()) {
    // "(Higger 2012)": a word and a year, the word no month.
    size_t space = content.find(' ');
    bool word_year = space != std::string_view::npos && space > 0 && content[0] >= 'A' &&
                     content[0] <= 'Z' && DigitRunLength(content.substr(space + 1)) == 4 &&
                     space + 5 == content.size();
    for (size_t i = 0; word_year && i < space; ++i) {
      word_year = IsAsciiAlpha(content[i]);
    }
    return word_year ? ParenKind::kGarbledDeadline : ParenKind::kText;
  }
  static constexpr std::string_view kFillers[] = {"from", "by",    "and", "end",  "of",
                                                  "to",   "early", "mid", "late", "the"};
  size_t pos = 0;
  for (const MonthYear& m : found) {
    std::string_view between = content.substr(pos, m.begin - pos);
    size_t i = 0;
    while (i < between.size()) {
      if (!IsAsciiAlpha(between[i])) {
        bool separator = between[i] == ' ' || between[i] == ';' || between[i] == ',' ||
                         between[i] == '-' || between[i] == '/';
        if (!separator) {
          return ParenKind::kText;
        }
        ++i;
        continue;
      }
      size_t end = i;
      while (end < between.size() && IsAsciiAlpha(between[end])) {
        ++end;
      }
      bool filler = false;
      for (std::string_view f : kFillers) {
        filler = filler || EqualsIgnoreCase(between.substr(i, end - i), f);
      }
      *from = *from || EqualsIgnoreCase(between.substr(i, end - i), "from");
      if (!filler) {
        return ParenKind::kText;
      }
      i = end;
    }
    pos = m.end;
  }
  if (!Trim(content.substr(pos)).empty()) {
    return ParenKind::kText;
  }
  *deadline = LastDayOfMonth(found.back().year, found.back().month);
  *months = static_cast<int>(found.size());
  return ParenKind::kDeadline;
}

struct StreamMilestone {
  size_t line_index = 0;
  ActionMilestone milestone;
};

std::string CleanMilestoneText(std::string_view text) {
  std::string s = CollapseSpaces(text);
  size_t start = 0;
  while (start < s.size() && (s[start] == '.' || s[start] == ',' || s[start] == ';' ||
                              s[start] == ':' || s[start] == ' ' || s[start] == '-')) {
    ++start;
  }
  return s.substr(start);
}

// The milestone column as one text, cut after each deadline.
std::vector<StreamMilestone> ReadMilestoneStream(const std::vector<ActionTableLine>& lines,
                                                 ParsedActionTable& out) {
  std::vector<StreamMilestone> result;
  std::string pending;
  size_t pending_line = 0;
  auto emit = [&](std::optional<absl::CivilDay> deadline, bool assumed) {
    std::string title = CleanMilestoneText(pending);
    pending.clear();
    if (title.empty()) {
      return;
    }
    result.push_back(
        {pending_line, {lines[pending_line].number, std::move(title), deadline, assumed}});
  };
  auto append = [&](std::string_view text, size_t line) {
    if (Trim(text).empty()) {
      return;
    }
    if (Trim(pending).empty()) {
      pending_line = line;
    }
    absl::StrAppend(&pending, " ", AsAbsl(text));
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view text = lines[i].milestones;
    if (text.empty()) {
      continue;
    }
    // A finished sentence followed by a line that starts afresh is a
    // milestone without a deadline; otherwise the text wraps.
    std::string_view open = Trim(pending);
    bool starts_afresh = (text[0] >= 'A' && text[0] <= 'Z') || IsAsciiDigit(text[0]);
    if (!open.empty() && open.back() == '.' && starts_afresh) {
      emit(std::nullopt, false);
    }
    size_t pos = 0;
    while (pos < text.size()) {
      size_t paren = text.find('(', pos);
      if (paren == std::string_view::npos) {
        append(text.substr(pos), i);
        break;
      }
      // Deadlines are short: bounding the search keeps the scan linear.
      size_t close = text.find_first_of("()", paren + 1);
      if (close == std::string_view::npos || text[close] != ')' || close - paren > 60) {
        append(text.substr(pos, paren + 1 - pos), i);
        pos = paren + 1;
        continue;
      }
      std::string_view content = Trim(text.substr(paren + 1, close - paren - 1));
      std::optional<absl::CivilDay> deadline;
      int months = 0;
      bool from = false;
      ParenKind kind = ClassifyParen(content, &deadline, &months, &from);
      if (kind == ParenKind::kText) {
        append(text.substr(pos, close + 1 - pos), i);
        pos = close + 1;
        continue;
      }
      append(text.substr(pos, paren - pos), i);
      pos = close + 1;
      const std::string read = absl::StrCat("(", AsAbsl(content), ")");
      if (kind == ParenKind::kGarbledDeadline) {
        out.inferences.push_back({lines[i].number, "deadline-not-a-date", read,
                                  "names no month; ignored",
                                  absl::StrCat("'", read, "' names no month; ignored")});
        continue;
      }
      const bool assumed = months > 1 || from;
      if (!Trim(pending).empty()) {
        emit(deadline, assumed);
      } else if (!result.empty() && !result.back().milestone.deadline) {
        // The deadline wrapped onto the line below its milestone.
        result.back().milestone.deadline = deadline;
        result.back().milestone.deadline_assumed = assumed;
        out.inferences.push_back(
            {lines[i].number, "deadline-wrapped", read, "the deadline of the milestone above", ""});
      } else {
        out.inferences.push_back(
            {lines[i].number, "deadline-orphan", read, "follows no milestone; ignored",
             absl::StrCat("deadline '", read, "' follows no milestone; ignored")});
        continue;
      }
      if (months > 1) {
        out.inferences.push_back({lines[i].number, "deadline-two-dates", read,
                                  absl::StrCat(IsoDate(*deadline), ", the last month's end"), ""});
      }
      if (from) {
        out.inferences.push_back(
            {lines[i].number, "deadline-from-start", read,
             absl::StrCat(IsoDate(*deadline), ", the end of the month work starts"), ""});
      }
    }
  }
  emit(std::nullopt, false);
  for (const StreamMilestone& m : result) {
    if (!m.milestone.deadline) {
      out.inferences.push_back({m.milestone.line_number, "deadline-missing", m.milestone.title,
                                "no deadline",
                                absl::StrCat("milestone ", Quote(m.milestone.title),
                                             " has no (Month YYYY) deadline; left empty")});
    }
  }
  return result;
}

}  // namespace

Leads ParseLeads(std::string_view text) {
  const std::string collapsed_text = CollapseSpaces(text);
  const std::string_view collapsed = collapsed_text;
  std::vector<std::string_view> tokens;
  for (size_t start = 0; start < collapsed.size();) {
    size_t space = collapsed.find(' ', start);
    if (space == std::string_view::npos) {
      space = collapsed.size();
    }
    tokens.push_back(collapsed.substr(start, space - start));
    start = space + 1;
  }
  const size_t n = tokens.size();
  std::vector<bool> officer(n, false);
  auto name_pair = [&](size_t i) {
    return IsNameWord(tokens[i]) && IsNameWord(tokens[i + 1]) && !officer[i] && !officer[i + 1];
  };
  for (size_t i = 0; i < n; ++i) {
    if (!IsDirectorateToken(tokens[i])) {
      continue;
    }
    officer[i] = true;
    size_t left = i;  // first token of the leftmost officer name found
    while (left >= 2 && name_pair(left - 2)) {
      officer[left - 1] = officer[left - 2] = true;
      left -= 2;
      if (left >= 3 && IsJoiner(tokens[left - 1]) && name_pair(left - 3)) {
        officer[left - 1] = true;
        --left;
        continue;
      }
      break;
    }
    // "Deborah Cohen (AH&W) and Louise Russell (CE's)": one officer list.
    if (left < i && left >= 2 && IsJoiner(tokens[left - 1]) && officer[left - 2]) {
      officer[left - 1] = true;
    }
  }
  Leads leads;
  std::vector<std::string_view> members;
  std::vector<std::string> groups;
  std::vector<std::string> directorates;
  absl::flat_hash_set<std::string> seen_directorates;
  bool joined = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view t = tokens[i];
    if (!officer[i]) {
      members.push_back(t);
      joined = false;
    } else if (IsDirectorateToken(t)) {
      std::string code(t.substr(1, t.size() - 2));
      if (seen_directorates.insert(code).second) {
        directorates.push_back(code);
      }
      joined = false;
    } else if (IsJoiner(t)) {
      joined = true;
      if (!groups.empty()) {
        absl::StrAppend(&groups.back(), " ", AsAbsl(t));
      }
    } else if (joined && !groups.empty()) {
      absl::StrAppend(&groups.back(), " ", AsAbsl(t));
    } else {
      groups.emplace_back(t);
      joined = true;  // the second word of the name joins the first
    }
  }
  // Joiners left at the ends, between members and officers, mean nothing.
  size_t from = 0;
  size_t to = members.size();
  while (from < to && IsJoiner(members[from])) {
    ++from;
  }
  while (to > from && IsJoiner(members[to - 1])) {
    --to;
  }
  for (size_t i = from; i < to; ++i) {
    std::string_view previous = i > from ? members[i - 1] : std::string_view();
    // "Cllr Rabina Khan Cllr Alibor Choudhury": a comma between two members.
    bool new_member = IsMemberMarker(members[i]) && !previous.empty() && !IsJoiner(previous) &&
                      previous.back() != ',' && previous != "Deputy";
    absl::StrAppend(&leads.members, i == from ? "" : (new_member ? ", " : " "), AsAbsl(members[i]));
  }
  std::vector<std::string> distinct;
  absl::flat_hash_set<std::string> seen_groups;
  for (std::string& group : groups) {
    if (seen_groups.insert(group).second) {
      distinct.push_back(std::move(group));
    }
  }
  for (const std::string& group : distinct) {
    absl::StrAppend(&leads.officers, leads.officers.empty() ? "" : ", ", group);
  }
  for (const std::string& code : directorates) {
    absl::StrAppend(&leads.directorate, leads.directorate.empty() ? "" : "/", code);
  }
  return leads;
}

ParsedActionTable ParseActionTable(const std::vector<ActionTableLine>& lines) {
  ParsedActionTable out;
  std::vector<TitleGroup> groups;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].title.empty()) {
      AddTitleFragment(lines, i, groups, out);
    }
  }
  if (groups.empty()) {
    for (const ActionTableLine& line : lines) {
      if (HasContent(line)) {
        out.orphan_lines.push_back(line.number);
      }
    }
    return out;
  }
  std::vector<size_t> owner = AssignLines(lines, groups);
  for (const TitleGroup& group : groups) {
    ParsedAction action;
    action.line_number = lines[group.first].number;
    for (const std::string& fragment : group.fragments) {
      absl::StrAppend(&action.title, action.title.empty() ? "" : " ", fragment);
    }
    out.actions.push_back(std::move(action));
  }
  std::vector<std::string> lead_text(groups.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].lead.empty()) {
      absl::StrAppend(&lead_text[owner[i]], " ", AsAbsl(lines[i].lead));
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    Leads leads = ParseLeads(lead_text[g]);
    out.actions[g].lead_member = std::move(leads.members);
    out.actions[g].lead_officer = std::move(leads.officers);
    out.actions[g].directorate = std::move(leads.directorate);
  }
  for (StreamMilestone& m : ReadMilestoneStream(lines, out)) {
    out.actions[owner[m.line_index]].milestones.push_back(std::move(m.milestone));
  }
  return out;
}

}  // namespace gt::importers
