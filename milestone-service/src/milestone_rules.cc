#include "milestone_rules.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "gt/validation.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

absl::Status CheckProgress(absl::string_view prefix, int32_t status, int32_t percent,
                           absl::string_view comment, bool percent_given) {
  if (status == v1::COMPLETED && percent_given && percent != 100) {
    return InvalidField(FieldPath(prefix, "percent_complete"),
                        absl::StrCat("COMPLETED means 100%, got ", percent));
  }
  if (percent < 0 || percent > 100) {
    return InvalidField(FieldPath(prefix, "percent_complete"),
                        absl::StrCat("must be 0..100, got ", percent));
  }
  // A Milestone's comment field is latest_comment; a request's is comment.
  const bool milestone = absl::EndsWith(prefix, "milestone");
  if (status == v1::DELAYED && comment.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return InvalidField(FieldPath(prefix, milestone ? "latest_comment" : "comment"),
                        "required when status is DELAYED: it is the explanation the year-end "
                        "report prints");
  }
  return MaxText(prefix, milestone ? "latest_comment" : "comment", comment, kMaxComment);
}

absl::Status CheckEtag(absl::string_view field, const std::string& etag, const MilestoneKey& key,
                       int64_t version) {
  return CheckResourceEtag(field, etag, MilestoneName(key.plan, key.id), version);
}

absl::Status CheckResourceEtag(absl::string_view field, const std::string& etag,
                               const std::string& name, int64_t version) {
  if (etag.empty()) {
    return absl::OkStatus();
  }
  GT_ASSIGN_OR_RETURN(int64_t given, ParseEtag(field, name, etag));
  if (given != version) {
    return absl::AbortedError(absl::StrCat(field, ": '", etag, "' is not the current etag of ",
                                           name,
                                           " (it changed since you read it); read it again and "
                                           "retry"));
  }
  return absl::OkStatus();
}

UpdateRow RevisionRow(const MilestoneRow& current, const std::string& new_deadline,
                      const std::string& reason) {
  UpdateRow u;
  u.kind = v1::DEADLINE_REVISION;
  u.status = current.status;
  u.percent_complete = current.percent_complete;
  u.previous_deadline = current.current_deadline;
  u.new_deadline = new_deadline;
  u.reason = reason;
  return u;
}

absl::StatusOr<Decision> ProgressDecision(absl::string_view prefix,
                                          const v1::UpdateMilestoneProgressRequest& request,
                                          const MilestoneKey& key, absl::Time effective) {
  if (request.status() == v1::MILESTONE_STATUS_UNSPECIFIED) {
    return InvalidField(FieldPath(prefix, "status"),
                        "must be set: NOT_STARTED, ON_TARGET, DELAYED, COMPLETED, "
                        "DEFERRED or CANCELLED");
  }
  GT_RETURN_IF_ERROR(
      KnownEnum(prefix, "status", request.status(), v1::MilestoneStatus_descriptor()));
  int32_t percent = request.has_percent_complete()      ? request.percent_complete()
                    : request.status() == v1::COMPLETED ? 100
                                                        : 0;
  GT_RETURN_IF_ERROR(CheckProgress(prefix, request.status(), percent, request.comment(),
                                   request.has_percent_complete()));
  std::string etag_field = FieldPath(prefix, "etag");
  return Decision([&request, key, effective,
                   etag_field](const MilestoneRow& current) -> absl::StatusOr<UpdateRow> {
    GT_RETURN_IF_ERROR(CheckEtag(etag_field, request.etag(), key, current.version));
    UpdateRow u;
    u.kind = v1::PROGRESS;
    u.status = request.status();
    // Omitted percent: COMPLETED is 100, NOT_STARTED 0, otherwise as it was.
    u.percent_complete = request.has_percent_complete()        ? request.percent_complete()
                         : request.status() == v1::COMPLETED   ? 100
                         : request.status() == v1::NOT_STARTED ? 0
                                                               : current.percent_complete;
    u.comment = request.comment();
    u.effective_at = effective;
    return u;
  });
}

absl::StatusOr<Decision> RevisionDecision(absl::string_view prefix,
                                          const v1::ReviseDeadlineRequest& request,
                                          const MilestoneKey& key, absl::Time effective) {
  std::string deadline_field = FieldPath(prefix, "new_deadline");
  if (request.new_deadline().empty()) {
    return InvalidField(deadline_field, "must not be empty");
  }
  GT_RETURN_IF_ERROR(ParseDate(deadline_field, request.new_deadline()).status());
  GT_RETURN_IF_ERROR(RequiredText(prefix, "reason", request.reason(), kMaxReason));
  std::string etag_field = FieldPath(prefix, "etag");
  return Decision([&request, key, effective, etag_field,
                   deadline_field](const MilestoneRow& current) -> absl::StatusOr<UpdateRow> {
    GT_RETURN_IF_ERROR(CheckEtag(etag_field, request.etag(), key, current.version));
    if (request.new_deadline() == current.current_deadline) {
      return InvalidField(deadline_field, absl::StrCat("is already the current deadline (",
                                                       current.current_deadline, ")"));
    }
    UpdateRow u = RevisionRow(current, request.new_deadline(), request.reason());
    u.effective_at = effective;
    return u;
  });
}

}  // namespace gt::milestone
