#include "gt/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gt/status.h"

namespace gt {
namespace {
constexpr absl::string_view kTokenVersion = "p1";
}

absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return InvalidField("page_size", absl::StrCat("must not be negative, got ", requested));
  }
  if (requested == 0) {
    return default_size;
  }
  return requested > max_size ? max_size : requested;
}

uint64_t Fingerprint(std::initializer_list<absl::string_view> parts) {
  uint64_t h = 1469598103934665603ULL;
  for (absl::string_view part : parts) {
    for (unsigned char c : part) {
      h = (h ^ c) * 1099511628211ULL;
    }
    // A separator, so ("ab","c") and ("a","bc") differ.
    h = (h ^ 0xff) * 1099511628211ULL;
  }
  return h;
}

std::string EncodePageToken(uint64_t request_fingerprint, absl::string_view cursor) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kTokenVersion, ":", absl::Hex(request_fingerprint), ":", cursor));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, uint64_t request_fingerprint) {
  if (token.empty()) {
    return std::string();
  }
  std::string raw;
  std::string expected_prefix =
      absl::StrCat(kTokenVersion, ":", absl::Hex(request_fingerprint), ":");
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.rfind(expected_prefix, 0) != 0) {
    return InvalidField("page_token",
                        "is not a token this list returned for these parameters; start again "
                        "without a page_token");
  }
  return raw.substr(expected_prefix.size());
}

std::string MakeEtag(absl::string_view name, int64_t version) {
  std::string version_text = absl::StrCat(version);
  uint64_t check = Fingerprint({name, version_text}) & 0xffffffffULL;
  return absl::StrCat(version_text, "-", absl::Hex(check, absl::kZeroPad8));
}

absl::StatusOr<int64_t> ParseEtag(absl::string_view field, absl::string_view name,
                                  absl::string_view etag) {
  size_t dash = etag.find('-');
  int64_t version = 0;
  if (dash == absl::string_view::npos || !absl::SimpleAtoi(etag.substr(0, dash), &version) ||
      MakeEtag(name, version) != etag) {
    return absl::AbortedError(absl::StrCat(field, ": '", etag.substr(0, 40),
                                           "' is not the current etag of ", name,
                                           "; read it again and retry"));
  }
  return version;
}

}  // namespace gt
