#include "gt/request_key.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gt/sha256.h"
#include "gt/status.h"

namespace gt {

absl::StatusOr<RequestKey> MakeRequestKey(absl::string_view organisation,
                                          absl::string_view request_id, absl::string_view method,
                                          const google::protobuf::Message& request_without_id) {
  if (request_id.size() > 100) {
    return InvalidField("request_id",
                        absl::StrCat("must be at most 100 characters, got ", request_id.size()));
  }
  // One spelling per key: "ws-x " must never be taken for "ws-x".
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidField("request_id",
                          "must be printable ASCII without spaces (e.g. a UUID), got '" +
                              absl::CHexEscape(request_id) + "'");
    }
  }
  std::string bytes;
  // Deterministic, so equal requests hash equally whatever map order.
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request_without_id.SerializeToCodedStream(&coded);
  }
  return RequestKey{std::string(organisation), std::string(request_id), std::string(method),
                    Sha256Hex(bytes)};
}

}  // namespace gt
