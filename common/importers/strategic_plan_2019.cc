// Strategic Plan 2019-22 (seed 004): a narrative document.
//
//   Tower Hamlets Strategic Plan 2019-22                     (plan.source)
//   Our priorities and outcomes                               (overview)
//   Priority 1: People are aspirational, ...
//   1. People access a range of education, ...
//   ...
//   Priority 1:                                               (section)
//   People are aspirational, ...
//   Outcome 1:
//   People access a range of education, training, and employment opportunities
//   <narrative>
//   What actions will we take?  We will:  1. Agree ...        (activities)
//   What will we measure?  - Young people who are ...         (measures)
//
// The overview creates the priorities and outcomes; the sections confirm
// them and add actions and measures. Narrative paragraphs have no place in
// the plan tree and are reported as unplaced lines, so nothing is lost
// silently.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/importers/importers.h"
#include "common/importers/plan_builder.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

constexpr std::string_view kNarrative = "narrative text: the plan tree has no field for it";

// "Priority 2: title", "Priority 2:" or "Outcome 10:" -> number and title.
std::optional<int> NumberedHeading(std::string_view line, std::string_view word,
                                   std::string_view* title) {
  if (!StartsWithIgnoreCase(line, word) || line.size() <= word.size() || line[word.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view rest = Trim(line.substr(word.size() + 1));
  size_t digits = DigitRunLength(rest);
  if (digits == 0 || digits >= rest.size() || rest[digits] != ':') {
    return std::nullopt;
  }
  *title = Trim(rest.substr(digits + 1));
  return ParseSmallInt(rest.substr(0, digits));
}

// Titles that differ only in a final full stop are the same title.
std::string_view WithoutFinalStop(std::string_view s) {
  s = Trim(s);
  return !s.empty() && s.back() == '.' ? s.substr(0, s.size() - 1) : s;
}

class StrategicPlan2019Reader {
 public:
  explicit StrategicPlan2019Reader(const Document& document)
      : document_(document),
        b_(document, "Strategic Plan 2019-22", "2019-04-01", "2022-03-31",
           "Tower Hamlets Strategic Plan 2019-22") {}

  absl::StatusOr<ImportedPlan> Read() && {
    const std::vector<std::string_view>& lines = document_.lines;
    for (size_t i = 0; i < lines.size(); ++i) {
      ReadLine(static_cast<int>(i) + 1, lines[i]);
    }
    if (b_.priority_count() == 0) {
      return absl::InvalidArgumentError(
          "no 'Priority N:' line found: this is not the 2019-22 strategic plan layout");
    }
    return std::move(b_).Finish();
  }

 private:
  enum class Mode { kStart, kDescription, kContents, kOverview, kText, kActions, kMeasures };
  // What the next non-blank line is expected to name.
  enum class Awaiting { kNothing, kPriorityTitle, kOutcomeTitle };

  void ReadLine(int number, std::string_view raw) {
    std::vector<std::string_view> cells = SplitCells(raw);
    std::string_view line = Trim(raw);
    if (line.empty()) {
      return;
    }
    std::string text = StripEmphasis(line);
    if (awaiting_ != Awaiting::kNothing) {
      std::string_view unused;
      bool heading = NumberedHeading(text, "Priority", &unused).has_value() ||
                     NumberedHeading(text, "Outcome", &unused).has_value();
      if (!heading) {
        SetSectionTitle(number, text);
        return;
      }
      // The title line is missing; the heading below is read as itself.
      b_.Note(number, "the heading above has no title line");
      b_.Warn(number, "title-missing", text, "the heading above left with the title it had");
      awaiting_ = Awaiting::kNothing;
    }
    if (mode_ == Mode::kStart && text.find("Strategic Plan") != std::string::npos) {
      b_.plan().set_source(text);
      mode_ = Mode::kDescription;
      return;
    }
    if (EqualsIgnoreCase(text, "Contents")) {
      mode_ = Mode::kContents;
      return;
    }
    if (mode_ == Mode::kContents && cells.size() == 2 && ParseSmallInt(cells[1])) {
      return;  // a table-of-contents entry: title, page number
    }
    // The subtitle under the document's title, before the contents.
    constexpr int kMaxDescriptionLines = 3;
    if (mode_ == Mode::kDescription && description_lines_++ < kMaxDescriptionLines) {
      std::string description = b_.plan().description();
      absl::StrAppend(&description, description.empty() ? "" : " ", text);
      b_.plan().set_description(description);
      return;
    }
    if (EqualsIgnoreCase(text, "Our priorities and outcomes")) {
      mode_ = Mode::kOverview;
      return;
    }
    std::string_view title;
    if (auto n = NumberedHeading(text, "Priority", &title)) {
      Priority(number, *n, title);
      return;
    }
    if (auto n = NumberedHeading(text, "Outcome", &title)) {
      Outcome(number, *n, title);
      return;
    }
    if (ReadListItem(number, text)) {
      return;
    }
    if (outcome_ >= 0 && (EqualsIgnoreCase(text, "What actions will we take?") ||
                          EqualsIgnoreCase(text, "What action will we take?"))) {
      mode_ = Mode::kActions;
      return;
    }
    if (mode_ == Mode::kActions && EqualsIgnoreCase(text, "We will:")) {
      return;
    }
    if (outcome_ >= 0 && EqualsIgnoreCase(text, "What will we measure?")) {
      mode_ = Mode::kMeasures;
      return;
    }
    if (mode_ != Mode::kOverview) {
      mode_ = Mode::kText;
    }
    b_.Unplaced(number, kNarrative);
  }

  // A numbered outcome in the overview, an action, or a measure bullet.
  bool ReadListItem(int number, std::string_view text) {
    bool bullet = text.size() > 2 && text[0] == '-' && text[1] == ' ';
    std::string_view item = bullet ? Trim(text.substr(2)) : text;
    int listed = 0;
    std::optional<std::string_view> numbered = StripListNumber(item, &listed);
    if (mode_ == Mode::kOverview && numbered && !bullet && priority_ >= 0) {
      std::string code = absl::StrCat(listed);
      int o = b_.Outcome(priority_, code);
      b_.outcome(priority_, o).set_title(std::string(WithoutFinalStop(*numbered)));
      overview_outcomes_.try_emplace(code, priority_);
      return true;
    }
    if (mode_ == Mode::kActions && numbered) {
      bool created = false;
      int a = b_.Activity(priority_, outcome_, absl::StrCat(listed), &created);
      if (!created) {
        b_.Note(number, absl::StrCat("action ", listed, " repeated; later title kept"));
        b_.Warn(number, "repeat-merged", text,
                absl::StrCat("action ", listed, ", this title kept"));
      }
      b_.activity(priority_, outcome_, a).set_title(std::string(*numbered));
      return true;
    }
    if (mode_ == Mode::kMeasures && bullet) {
      b_.outcome(priority_, outcome_).add_measures()->set_title(std::string(item));
      return true;
    }
    return false;
  }

  void Priority(int number, int n, std::string_view title) {
    std::string code = absl::StrCat(n);
    bool created = false;
    priority_ = b_.Priority(code, &created);
    outcome_ = -1;
    if (mode_ != Mode::kOverview) {
      mode_ = Mode::kText;
    }
    if (title.empty()) {
      awaiting_ = Awaiting::kPriorityTitle;
      return;
    }
    SetTitle(number, b_.priority(priority_).mutable_title(), title, "priority", code);
  }

  void Outcome(int number, int n, std::string_view title) {
    std::string code = absl::StrCat(n);
    int p = priority_;
    auto listed = overview_outcomes_.find(code);
    if (listed != overview_outcomes_.end() && listed->second != p) {
      b_.Note(number,
              absl::StrCat("outcome ", code, " follows priority ",
                           p >= 0 ? b_.priority(p).code() : "(none)",
                           " but the overview lists it under priority ",
                           b_.priority(listed->second).code(), "; the overview's placing is kept"));
      b_.Warn(number, "placed-by-overview",
              absl::StrCat("outcome ", code, " after priority ",
                           p >= 0 ? b_.priority(p).code() : "(none)"),
              absl::StrCat("priority ", b_.priority(listed->second).code(), ", as the overview"));
      p = listed->second;
    }
    if (p < 0) {
      p = b_.Priority("1");
      b_.Note(number, "outcome before any priority; priority 1 synthesised");
      b_.Warn(number, "node-synthesised", absl::StrCat("outcome ", code, " before any priority"),
              "priority 1 with an empty title");
    }
    priority_ = p;
    outcome_ = b_.Outcome(p, code);
    mode_ = Mode::kText;
    if (title.empty()) {
      awaiting_ = Awaiting::kOutcomeTitle;
      return;
    }
    SetTitle(number, b_.outcome(p, outcome_).mutable_title(), title, "outcome", code);
  }

  void SetSectionTitle(int number, std::string_view title) {
    if (awaiting_ == Awaiting::kPriorityTitle) {
      SetTitle(number, b_.priority(priority_).mutable_title(), title, "priority",
               b_.priority(priority_).code());
    } else {
      SetTitle(number, b_.outcome(priority_, outcome_).mutable_title(), title, "outcome",
               b_.outcome(priority_, outcome_).code());
    }
    awaiting_ = Awaiting::kNothing;
  }

  // The section's wording wins over the overview's; a difference is noted.
  void SetTitle(int number, std::string* field, std::string_view title, std::string_view kind,
                std::string_view code) {
    std::string_view bare = WithoutFinalStop(title);
    if (!field->empty() && WithoutFinalStop(*field) != bare) {
      b_.Note(number, absl::StrCat(AsAbsl(kind), " ", AsAbsl(code), " is titled ", Quote(bare),
                                   " here and ", Quote(*field), " earlier; this title is kept"));
      b_.Warn(number, "title-conflict", absl::StrCat(AsAbsl(bare), " (earlier: ", *field, ")"),
              absl::StrCat("this title for ", AsAbsl(kind), " ", AsAbsl(code)));
    }
    *field = std::string(bare);
  }

  const Document& document_;
  PlanBuilder b_;
  Mode mode_ = Mode::kStart;
  Awaiting awaiting_ = Awaiting::kNothing;
  int priority_ = -1;
  int outcome_ = -1;
  // Outcome code -> priority index, as the overview lists them.
  absl::flat_hash_map<std::string, int> overview_outcomes_;
  int description_lines_ = 0;
};

}  // namespace

absl::StatusOr<ImportedPlan> ReadStrategicPlan2019(std::string_view text) {
  absl::StatusOr<std::unique_ptr<Document>> document = PrepareDocument(text);
  if (!document.ok()) {
    return document.status();
  }
  return StrategicPlan2019Reader(**document).Read();
}

}  // namespace gt::importers
