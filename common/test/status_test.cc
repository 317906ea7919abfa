// INVALID_ARGUMENT answers carry google.rpc.BadRequest in the binary error
// details (grpc-status-details-bin); every other answer carries none.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gt/grpc_status.h"

namespace gt {
namespace {

using Violations = std::vector<std::pair<std::string, std::string>>;

// Decodes the details as any client would: google.rpc.Status, then its Any.
google::rpc::BadRequest DecodeBadRequest(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  google::rpc::BadRequest bad_request;
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() == 1) {
    EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
    EXPECT_TRUE(details.details(0).UnpackTo(&bad_request));
  }
  return bad_request;
}

TEST(StatusDetails, InvalidFieldSendsItsFieldAndRule) {
  grpc::Status s = ToGrpcStatus(InvalidField("plan.title", "must not be empty"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "plan.title: must not be empty");
  google::rpc::BadRequest bad_request = DecodeBadRequest(s);
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "plan.title");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must not be empty");
  EXPECT_EQ(FieldViolations(s), (Violations{{"plan.title", "must not be empty"}}));
}

TEST(StatusDetails, InvalidFieldKeepsItsFieldEvenWhereTheMessageWouldNotTell) {
  // The rule holds ": " and the field is no path the message parser takes:
  // the field comes from InvalidField, not from reading the message.
  grpc::Status s = ToGrpcStatus(InvalidField("--subject", "must be set: e.g. ops"));
  EXPECT_EQ(s.error_message(), "--subject: must be set: e.g. ops");
  EXPECT_EQ(FieldViolations(s), (Violations{{"--subject", "must be set: e.g. ops"}}));
}

TEST(StatusDetails, HandBuiltMessageWithAFieldPathIsRead) {
  grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError(
      "requests[3].progress.comment: must be at most 2000 characters: got 2001"));
  EXPECT_EQ(s.error_message(),
            "requests[3].progress.comment: must be at most 2000 characters: got 2001");
  google::rpc::BadRequest bad_request = DecodeBadRequest(s);
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "requests[3].progress.comment");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "must be at most 2000 characters: got 2001");

  EXPECT_EQ(FieldViolations(ToGrpcStatus(absl::InvalidArgumentError("page_size: must not be "
                                                                    "negative"))),
            (Violations{{"page_size", "must not be negative"}}));
  EXPECT_EQ(
      FieldViolations(ToGrpcStatus(absl::InvalidArgumentError(
          "tree.priorities[1].outcomes[0].activities[3].code: must not be empty"))),
      (Violations{{"tree.priorities[1].outcomes[0].activities[3].code", "must not be empty"}}));
}

TEST(StatusDetails, MessageWithoutAFieldPathSendsNoDetails) {
  for (const char* message : {
           "the request is not a valid goldenthread.v1.ReportRequest",
           "a value is longer than its field allows",
           "line 12: a quoted field is not closed",  // a space: no path
           "Plan.title: must not be empty",          // upper case
           "plan.title:must not be empty",           // no space after ':'
           "plan.title must not be empty",
           "plan.: x",
           ".plan: x",
           "requests[]: x",
           "requests[3: x",
           "requests[3]x: x",
           "9lives: x",
           ": x",
           "",
       }) {
    grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError(message));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << message;
    EXPECT_EQ(s.error_message(), message);
    EXPECT_EQ(s.error_details(), "") << message;
    EXPECT_TRUE(FieldViolations(s).empty()) << message;
  }
}

TEST(StatusDetails, OtherCodesSendNoDetails) {
  absl::Status precondition = absl::FailedPreconditionError("plan.title: must not be empty");
  // Even with a BadRequest payload: details are for INVALID_ARGUMENT only.
  absl::Status with_payload(absl::StatusCode::kFailedPrecondition, "plan.title: x");
  with_payload.SetPayload(kBadRequestTypeUrl,
                          *InvalidField("plan.title", "x").GetPayload(kBadRequestTypeUrl));
  for (const absl::Status& status : {NotFound("plan", "organisations/a/plans/p"), precondition,
                                     with_payload, absl::UnavailableError("x: y")}) {
    grpc::Status s = ToGrpcStatus(status);
    EXPECT_EQ(s.error_code(), static_cast<grpc::StatusCode>(status.code()));
    EXPECT_EQ(s.error_message(), status.message());
    EXPECT_EQ(s.error_details(), "") << status;
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpcStatus(absl::OkStatus()).error_details(), "");
}

TEST(StatusDetails, ABackendsDetailsSurviveAClientThatPassesTheAnswerOn) {
  // A backend's answer as a client receives it...
  grpc::Status backend = ToGrpcStatus(InvalidField("--odd field", "is odd"));
  absl::Status received = FromGrpcStatus(backend);
  EXPECT_EQ(received.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(received.message(), "--odd field: is odd");
  ASSERT_TRUE(received.GetPayload(kBadRequestTypeUrl).has_value());
  // ...passed on unchanged keeps the backend's field (not one read from the
  // message, which has none the parser takes).
  EXPECT_EQ(FieldViolations(ToGrpcStatus(received)), (Violations{{"--odd field", "is odd"}}));
  // Rewritten with a prefix, it is a new message: read from it.
  absl::Status prefixed = absl::InvalidArgumentError(absl::StrCat(
      "end_of_year.", FromGrpcStatus(ToGrpcStatus(InvalidField("as_of", "bad"))).message()));
  EXPECT_EQ(FieldViolations(ToGrpcStatus(prefixed)), (Violations{{"end_of_year.as_of", "bad"}}));
  // No details in, no payload out.
  EXPECT_FALSE(FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x"))
                   .GetPayload(kBadRequestTypeUrl)
                   .has_value());
  EXPECT_FALSE(
      FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x", "not a status proto"))
          .GetPayload(kBadRequestTypeUrl)
          .has_value());
}

TEST(StatusDetails, ReplaceCodeAndMessageKeepsTheDetailsInAgreement) {
  grpc::Status upstream = ToGrpcStatus(InvalidField("plan.title", "must not be empty"));
  grpc::Status replaced =
      ReplaceCodeAndMessage(upstream, grpc::StatusCode::UNAVAILABLE, "plan-service is gone");
  EXPECT_EQ(replaced.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(replaced.error_message(), "plan-service is gone");
  google::rpc::BadRequest bad_request = DecodeBadRequest(replaced);  // checks code and message
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "plan.title");
  grpc::Status plain = ReplaceCodeAndMessage(grpc::Status(grpc::StatusCode::CANCELLED, "c"),
                                             grpc::StatusCode::UNAVAILABLE, "u");
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(plain.error_message(), "u");
  EXPECT_EQ(plain.error_details(), "");
}

}  // namespace
}  // namespace gt
