#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "gt/timestamps.h"

namespace gt {

// Binds "" as NULL: optional dates and codes are NULL in the database.
void BindNullableString(sql::PreparedStatement& st, int index, const std::string& value);
void BindNullableInt(sql::PreparedStatement& st, int index, std::optional<int32_t> value);
void BindNullableDouble(sql::PreparedStatement& st, int index, std::optional<double> value);

// NULL reads as "" / nullopt.
std::string GetNullableString(sql::ResultSet& rs, int column);
std::optional<int32_t> GetNullableInt(sql::ResultSet& rs, int column);
std::optional<double> GetNullableDouble(sql::ResultSet& rs, int column);

// "(?,?,?),(?,?,?)" for multi-row prepared INSERTs; only placeholders are
// generated, values are always bound.
std::string PlaceholderRows(int rows, int columns);

}  // namespace gt
