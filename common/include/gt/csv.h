#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace gt {

// One CSV cell as RFC 4180 writes it (quoted when it holds a comma, a quote
// or a line break). A cell a spreadsheet would run as a formula — its first
// character one of = + @ tab CR (OWASP "CSV injection") — is kept as text by
// a leading apostrophe. ("-" is left alone: "-5" is a number in every
// spreadsheet, and minus-led comments are common.) Every CSV the project
// writes goes through here: reports and gtctl's exports.
std::string CsvCell(absl::string_view value);

// True when a cell read from a CSV would run as a formula in a spreadsheet
// (and so was not written by CsvCell).
bool IsFormulaLike(absl::string_view cell);

// A text cell read back: the apostrophe CsvCell put before a formula-like
// value removed.
std::string CsvCellText(absl::string_view cell);

}  // namespace gt
