// Text helpers shared by the readers. Every function here is linear in its
// input: the readers must stay usable on a damaged multi-megabyte document.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "goldenthread/v1/common.pb.h"

namespace gt::importers {

// Copy of `text` with every invalid UTF-8 sequence replaced by U+FFFD, so that
// the proto string fields filled from it can be serialised. `*replaced`
// receives the number of replacements.
std::string SanitizeUtf8(std::string_view text, int* replaced);

// Lines split on '\n' with one trailing '\r' removed; line i is number i + 1.
std::vector<std::string_view> SplitLines(std::string_view text);

// Trims ASCII spaces and tabs.
std::string_view Trim(std::string_view s);
bool IsBlank(std::string_view s);

// Tab-separated cells, each trimmed.
std::vector<std::string_view> SplitCells(std::string_view line);

// std::string_view -> Debian abseil's own absl::string_view (they do not
// convert implicitly).
inline absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

// The non-empty cells from `from` on, joined by single spaces (a cell the
// PDF conversion split in several).
std::string JoinFrom(const std::vector<std::string_view>& cells, size_t from);
// Number of cells that are not empty.
int CountNonEmpty(const std::vector<std::string_view>& cells);
// A markdown table rule left by the converter ("--  ---  ------"): every
// cell empty or dashes only, at least one not empty.
bool IsRuleRow(const std::vector<std::string_view>& cells);

// Removes markdown heading marks and bold markers around a whole line:
// "#### **1. LIVING SAFELY**" -> "1. LIVING SAFELY". Inner markers stay.
std::string_view StripHeadingMarks(std::string_view line);
// Removes every "**" and un-escapes "\*" (markdown from the PDF converter).
std::string StripEmphasis(std::string_view s);

// Replaces HTML tags ("<p>", "</li>", "<ul style=...>") by a space and
// collapses whitespace; text that only looks like a tag ("a < b") is kept.
std::string StripTags(std::string_view s);
// Runs of spaces and tabs become one space; the result is trimmed.
std::string CollapseSpaces(std::string_view s);

bool IsAsciiDigit(char c);
bool IsAsciiAlpha(char c);
bool HasLowercase(std::string_view s);
bool HasLetter(std::string_view s);
bool StartsWithLowercase(std::string_view s);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Length of the leading run of ASCII digits.
size_t DigitRunLength(std::string_view s);
// Parses a whole string of 1..9 ASCII digits.
std::optional<int> ParseSmallInt(std::string_view s);

// Leading "N. " (a list number): sets *number and returns the rest, or
// returns nullopt when `s` does not start that way.
std::optional<std::string_view> StripListNumber(std::string_view s, int* number);

// "On Target", "Completed", "Delayed", "Overdue" (-> DELAYED), "Not Started",
// "Deferred", "Cancelled"; any case.
std::optional<goldenthread::v1::MilestoneStatus> ParseStatus(std::string_view s);
// "75%" or "75" within 0..100.
std::optional<int> ParsePercent(std::string_view s);

// Officer names with the directorate codes in brackets taken out:
// "Christine McInnes (CS) / Andy Scott (PLACE)" -> names "Christine McInnes /
// Andy Scott", directorate "CS/PLACE" (distinct codes in order).
struct Officers {
  std::string names;
  std::string directorate;
};
Officers SplitOfficers(std::string_view cell, bool uppercase_directorates);
// True for a bracket content that reads as a directorate code ("PLACE",
// "D&R", "CE's", "Resources").
bool IsDirectorateCode(std::string_view s);

// Codes compared with digit runs as numbers: "2" < "10", "01.01.04a" <
// "01.01.04b".
bool CodeLess(std::string_view a, std::string_view b);

// A short quotation of `s` for notes and errors.
std::string Quote(std::string_view s);

}  // namespace gt::importers
