// Layout detection by counting lines that only one layout has, so that a
// damaged document still goes to the right reader.
#include <array>
#include <string_view>

#include "absl/status/status.h"
#include "common/importers/importers.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

bool Contains(std::string_view line, std::string_view what) {
  return line.find(what) != std::string_view::npos;
}

// "01.01.01a" right after `prefix`.
bool KeyActivityAfter(std::string_view line, std::string_view prefix) {
  if (line.substr(0, prefix.size()) != prefix) {
    return false;
  }
  std::string_view code = line.substr(prefix.size());
  return code.size() > 9 && IsAsciiDigit(code[0]) && IsAsciiDigit(code[1]) && code[2] == '.' &&
         code[5] == '.' && code[8] >= 'a' && code[8] <= 'z';
}

}  // namespace

std::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kCompletedActivities2007:
      return "2007/08 completed activities";
    case Layout::kOverdueActivities2007:
      return "2007/08 overdue activities";
    case Layout::kActionPlan2012:
      return "2012/13 action plan";
    case Layout::kMonitoring2017:
      return "2017/18 monitoring";
    case Layout::kStrategicPlan2019:
      return "2019-22 strategic plan";
    case Layout::kUnknown:
      break;
  }
  return "unknown";
}

Layout DetectLayout(std::string_view text) {
  constexpr Layout kLayouts[] = {Layout::kCompletedActivities2007, Layout::kOverdueActivities2007,
                                 Layout::kActionPlan2012, Layout::kMonitoring2017,
                                 Layout::kStrategicPlan2019};
  std::array<int, 5> score = {0, 0, 0, 0, 0};
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    score[0] += Contains(line, "Completed Activities") || KeyActivityAfter(line, "- ") ? 1 : 0;
    score[1] += Contains(line, "Overdue Activities") ||
                        StartsWithIgnoreCase(line, "Key Activity") ||
                        StartsWithIgnoreCase(line, "Progress Milestone\t")
                    ? 1
                    : 0;
    score[2] += StartsWithIgnoreCase(line, "Strategic Action\t") ||
                        StartsWithIgnoreCase(line, "Strategic Priority ") ||
                        Contains(line, "Performance Measures")
                    ? 1
                    : 0;
    score[3] += StartsWithIgnoreCase(line, "Priority Outcome ") ||
                        Contains(line, "Our key deliverables") || Contains(line, "\t% Comp\t")
                    ? 1
                    : 0;
    score[4] += EqualsIgnoreCase(line, "What actions will we take?") ||
                        EqualsIgnoreCase(line, "What will we measure?") ||
                        (StartsWithIgnoreCase(line, "Outcome ") && line.back() == ':')
                    ? 1
                    : 0;
  }
  int best = -1;
  bool tie = false;
  for (int i = 0; i < 5; ++i) {
    if (best < 0 || score[i] > score[best]) {
      best = i;
      tie = false;
    } else if (score[i] == score[best]) {
      tie = true;
    }
  }
  // Two signature lines at least: one could be a quotation in another layout.
  if (score[best] < 2 || tie) {
    return Layout::kUnknown;
  }
  return kLayouts[best];
}

absl::StatusOr<ImportedPlan> ReadDocument(std::string_view text) {
  switch (DetectLayout(text)) {
    case Layout::kCompletedActivities2007:
      return ReadCompletedActivities2007(text);
    case Layout::kOverdueActivities2007:
      return ReadOverdueActivities2007(text);
    case Layout::kActionPlan2012:
      return ReadActionPlan2012(text);
    case Layout::kMonitoring2017:
      return ReadMonitoring2017(text);
    case Layout::kStrategicPlan2019:
      return ReadStrategicPlan2019(text);
    case Layout::kUnknown:
      break;
  }
  return absl::InvalidArgumentError(
      "document layout not recognised: expected one of the 2007/08 end-of-year appendices, the "
      "2012/13 action plan, the 2017/18 monitoring report or the 2019-22 strategic plan");
}

}  // namespace gt::importers
