#include "common/importers/plan_builder.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/importers/date_util.h"
#include "common/importers/text_util.h"

namespace gt::importers {
namespace {

// Unplaced lines keep enough text to be recognised, not a damaged 1 MB line.
constexpr size_t kMaxUnplacedText = 2000;

}  // namespace

absl::StatusOr<std::unique_ptr<Document>> PrepareDocument(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "document is ", text.size(), " bytes; the readers accept at most ", kMaxDocumentBytes));
  }
  auto document = std::make_unique<Document>();
  document->text = SanitizeUtf8(text, &document->invalid_utf8);
  document->lines = SplitLines(document->text);
  return document;
}

PlanBuilder::PlanBuilder(const Document& document, std::string_view title,
                         std::string_view period_start, std::string_view period_end,
                         std::string_view source)
    : document_(document) {
  plan().set_title(std::string(title));
  plan().set_period_start(std::string(period_start));
  plan().set_period_end(std::string(period_end));
  plan().set_source(std::string(source));
  if (document.invalid_utf8 > 0) {
    Note(0, absl::StrCat(document.invalid_utf8,
                         " invalid UTF-8 byte(s) replaced by U+FFFD before reading"));
    Warn(0, "utf8-replaced", absl::StrCat(document.invalid_utf8, " invalid UTF-8 byte(s)"),
         "each replaced by U+FFFD");
  }
}

std::string PlanBuilder::Key(int p, int o, std::string_view code) {
  return absl::StrCat(p, "/", o, "/", AsAbsl(code));
}

int PlanBuilder::FindPriority(std::string_view code) const {
  auto it = index_.find(Key(-1, -1, code));
  return it == index_.end() ? -1 : it->second;
}

int PlanBuilder::FindOutcome(int p, std::string_view code) const {
  auto it = index_.find(Key(p, -1, code));
  return it == index_.end() ? -1 : it->second;
}

int PlanBuilder::Priority(std::string_view code, bool* created) {
  auto [it, inserted] = index_.try_emplace(Key(-1, -1, code), priority_count());
  if (inserted) {
    result_.tree.add_priorities()->set_code(std::string(code));
  }
  if (created != nullptr) {
    *created = inserted;
  }
  return it->second;
}

int PlanBuilder::Outcome(int p, std::string_view code, bool* created) {
  auto [it, inserted] = index_.try_emplace(Key(p, -1, code), priority(p).outcomes_size());
  if (inserted) {
    priority(p).add_outcomes()->set_code(std::string(code));
  }
  if (created != nullptr) {
    *created = inserted;
  }
  return it->second;
}

int PlanBuilder::Activity(int p, int o, std::string_view code, bool* created) {
  auto [it, inserted] = index_.try_emplace(Key(p, o, code), outcome(p, o).activities_size());
  if (inserted) {
    outcome(p, o).add_activities()->set_code(std::string(code));
    ++activity_count_;
  }
  if (created != nullptr) {
    *created = inserted;
  }
  return it->second;
}

goldenthread::v1::Priority& PlanBuilder::priority(int p) {
  return *result_.tree.mutable_priorities(p);
}

goldenthread::v1::Outcome& PlanBuilder::outcome(int p, int o) {
  return *priority(p).mutable_outcomes(o);
}

goldenthread::v1::Activity& PlanBuilder::activity(int p, int o, int a) {
  return *outcome(p, o).mutable_activities(a);
}

int PlanBuilder::AddMilestone(int p, int o, int a, goldenthread::v1::Milestone milestone) {
  ++milestones_under_[Key(p, o, absl::StrCat(a))];
  result_.milestones.push_back(ImportedMilestone{{p, o, a}, std::move(milestone)});
  return milestone_count() - 1;
}

goldenthread::v1::Milestone& PlanBuilder::milestone(int index) {
  return result_.milestones[index].milestone;
}

int PlanBuilder::MilestonesUnder(int p, int o, int a) const {
  auto it = milestones_under_.find(Key(p, o, absl::StrCat(a)));
  return it == milestones_under_.end() ? 0 : it->second;
}

void PlanBuilder::Unplaced(int line_number, std::string_view reason) {
  std::string_view text;
  if (line_number >= 1 && line_number <= static_cast<int>(document_.lines.size())) {
    text = document_.lines[line_number - 1];
  }
  std::string kept(text.substr(0, kMaxUnplacedText));
  // Never cut inside a UTF-8 sequence.
  while (kept.size() < text.size() && !kept.empty() &&
         (static_cast<unsigned char>(text[kept.size()]) & 0xC0) == 0x80) {
    kept.pop_back();
  }
  result_.unplaced.push_back(UnplacedLine{line_number, std::move(kept), std::string(reason)});
}

void PlanBuilder::Note(int line_number, std::string_view note) {
  notes_.emplace_back(std::max(line_number, 0), std::string(note));
}

void PlanBuilder::Warn(int line_number, std::string_view kind, std::string_view what_was_read,
                       std::string_view assumed) {
  result_.warnings.push_back(ImportWarning{std::max(line_number, 0), std::string(kind),
                                           std::string(what_was_read), std::string(assumed), ""});
}

std::optional<absl::CivilDay> PlanBuilder::DeadlineCell(int line_number, std::string_view cell,
                                                        std::string_view if_not_a_date,
                                                        bool* assumed) {
  DateCell read = ReadDateCell(cell);
  if (!read.day) {
    Note(line_number,
         absl::StrCat("deadline ", Quote(cell), " is not a date; ", AsAbsl(if_not_a_date)));
    Warn(line_number, "deadline-not-a-date", cell, if_not_a_date);
    return std::nullopt;
  }
  const std::string iso = IsoDate(*read.day);
  if (!read.whole) {
    Note(line_number, absl::StrCat("deadline ", Quote(cell), " holds ", read.dates,
                                   " dates; the last, ", iso, ", is used"));
    Warn(line_number, read.dates > 1 ? "deadline-two-dates" : "deadline-in-text", cell,
         read.dates > 1 ? absl::StrCat(iso, ", the last date") : iso);
    *assumed = *assumed || read.dates > 1;
  }
  if (read.clamped) {
    Note(line_number,
         absl::StrCat("deadline ", Quote(cell), " is past the end of its month; read as ", iso));
    Warn(line_number, "date-clamped", cell, absl::StrCat(iso, ", the last day of that month"));
    *assumed = true;
  }
  return read.day;
}

void PlanBuilder::CheckDeadline(int line_number, absl::CivilDay day,
                                std::string_view what_was_read) {
  const std::string iso = IsoDate(day);
  if (iso < result_.tree.plan().period_start()) {
    Warn(line_number, "deadline-before-plan", what_was_read,
         absl::StrCat(iso, " kept, though the plan starts ", result_.tree.plan().period_start()));
  }
}

ImportedPlan PlanBuilder::Finish() && {
  std::stable_sort(
      result_.warnings.begin(), result_.warnings.end(),
      [](const ImportWarning& a, const ImportWarning& b) { return a.line_number < b.line_number; });
  std::stable_sort(result_.milestones.begin(), result_.milestones.end(),
                   [](const ImportedMilestone& a, const ImportedMilestone& b) {
                     return a.activity_path < b.activity_path;
                   });
  std::stable_sort(notes_.begin(), notes_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line_number, note] : notes_) {
    result_.notes.push_back(line_number > 0 ? absl::StrCat("line ", line_number, ": ", note)
                                            : std::move(note));
  }
  return std::move(result_);
}

}  // namespace gt::importers
