// The tree shared by the two 2007/08 end-of-year appendices (seeds 000 and
// 001): theme "1. LIVING SAFELY" -> objective "01.01.01 ..." -> key activity
// "01.01.01a ...". Codes carry their parents, so a node is placed by its code
// even when the document lists it under another heading.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/importers/plan_builder.h"

namespace gt::importers {

struct CodedLine {
  std::string_view code;
  std::string_view title;
};

// "1. LIVING SAFELY": a list number, then a title with no lower-case letter.
std::optional<CodedLine> ParseTheme(std::string_view text);
// "01.01.01 To reduce crime ...".
std::optional<CodedLine> ParseObjective(std::string_view text);
// "01.01.01a Provide support ..." (one or more letters after the objective).
std::optional<CodedLine> ParseKeyActivity(std::string_view text);

class Plan2007Builder {
 public:
  Plan2007Builder(const Document& document, std::string_view default_source);

  PlanBuilder& builder() { return b_; }

  // Lines before the first theme that name the document ("Appendix 3b ...",
  // "Overdue Activities from the Strategic Plan") become plan.source.
  bool ReadSourceLine(std::string_view text);

  void Theme(int number, const CodedLine& theme);
  void Objective(int number, const CodedLine& objective);
  // Returns the activity's path.
  std::vector<int> KeyActivity(int number, const CodedLine& activity);

  bool seen_theme() const { return priority_ >= 0; }

 private:
  int PriorityForObjective(int number, std::string_view objective_code);

  PlanBuilder b_;
  std::string source_;
  int priority_ = -1;
  int outcome_ = -1;
};

}  // namespace gt::importers
