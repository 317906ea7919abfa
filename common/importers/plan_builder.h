// Scaffolding the readers share: the prepared document and an ImportedPlan
// under construction with code -> node lookups.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/importers/importers.h"

namespace gt::importers {

// The text of a document, repaired to valid UTF-8 and split into lines.
struct Document {
  std::string text;
  // Views into `text`; line i has number i + 1.
  std::vector<std::string_view> lines;
  int invalid_utf8 = 0;
};

// INVALID_ARGUMENT above kMaxDocumentBytes.
absl::StatusOr<std::unique_ptr<Document>> PrepareDocument(std::string_view text);

class PlanBuilder {
 public:
  PlanBuilder(const Document& document, std::string_view title, std::string_view period_start,
              std::string_view period_end, std::string_view source);

  goldenthread::v1::Plan& plan() { return *result_.tree.mutable_plan(); }

  // Index of the node with `code` under its parent, appended when missing;
  // *created (optional) tells which.
  int Priority(std::string_view code, bool* created = nullptr);
  int Outcome(int p, std::string_view code, bool* created = nullptr);
  int Activity(int p, int o, std::string_view code, bool* created = nullptr);
  // -1 when missing.
  int FindPriority(std::string_view code) const;
  int FindOutcome(int p, std::string_view code) const;

  goldenthread::v1::Priority& priority(int p);
  goldenthread::v1::Outcome& outcome(int p, int o);
  goldenthread::v1::Activity& activity(int p, int o, int a);
  int priority_count() const { return result_.tree.priorities_size(); }
  int activity_count() const { return activity_count_; }

  // Appends a milestone of activity (p, o, a); returns its index.
  int AddMilestone(int p, int o, int a, goldenthread::v1::Milestone milestone);
  goldenthread::v1::Milestone& milestone(int index);
  void MarkDeadlineAssumed(int index) {
    result_.milestones[index].milestone.set_deadline_assumed(true);
  }
  int milestone_count() const { return static_cast<int>(result_.milestones.size()); }
  // Milestones already under activity (p, o, a).
  int MilestonesUnder(int p, int o, int a) const;

  void Unplaced(int line_number, std::string_view reason);
  // "line N: <note>"; line_number 0 leaves the prefix out.
  void Note(int line_number, std::string_view note);
  // An inference (ImportWarning); line_number 0 for the whole document.
  void Warn(int line_number, std::string_view kind, std::string_view what_was_read,
            std::string_view assumed);

  // The date of a d/m/y Deadline cell (ReadDateCell), with a note and a
  // warning for each guess: an impossible day clamped, a date taken from
  // other text or the last of several, a cell that is no date (nullopt;
  // `if_not_a_date` says what the reader does instead). *assumed is set when
  // the date is not simply the one the cell states.
  std::optional<absl::CivilDay> DeadlineCell(int line_number, std::string_view cell,
                                             std::string_view if_not_a_date, bool* assumed);
  // Warns ("deadline-before-plan") when `day` is before the plan's start.
  void CheckDeadline(int line_number, absl::CivilDay day, std::string_view what_was_read);

  // Milestones in tree order, notes and warnings in line order (all stable).
  ImportedPlan Finish() &&;

 private:
  static std::string Key(int p, int o, std::string_view code);

  const Document& document_;
  ImportedPlan result_;
  absl::flat_hash_map<std::string, int> index_;
  absl::flat_hash_map<std::string, int> milestones_under_;
  std::vector<std::pair<int, std::string>> notes_;
  int activity_count_ = 0;
};

}  // namespace gt::importers
