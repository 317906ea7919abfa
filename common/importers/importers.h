// Readers for the council documents Golden Thread replaces (see
// tests/fixtures/seeds/README.md): each turns one layout of plain text,
// converted from PDF, into a plan tree plus the milestones under it.
//
// Readers are lenient by design: a line they cannot place is reported in
// ImportedPlan::unplaced with its line number and a reason, and anything
// they had to infer (a missing heading, an impossible date) is described in
// ImportedPlan::notes and listed in ImportedPlan::warnings, so that a person
// can review an import before it is committed. They fail only when the text
// is not the layout they read at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"

namespace gt::importers {

struct ImportedMilestone {
  // Indices of the priority, outcome and activity in ImportedPlan::tree.
  std::vector<int> activity_path;
  // ordinal, title, lead_officer, directorate, baseline_deadline,
  // current_deadline (differs when revised), status, percent_complete and
  // latest_comment are set; `activity` and output-only fields are not.
  goldenthread::v1::Milestone milestone;
  // milestone.deadline_assumed: the baseline or current deadline is not a
  // date the document states for this milestone (taken from the title's
  // month, chosen among several dates, or an impossible date moved to its
  // month's end). A warning says which.
};

struct UnplacedLine {
  int line_number = 0;  // 1-based
  std::string text;
  std::string reason;
};

// One thing a reader assumed rather than read. The kinds, one short word
// each, are listed in README.md.
struct ImportWarning {
  int line_number = 0;  // 1-based; 0 for the whole document
  std::string kind;     // "date-clamped", "deadline-from-title", "percent-blank", ...
  std::string what_was_read;
  std::string assumed;
  // The document the line number refers to: empty for the plan's own,
  // plan.source of the merged document after MergeInto, "merge" for a
  // contradiction between two documents found by MergeInto.
  std::string source;
};

struct ImportedPlan {
  goldenthread::v1::PlanTree tree;
  // Document order: activity, then ordinal.
  std::vector<ImportedMilestone> milestones;
  std::vector<UnplacedLine> unplaced;
  // What was inferred rather than read, one sentence each, starting with the
  // line number ("line 65: ...") where there is one.
  std::vector<std::string> notes;
  // Every inference, in line order (document-wide ones first).
  std::vector<ImportWarning> warnings;
};

enum class Layout {
  kUnknown,
  kCompletedActivities2007,  // 2007/08 end-of-year appendix "Completed activities"
  kOverdueActivities2007,    // 2007/08 end-of-year appendix "Overdue activities"
  kActionPlan2012,           // Action Plan 2012/13
  kMonitoring2017,           // Strategic Plan 2017/18 mid-year monitoring
  kStrategicPlan2019,        // Strategic Plan 2019-22
};

std::string_view LayoutName(Layout layout);

// Picks the layout from lines only that layout has; kUnknown when none fits.
Layout DetectLayout(std::string_view text);

// Inputs larger than this are refused (INVALID_ARGUMENT) rather than read.
inline constexpr size_t kMaxDocumentBytes = 64 << 20;

absl::StatusOr<ImportedPlan> ReadCompletedActivities2007(std::string_view text);
absl::StatusOr<ImportedPlan> ReadOverdueActivities2007(std::string_view text);
absl::StatusOr<ImportedPlan> ReadActionPlan2012(std::string_view text);
absl::StatusOr<ImportedPlan> ReadMonitoring2017(std::string_view text);
absl::StatusOr<ImportedPlan> ReadStrategicPlan2019(std::string_view text);

// DetectLayout, then the matching reader; INVALID_ARGUMENT for kUnknown.
absl::StatusOr<ImportedPlan> ReadDocument(std::string_view text);

// Adds `more` to `base`: nodes with the same priority/outcome/activity codes
// merge (the first non-empty value of each field wins and a conflict is
// noted), new nodes are inserted in code order, milestones follow their
// activity. Both must cover the same period (else INVALID_ARGUMENT). Notes and
// unplaced lines of `more` are appended with "[<more's plan.source>] " before
// the note or reason, since their line numbers refer to that document; its
// warnings are appended with `source` set to that plan.source. Where the two
// documents contradict each other about one node or milestone (a status, a
// percentage, a field), the first document's value is kept and a warning
// with source "merge" says so.
absl::Status MergeInto(ImportedPlan& base, const ImportedPlan& more);

}  // namespace gt::importers
