#include "common/importers/text_util.h"

#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gt::importers {
namespace {

using goldenthread::v1::MilestoneStatus;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

// A tag opens with '<' then a letter, '/' + letter or '!', and closes with
// '>' before any other '<' and within kMaxTagLength bytes.
constexpr size_t kMaxTagLength = 300;

bool LooksLikeTagStart(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) {
    return false;
  }
  char c = s[i + 1];
  if (c == '/' && i + 2 < s.size()) {
    c = s[i + 2];
  }
  return IsAsciiAlpha(c) || c == '!';
}

}  // namespace

std::string SanitizeUtf8(std::string_view text, int* replaced) {
  std::string out;
  out.reserve(text.size());
  *replaced = 0;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Copy runs of ASCII whole: nearly every byte of the documents is one.
    size_t run = i;
    while (run < n && static_cast<unsigned char>(text[run]) < 0x80) {
      ++run;
    }
    out.append(text.substr(i, run - i));
    i = run;
    if (i >= n) {
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    }
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++*replaced;
      ++i;
    }
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    start = end + 1;
  }
  // A final newline ends the last line rather than starting an empty one.
  if (lines.size() > 1 && lines.back().empty()) {
    lines.pop_back();
  }
  return lines;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsBlank(std::string_view s) { return Trim(s).empty(); }

std::vector<std::string_view> SplitCells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      cells.push_back(Trim(line.substr(start)));
      return cells;
    }
    cells.push_back(Trim(line.substr(start, tab - start)));
    start = tab + 1;
  }
}

int CountNonEmpty(const std::vector<std::string_view>& cells) {
  int count = 0;
  for (std::string_view cell : cells) {
    count += cell.empty() ? 0 : 1;
  }
  return count;
}

bool IsRuleRow(const std::vector<std::string_view>& cells) {
  bool any = false;
  for (std::string_view cell : cells) {
    for (char c : cell) {
      if (c != '-') {
        return false;
      }
    }
    any = any || !cell.empty();
  }
  return any;
}

std::string_view StripHeadingMarks(std::string_view line) {
  std::string_view s = Trim(line);
  while (!s.empty() && s.front() == '#') {
    s.remove_prefix(1);
  }
  s = Trim(s);
  if (s.size() >= 2 && s.substr(0, 2) == "**") {
    s.remove_prefix(2);
  }
  if (s.size() >= 2 && s.substr(s.size() - 2) == "**") {
    s.remove_suffix(2);
  }
  return Trim(s);
}

std::string StripEmphasis(std::string_view s) {
  if (s.find_first_of("*\\") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      ++i;
    } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '*') {
      out.push_back('*');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string StripTags(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '<' || !LooksLikeTagStart(s, i)) {
      out.push_back(s[i]);
      ++i;
      continue;
    }
    // Scan to the closing '>'; stopping at the next '<' keeps the whole
    // pass linear, since the text scanned over is then copied, not rescanned.
    size_t j = i + 1;
    size_t limit = std::min(s.size(), i + kMaxTagLength);
    while (j < limit && s[j] != '>' && s[j] != '<') {
      ++j;
    }
    if (j < s.size() && s[j] == '>') {
      out.push_back(' ');
      i = j + 1;
    } else {
      out.append(s.substr(i, j - i));
      i = j;
    }
  }
  return CollapseSpaces(out);
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (IsSpace(s[i]) || s[i] == '\n')) {
      ++i;
    }
    size_t word = i;
    while (i < s.size() && !IsSpace(s[i]) && s[i] != '\n') {
      ++i;
    }
    if (i > word) {
      if (!out.empty()) {
        out.push_back(' ');
      }
      out.append(s.substr(word, i - word));
    }
  }
  return out;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool HasLowercase(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') {
      return true;
    }
  }
  return false;
}

bool HasLetter(std::string_view s) {
  for (char c : s) {
    if (IsAsciiAlpha(c)) {
      return true;
    }
  }
  return false;
}

bool StartsWithLowercase(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

size_t DigitRunLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsAsciiDigit(s[n])) {
    ++n;
  }
  return n;
}

std::optional<int> ParseSmallInt(std::string_view s) {
  if (s.empty() || s.size() > 9 || DigitRunLength(s) != s.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : s) {
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<std::string_view> StripListNumber(std::string_view s, int* number) {
  size_t run = DigitRunLength(s);
  if (run == 0 || run > 3 || run + 1 >= s.size() || s[run] != '.' || !IsSpace(s[run + 1])) {
    return std::nullopt;
  }
  *number = *ParseSmallInt(s.substr(0, run));
  return Trim(s.substr(run + 1));
}

std::optional<MilestoneStatus> ParseStatus(std::string_view s) {
  // Every cell of a row is tried; comments are long and never a status.
  constexpr size_t kLongestStatus = 24;
  if (s.size() > kLongestStatus) {
    return std::nullopt;
  }
  std::string lower = Lower(CollapseSpaces(s));
  if (lower == "on target") {
    return goldenthread::v1::ON_TARGET;
  }
  if (lower == "completed" || lower == "complete") {
    return goldenthread::v1::COMPLETED;
  }
  // "Overdue" is computed from dates, never stored (DESIGN.md).
  if (lower == "delayed" || lower == "overdue") {
    return goldenthread::v1::DELAYED;
  }
  if (lower == "not started") {
    return goldenthread::v1::NOT_STARTED;
  }
  if (lower == "deferred") {
    return goldenthread::v1::DEFERRED;
  }
  if (lower == "cancelled" || lower == "canceled") {
    return goldenthread::v1::CANCELLED;
  }
  return std::nullopt;
}

std::optional<int> ParsePercent(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.back() == '%') {
    s = Trim(s.substr(0, s.size() - 1));
  }
  auto value = ParseSmallInt(s);
  if (!value || *value > 100) {
    return std::nullopt;
  }
  return value;
}

bool IsDirectorateCode(std::string_view s) {
  if (s.empty() || s.size() > 16 || !(s[0] >= 'A' && s[0] <= 'Z')) {
    return false;
  }
  for (char c : s) {
    if (!IsAsciiAlpha(c) && c != '&' && c != '\'') {
      return false;
    }
  }
  return true;
}

Officers SplitOfficers(std::string_view cell, bool uppercase_directorates) {
  Officers result;
  std::vector<std::string> codes;
  absl::flat_hash_set<std::string> seen;
  std::string names;
  size_t i = 0;
  while (i < cell.size()) {
    size_t close = cell[i] == '(' ? cell.find(')', i) : std::string_view::npos;
    // Bracket contents are short; bounding the look-ahead keeps this linear.
    if (close != std::string_view::npos && close - i <= 18 &&
        IsDirectorateCode(cell.substr(i + 1, close - i - 1))) {
      std::string code(cell.substr(i + 1, close - i - 1));
      if (uppercase_directorates) {
        absl::AsciiStrToUpper(&code);
      }
      if (seen.insert(code).second) {
        codes.push_back(code);
      }
      names.push_back(' ');
      i = close + 1;
      continue;
    }
    names.push_back(cell[i]);
    ++i;
  }
  result.names = CollapseSpaces(names);
  for (const std::string& code : codes) {
    absl::StrAppend(&result.directorate, result.directorate.empty() ? "" : "/", code);
  }
  return result;
}

bool CodeLess(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsAsciiDigit(a[i]) && IsAsciiDigit(b[j])) {
      size_t ra = DigitRunLength(a.substr(i));
      size_t rb = DigitRunLength(b.substr(j));
      std::string_view da = a.substr(i, ra);
      std::string_view db = b.substr(j, rb);
      while (da.size() > 1 && da[0] == '0') {
        da.remove_prefix(1);
      }
      while (db.size() > 1 && db[0] == '0') {
        db.remove_prefix(1);
      }
      if (da.size() != db.size()) {
        return da.size() < db.size();
      }
      if (da != db) {
        return da < db;
      }
      i += ra;
      j += rb;
      continue;
    }
    if (a[i] != b[j]) {
      return a[i] < b[j];
    }
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 60;
  if (s.size() <= kMax) {
    return absl::StrCat("'", absl::string_view(s.data(), s.size()), "'");
  }
  size_t cut = kMax;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat("'", absl::string_view(s.data(), cut), "...'");
}

std::string JoinFrom(const std::vector<std::string_view>& cells, size_t from) {
  std::string out;
  for (size_t i = from; i < cells.size(); ++i) {
    if (!cells[i].empty()) {
      absl::StrAppend(&out, out.empty() ? "" : " ", AsAbsl(cells[i]));
    }
  }
  return out;
}

}  // namespace gt::importers
