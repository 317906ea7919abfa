#include "gt/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace gt {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  // absl and gRPC share the canonical code numbering.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return grpc::Status(code, message);
  }
  std::optional<std::string> bad_request = BadRequestFor(status);
  if (!bad_request.has_value()) {
    return grpc::Status(code, message);
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  google::protobuf::Any* any = details.add_details();
  any->set_type_url(std::string(kBadRequestTypeUrl));
  any->set_value(*std::move(bad_request));
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      if (any.type_url() == kBadRequestTypeUrl) {
        out.SetPayload(kBadRequestTypeUrl, absl::Cord(any.value()));
        break;
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> FieldViolations(const grpc::Status& status) {
  std::vector<std::pair<std::string, std::string>> out;
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return out;
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.type_url() != kBadRequestTypeUrl || !bad_request.ParseFromString(any.value())) {
      continue;
    }
    for (const auto& violation : bad_request.field_violations()) {
      out.emplace_back(violation.field(), violation.description());
    }
  }
  return out;
}

grpc::Status ReplaceCodeAndMessage(const grpc::Status& original, grpc::StatusCode code,
                                   std::string message) {
  google::rpc::Status details;
  if (original.error_details().empty() || !details.ParseFromString(original.error_details()) ||
      details.details().empty()) {
    return grpc::Status(code, message);
  }
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace gt
