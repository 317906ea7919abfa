#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "goldenthread/v1/plan.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace gt {

// The form in which two spellings of a directorate code are compared: ASCII
// upper case, spaces trimmed and collapsed to one, none around '&' or '/'.
// "cs & f" -> "CS&F"; "PLACE / HAC" -> "PLACE/HAC".
std::string DirectorateMatchKey(absl::string_view spelling);

// An organisation's directorate table as a pure mapping from what documents
// write to canonical codes. Built from a ListDirectorates answer, so that any
// client (gtctl's importers, report-service) normalises exactly as the
// server's table says, with no database.
class DirectorateTable {
 public:
  DirectorateTable() = default;
  explicit DirectorateTable(const std::vector<goldenthread::v1::Directorate>& directorates);
  explicit DirectorateTable(
      const google::protobuf::RepeatedPtrField<goldenthread::v1::Directorate>& directorates);

  // The canonical code `spelling` means (a code or an alias, compared by
  // DirectorateMatchKey), or nullptr when it means none.
  const std::string* Find(absl::string_view spelling) const;

  size_t size() const { return codes_.size(); }

 private:
  void Add(const goldenthread::v1::Directorate& directorate);
  // Match key -> canonical code. A spelling claimed twice (the server refuses
  // that) keeps its first directorate.
  std::map<std::string, std::string> codes_;
};

// The parts of a directorate cell in canonical form: split on '/', each part
// trimmed and mapped through the table (unknown parts kept as written,
// trimmed), empty parts dropped, duplicates removed, sorted by code. A joint
// lead keeps one part per directorate, so each still names its own. A cell
// none of whose parts the table knows is one part, as written but trimmed
// ("N/A" stays "N/A").
std::vector<std::string> NormaliseDirectorateParts(absl::string_view raw,
                                                   const DirectorateTable& table);

// NormaliseDirectorateParts joined with "/": "CS&F" -> "CSF" when the table
// has that alias; "PLACE/HAC" and "HAC / PLACE" -> "HAC/PLACE" (either part
// in the table); an unknown " XYZ " -> "XYZ"; "" -> "".
std::string NormaliseDirectorate(absl::string_view raw, const DirectorateTable& table);

}  // namespace gt
