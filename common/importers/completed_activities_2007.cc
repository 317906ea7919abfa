// Strategic Plan 2007/08 end-of-year monitoring, appendix "Completed
// activities" (seed 000): markdown from the PDF converter.
//
//   ## **Appendix 3a Strategic Plan 2007/08 End of Year Monitoring**
//   #### **1. LIVING SAFELY**
//   ##### **01.01.01 To reduce crime and the fear of crime**
//   - 01.01.01a Implement a comprehensive action plan, ...
//
// Every key activity listed is completed, so each is imported with reported
// status COMPLETED at 100%; the appendix names no milestones.
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/importers/importers.h"
#include "common/importers/plan_2007.h"
#include "common/importers/plan_builder.h"
#include "common/importers/text_util.h"

namespace gt::importers {

absl::StatusOr<ImportedPlan> ReadCompletedActivities2007(std::string_view text) {
  absl::StatusOr<std::unique_ptr<Document>> document = PrepareDocument(text);
  if (!document.ok()) {
    return document.status();
  }
  Plan2007Builder plan(**document,
                       "Strategic Plan 2007/08 End of Year Monitoring: Completed Activities");
  PlanBuilder& b = plan.builder();
  const std::vector<std::string_view>& lines = (*document)->lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    std::string_view line = Trim(lines[i]);
    if (line.empty()) {
      continue;
    }
    bool bullet = line.size() > 2 && line[0] == '-' && line[1] == ' ';
    if (bullet) {
      std::string item = StripEmphasis(Trim(line.substr(2)));
      if (auto activity = ParseKeyActivity(item)) {
        std::vector<int> path = plan.KeyActivity(number, *activity);
        goldenthread::v1::Activity& a = b.activity(path[0], path[1], path[2]);
        a.set_reported_status(goldenthread::v1::COMPLETED);
        a.set_reported_percent_complete(100);
        continue;
      }
      b.Unplaced(number, "bullet without a key activity code (01.01.01a)");
      continue;
    }
    std::string heading = StripEmphasis(StripHeadingMarks(line));
    if (plan.ReadSourceLine(heading)) {
      continue;
    }
    if (auto theme = ParseTheme(heading)) {
      plan.Theme(number, *theme);
      continue;
    }
    if (auto objective = ParseObjective(heading)) {
      plan.Objective(number, *objective);
      continue;
    }
    b.Unplaced(number,
               "not a theme heading (1. LIVING SAFELY), an objective heading (01.01.01 ...) or a "
               "key activity bullet (- 01.01.01a ...)");
  }
  if (!plan.seen_theme() && b.activity_count() == 0) {
    return absl::InvalidArgumentError(
        "no theme heading ('1. LIVING SAFELY') and no key activity ('- 01.01.01a ...') found: "
        "this is not the 2007/08 completed activities layout");
  }
  if (b.activity_count() > 0) {
    // No activity states its own status: the appendix's title does.
    b.Warn(0, "status-from-document", b.plan().source(),
           absl::StrCat("each of the ", b.activity_count(),
                        " key activities COMPLETED at 100% (none states a status or %)"));
  }
  return std::move(b).Finish();
}

}  // namespace gt::importers
