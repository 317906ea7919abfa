#include "common/importers/plan_2007.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

// "01.01.01" at the start of `s`.
bool StartsWithObjectiveCode(std::string_view s) {
  if (s.size() < 8) {
    return false;
  }
  for (size_t i = 0; i < 8; ++i) {
    bool want_dot = i == 2 || i == 5;
    if (want_dot ? s[i] != '.' : !IsAsciiDigit(s[i])) {
      return false;
    }
  }
  return true;
}

// The theme number an objective code starts with: "05.01.02" -> "5".
std::string ThemeCodeOf(std::string_view objective_code) {
  return absl::StrCat(*ParseSmallInt(objective_code.substr(0, 2)));
}

}  // namespace

std::optional<CodedLine> ParseTheme(std::string_view text) {
  int number = 0;
  std::optional<std::string_view> title = StripListNumber(text, &number);
  if (!title || !HasLetter(*title) || HasLowercase(*title)) {
    return std::nullopt;
  }
  return CodedLine{text.substr(0, text.find('.')), *title};
}

std::optional<CodedLine> ParseObjective(std::string_view text) {
  if (!StartsWithObjectiveCode(text) || text.size() < 10 || text[8] != ' ') {
    return std::nullopt;
  }
  return CodedLine{text.substr(0, 8), Trim(text.substr(9))};
}

std::optional<CodedLine> ParseKeyActivity(std::string_view text) {
  if (!StartsWithObjectiveCode(text)) {
    return std::nullopt;
  }
  size_t end = 8;
  while (end < text.size() && text[end] >= 'a' && text[end] <= 'z') {
    ++end;
  }
  if (end == 8 || end - 8 > 3 || end >= text.size() || text[end] != ' ') {
    return std::nullopt;
  }
  return CodedLine{text.substr(0, end), Trim(text.substr(end))};
}

Plan2007Builder::Plan2007Builder(const Document& document, std::string_view default_source)
    : b_(document, "Strategic Plan 2007/08", "2007-04-01", "2008-03-31", default_source) {}

bool Plan2007Builder::ReadSourceLine(std::string_view text) {
  if (seen_theme()) {
    return false;
  }
  bool names_document = StartsWithIgnoreCase(text, "Appendix ") ||
                        text.find("ctivities from the Strategic Plan") != std::string_view::npos;
  if (!names_document) {
    return false;
  }
  absl::StrAppend(&source_, source_.empty() ? "" : ": ", AsAbsl(text));
  b_.plan().set_source(source_);
  return true;
}

void Plan2007Builder::Theme(int number, const CodedLine& theme) {
  bool created = false;
  priority_ = b_.Priority(theme.code, &created);
  if (!created && !b_.priority(priority_).title().empty()) {
    b_.Note(number, absl::StrCat("theme ", AsAbsl(theme.code), " heading repeated; merged"));
    b_.Warn(number, "repeat-merged", absl::StrCat("theme ", AsAbsl(theme.code), " again"),
            "the same theme");
  }
  b_.priority(priority_).set_title(std::string(theme.title));
  outcome_ = -1;
}

int Plan2007Builder::PriorityForObjective(int number, std::string_view objective_code) {
  std::string code = ThemeCodeOf(objective_code);
  if (priority_ >= 0 && b_.priority(priority_).code() == code) {
    return priority_;
  }
  bool created = false;
  int p = b_.Priority(code, &created);
  if (created) {
    b_.Note(number,
            absl::StrCat("no heading for theme ", code, " (objective ", AsAbsl(objective_code),
                         "); theme synthesised with an empty title"));
    b_.Warn(number, "node-synthesised",
            absl::StrCat("objective ", AsAbsl(objective_code), " with no theme heading"),
            absl::StrCat("theme ", code, " with an empty title"));
  } else {
    b_.Note(number, absl::StrCat("objective ", AsAbsl(objective_code),
                                 " is listed under another theme; placed under theme ", code,
                                 " by its code"));
    b_.Warn(number, "placed-by-code",
            absl::StrCat("objective ", AsAbsl(objective_code), " under another theme"),
            absl::StrCat("theme ", code));
  }
  return p;
}

void Plan2007Builder::Objective(int number, const CodedLine& objective) {
  int p = PriorityForObjective(number, objective.code);
  bool created = false;
  int o = b_.Outcome(p, objective.code, &created);
  if (!created && !b_.outcome(p, o).title().empty()) {
    b_.Note(number,
            absl::StrCat("objective ", AsAbsl(objective.code), " heading repeated; merged"));
    b_.Warn(number, "repeat-merged", absl::StrCat("objective ", AsAbsl(objective.code), " again"),
            "the same objective");
  }
  b_.outcome(p, o).set_title(std::string(objective.title));
  priority_ = p;
  outcome_ = o;
}

std::vector<int> Plan2007Builder::KeyActivity(int number, const CodedLine& activity) {
  std::string_view objective_code = activity.code.substr(0, 8);
  int p = priority_;
  int o = outcome_;
  if (o < 0 || b_.outcome(p, o).code() != objective_code) {
    p = PriorityForObjective(number, objective_code);
    bool created = false;
    o = b_.Outcome(p, objective_code, &created);
    if (outcome_ >= 0) {
      b_.Note(number,
              absl::StrCat("activity ", AsAbsl(activity.code), " is listed under objective ",
                           b_.outcome(priority_, outcome_).code(),
                           "; placed by its code under objective ", AsAbsl(objective_code)));
      b_.Warn(number, "placed-by-code",
              absl::StrCat("activity ", AsAbsl(activity.code), " under objective ",
                           b_.outcome(priority_, outcome_).code()),
              absl::StrCat("objective ", AsAbsl(objective_code)));
    } else if (created) {
      b_.Note(number,
              absl::StrCat("no heading for objective ", AsAbsl(objective_code), " (activity ",
                           AsAbsl(activity.code), "); objective synthesised with an empty title"));
      b_.Warn(number, "node-synthesised",
              absl::StrCat("activity ", AsAbsl(activity.code), " with no objective heading"),
              absl::StrCat("objective ", AsAbsl(objective_code), " with an empty title"));
    }
  }
  bool created = false;
  int a = b_.Activity(p, o, activity.code, &created);
  if (!created) {
    b_.Note(number, absl::StrCat("activity ", AsAbsl(activity.code), " repeated; merged"));
    b_.Warn(number, "repeat-merged", absl::StrCat("activity ", AsAbsl(activity.code), " again"),
            "the same activity");
  }
  if (b_.activity(p, o, a).title().empty()) {
    b_.activity(p, o, a).set_title(std::string(activity.title));
  }
  return {p, o, a};
}

}  // namespace gt::importers
