#include "gt/directorates.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gt {

std::string DirectorateMatchKey(absl::string_view spelling) {
  std::string key;
  key.reserve(spelling.size());
  bool pending_space = false;
  for (char c : spelling) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      pending_space = !key.empty();
      continue;
    }
    const bool joiner = c == '&' || c == '/';
    // A space survives only between two ordinary characters.
    if (pending_space && !joiner && key.back() != '&' && key.back() != '/') {
      key.push_back(' ');
    }
    pending_space = false;
    key.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

DirectorateTable::DirectorateTable(const std::vector<goldenthread::v1::Directorate>& directorates) {
  for (const auto& directorate : directorates) {
    Add(directorate);
  }
}

DirectorateTable::DirectorateTable(
    const google::protobuf::RepeatedPtrField<goldenthread::v1::Directorate>& directorates) {
  for (const auto& directorate : directorates) {
    Add(directorate);
  }
}

void DirectorateTable::Add(const goldenthread::v1::Directorate& directorate) {
  const std::string code(absl::StripAsciiWhitespace(directorate.code()));
  if (code.empty()) {
    return;
  }
  codes_.emplace(DirectorateMatchKey(code), code);
  for (const std::string& alias : directorate.aliases()) {
    std::string key = DirectorateMatchKey(alias);
    if (!key.empty()) {
      codes_.emplace(std::move(key), code);
    }
  }
}

const std::string* DirectorateTable::Find(absl::string_view spelling) const {
  auto found = codes_.find(DirectorateMatchKey(spelling));
  return found == codes_.end() ? nullptr : &found->second;
}

std::vector<std::string> NormaliseDirectorateParts(absl::string_view raw,
                                                   const DirectorateTable& table) {
  std::vector<std::string> parts;
  bool any_known = false;
  for (absl::string_view part : absl::StrSplit(raw, '/')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) {
      continue;
    }
    const std::string* code = table.Find(part);
    any_known = any_known || code != nullptr;
    parts.emplace_back(code != nullptr ? *code : std::string(part));
  }
  if (!any_known) {
    // Not a lead the table knows ("N/A", a code never registered): as written.
    absl::string_view trimmed = absl::StripAsciiWhitespace(raw);
    return trimmed.empty() ? std::vector<std::string>{}
                           : std::vector<std::string>{std::string(trimmed)};
  }
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

std::string NormaliseDirectorate(absl::string_view raw, const DirectorateTable& table) {
  return absl::StrJoin(NormaliseDirectorateParts(raw, table), "/");
}

}  // namespace gt
