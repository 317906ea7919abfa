#include "gt/csv.h"

namespace gt {

bool IsFormulaLike(absl::string_view cell) {
  return !cell.empty() &&
         (cell[0] == '=' || cell[0] == '+' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r');
}

std::string CsvCell(absl::string_view value) {
  std::string text(value);
  if (IsFormulaLike(text)) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvCellText(absl::string_view cell) {
  if (cell.size() > 1 && cell[0] == '\'' && IsFormulaLike(cell.substr(1))) {
    return std::string(cell.substr(1));
  }
  return std::string(cell);
}

}  // namespace gt
