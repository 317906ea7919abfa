#include "gt/sql_util.h"

#include <cppconn/datatype.h>

#include "absl/strings/str_cat.h"

namespace gt {

void BindNullableString(sql::PreparedStatement& st, int index, const std::string& value) {
  if (value.empty()) {
    st.setNull(index, sql::DataType::VARCHAR);
  } else {
    st.setString(index, value);
  }
}

void BindNullableInt(sql::PreparedStatement& st, int index, std::optional<int32_t> value) {
  if (value.has_value()) {
    st.setInt(index, *value);
  } else {
    st.setNull(index, sql::DataType::INTEGER);
  }
}

void BindNullableDouble(sql::PreparedStatement& st, int index, std::optional<double> value) {
  if (value.has_value()) {
    st.setDouble(index, *value);
  } else {
    st.setNull(index, sql::DataType::DOUBLE);
  }
}

std::string GetNullableString(sql::ResultSet& rs, int column) {
  return rs.isNull(column) ? std::string() : std::string(rs.getString(column));
}

std::optional<int32_t> GetNullableInt(sql::ResultSet& rs, int column) {
  if (rs.isNull(column)) {
    return std::nullopt;
  }
  return rs.getInt(column);
}

std::optional<double> GetNullableDouble(sql::ResultSet& rs, int column) {
  if (rs.isNull(column)) {
    return std::nullopt;
  }
  return static_cast<double>(rs.getDouble(column));
}

std::string PlaceholderRows(int rows, int columns) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) {
    absl::StrAppend(&row, c == 0 ? "?" : ",?");
  }
  row += ")";
  std::string out;
  out.reserve(static_cast<size_t>(rows) * (row.size() + 1));
  for (int r = 0; r < rows; ++r) {
    absl::StrAppend(&out, r == 0 ? "" : ",", row);
  }
  return out;
}

}  // namespace gt
