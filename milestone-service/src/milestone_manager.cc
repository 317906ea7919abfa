#include "milestone_manager.h"

#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gt/call_deadline.h"
#include "gt/dates.h"
#include "gt/overdue.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/update_mask.h"
#include "gt/validation.h"
#include "milestone_rules.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

// A client clock a little ahead of ours is not an update from the future.
constexpr absl::Duration kClockSkew = absl::Seconds(5);

std::string Path(absl::string_view prefix, absl::string_view field) {
  return FieldPath(prefix, field);
}

absl::CivilDay Today(absl::Time now) { return OverdueDayNow(now); }

}  // namespace

absl::StatusOr<MilestoneKey> MilestoneManager::Scoped(const Caller& caller, absl::string_view field,
                                                      absl::string_view name) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, ParseMilestone(field, name));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, "milestone", name));
  return key;
}

absl::StatusOr<absl::Time> MilestoneManager::EffectiveAt(absl::string_view field,
                                                         const google::protobuf::Timestamp& given) {
  absl::Time now = now_();
  if (given.seconds() == 0 && given.nanos() == 0) {
    return now;
  }
  absl::Time t = FromTimestamp(given);
  if (t > now + kClockSkew) {
    return InvalidField(
        field, absl::StrCat("must not be in the future, got ",
                            absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone())));
  }
  if (t < absl::FromCivil(absl::CivilDay(1900, 1, 1), absl::UTCTimeZone())) {
    return InvalidField(field, "must not be before 1900");
  }
  return t;
}

absl::StatusOr<NewMilestone> MilestoneManager::NewMilestoneOf(
    const Caller& caller, const PlanRef& plan, const v1::Milestone& m, absl::string_view prefix,
    std::optional<google::protobuf::Timestamp> effective_at, absl::string_view effective_field,
    absl::string_view reason, absl::string_view reason_field, const std::string& request_id) {
  if (m.activity().empty()) {
    return InvalidField(Path(prefix, "activity"), "must not be empty");
  }
  GT_ASSIGN_OR_RETURN(int64_t activity_id,
                      ParseActivity(Path(prefix, "activity"), m.activity(), plan));
  GT_RETURN_IF_ERROR(RequiredText(prefix, "title", m.title(), kMaxTitle));
  GT_RETURN_IF_ERROR(MaxText(prefix, "lead_officer", m.lead_officer(), 500));
  GT_RETURN_IF_ERROR(MaxText(prefix, "directorate", m.directorate(), 100));
  if (m.ordinal() < 0) {
    return InvalidField(Path(prefix, "ordinal"), "must not be negative");
  }
  GT_RETURN_IF_ERROR(CheckDirectorateScope(caller, m.directorate(),
                                           prefix.empty()
                                               ? std::string("the new milestone")
                                               : absl::StrCat("the new milestone ", prefix)));
  GT_RETURN_IF_ERROR(
      ValidateOptionalDate(Path(prefix, "baseline_deadline"), m.baseline_deadline()));
  GT_RETURN_IF_ERROR(ValidateOptionalDate(Path(prefix, "current_deadline"), m.current_deadline()));
  GT_RETURN_IF_ERROR(KnownEnum(prefix, "status", m.status(), v1::MilestoneStatus_descriptor()));
  int32_t status = m.status() == v1::MILESTONE_STATUS_UNSPECIFIED ? v1::NOT_STARTED : m.status();
  GT_RETURN_IF_ERROR(CheckProgress(prefix, status, m.percent_complete(), m.latest_comment(),
                                   m.percent_complete() != 0));
  GT_ASSIGN_OR_RETURN(
      absl::Time effective,
      EffectiveAt(effective_field, effective_at.value_or(google::protobuf::Timestamp())));
  bool reported =
      status != v1::NOT_STARTED || m.percent_complete() != 0 || !m.latest_comment().empty();
  if (!reported && !effective_at.has_value()) {
    // A plain "not started" creation holds from the beginning: officers'
    // backdated updates (e.g. for last quarter) must outrank it.
    effective = Never();
  }

  NewMilestone n;
  n.row.activity_id = activity_id;
  n.row.ordinal = m.ordinal();
  n.row.title = m.title();
  n.row.lead_officer = m.lead_officer();
  n.row.directorate = m.directorate();
  n.row.deadline_assumed = m.deadline_assumed();
  n.row.baseline_deadline =
      m.baseline_deadline().empty() ? m.current_deadline() : m.baseline_deadline();
  UpdateRow created;
  created.kind = v1::CREATED;
  created.status = status;
  created.percent_complete = status == v1::COMPLETED ? 100 : m.percent_complete();
  created.comment = m.latest_comment();
  created.effective_at = effective;
  created.request_id = request_id;
  created.recorded_by = caller.subject;
  n.history.push_back(created);
  if (!m.current_deadline().empty() && m.current_deadline() != n.row.baseline_deadline) {
    GT_RETURN_IF_ERROR(RequiredText("", reason_field, reason, kMaxReason));
    UpdateRow revision;
    revision.kind = v1::DEADLINE_REVISION;
    revision.status = status;
    revision.previous_deadline = n.row.baseline_deadline;
    revision.new_deadline = m.current_deadline();
    revision.reason = std::string(reason);
    revision.effective_at = effective;
    revision.request_id = request_id;
    revision.recorded_by = caller.subject;
    n.history.push_back(revision);
  }
  return n;
}

absl::Status MilestoneManager::Place(const Caller& caller, absl::Time deadline, const PlanRef& plan,
                                     std::vector<NewMilestone>& rows) {
  if (rows.empty()) {
    return absl::OkStatus();
  }
  GT_ASSIGN_OR_RETURN(auto places, activities_.Activities(caller, deadline, plan));
  for (NewMilestone& n : rows) {
    auto it = places.find(n.row.activity_id);
    if (it == places.end()) {
      return NotFound("activity", ActivityName(plan, n.row.activity_id));
    }
    n.row.outcome_id = it->second.outcome_id;
    n.row.priority_id = it->second.priority_id;
    n.row.priority_position = it->second.priority_position;
    n.row.outcome_position = it->second.outcome_position;
    n.row.activity_position = it->second.activity_position;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Milestone>> MilestoneManager::Create(
    const Caller& caller, absl::Time deadline, const std::string& parent,
    const std::vector<const v1::CreateMilestoneRequest*>& requests, const std::string& request_id,
    const google::protobuf::Message& body, const std::string& method) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ParsePlan("parent", parent));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "plan", parent));
  if (requests.empty()) {
    return InvalidField("requests", "must not be empty");
  }
  if (requests.size() > kMaxBatch) {
    return InvalidField("requests",
                        absl::StrCat("at most ", kMaxBatch, " per batch, got ", requests.size()));
  }
  // Validate everything before asking plan-service anything.
  std::vector<NewMilestone> rows;
  const bool single = requests.size() == 1 && method == "CreateMilestone";
  for (size_t i = 0; i < requests.size(); ++i) {
    const v1::CreateMilestoneRequest& r = *requests[i];
    if (!r.parent().empty() && r.parent() != parent) {
      return InvalidField(absl::StrCat("requests[", i, "].parent"),
                          absl::StrCat("must be empty or ", parent));
    }
    std::string item = single ? "" : absl::StrCat("requests[", i, "]");
    GT_ASSIGN_OR_RETURN(
        NewMilestone n,
        NewMilestoneOf(caller, plan, r.milestone(), Path(item, "milestone"),
                       r.has_effective_at()
                           ? std::optional<google::protobuf::Timestamp>(r.effective_at())
                           : std::nullopt,
                       Path(item, "effective_at"), r.revision_reason(),
                       Path(item, "revision_reason"), request_id));
    rows.push_back(std::move(n));
  }
  GT_RETURN_IF_ERROR(Place(caller, deadline, plan, rows));

  std::optional<RequestKey> key;
  if (!request_id.empty()) {
    GT_ASSIGN_OR_RETURN(key, MakeRequestKey(plan.organisation, request_id, method, body));
  }
  absl::CivilDay today = Today(now_());
  auto encode = [&](const std::vector<MilestoneRow>& created) {
    v1::BatchCreateMilestonesResponse response;
    for (const MilestoneRow& row : created) {
      *response.add_milestones() = ToProto(plan, row, today);
    }
    return response.SerializeAsString();
  };
  GT_ASSIGN_OR_RETURN(auto result, repository_.CreateMilestones(plan, std::move(rows),
                                                                key ? &*key : nullptr, encode));
  v1::BatchCreateMilestonesResponse response;
  if (result.replayed.has_value()) {
    response.ParseFromString(*result.replayed);
  } else {
    response.ParseFromString(encode(result.value));
  }
  return std::vector<v1::Milestone>(response.milestones().begin(), response.milestones().end());
}

absl::StatusOr<v1::Milestone> MilestoneManager::CreateMilestone(
    const Caller& caller, absl::Time deadline, const v1::CreateMilestoneRequest& request) {
  v1::CreateMilestoneRequest body = request;
  body.clear_request_id();
  GT_ASSIGN_OR_RETURN(auto created, Create(caller, deadline, request.parent(), {&request},
                                           request.request_id(), body, "CreateMilestone"));
  return created.front();
}

absl::StatusOr<v1::BatchCreateMilestonesResponse> MilestoneManager::BatchCreateMilestones(
    const Caller& caller, absl::Time deadline, const v1::BatchCreateMilestonesRequest& request) {
  std::vector<const v1::CreateMilestoneRequest*> requests;
  for (const auto& r : request.requests()) {
    requests.push_back(&r);
  }
  v1::BatchCreateMilestonesRequest body = request;
  body.clear_request_id();
  GT_ASSIGN_OR_RETURN(auto created, Create(caller, deadline, request.parent(), requests,
                                           request.request_id(), body, "BatchCreateMilestones"));
  v1::BatchCreateMilestonesResponse response;
  for (auto& m : created) {
    *response.add_milestones() = std::move(m);
  }
  return response;
}

absl::StatusOr<v1::Milestone> MilestoneManager::GetMilestone(
    const Caller& caller, const v1::GetMilestoneRequest& request) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, Scoped(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(MilestoneRow row, repository_.GetMilestone(key));
  return ToProto(key.plan, row, Today(now_()));
}

absl::StatusOr<PlanRef> MilestoneManager::ScopedPlan(const Caller& caller, absl::string_view field,
                                                     absl::string_view name) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ParsePlan(field, name));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "plan", name));
  return plan;
}

absl::Status MilestoneManager::RequirePlan(const Caller& caller, const PlanRef& plan) {
  absl::Time deadline = std::min(CurrentCallDeadline(), absl::Now() + absl::Seconds(10));
  return activities_.PlanExists(caller, deadline, plan);
}

absl::StatusOr<v1::ListMilestonesResponse> MilestoneManager::ListMilestones(
    const Caller& caller, const v1::ListMilestonesRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 100, 1000));
  MilestoneFilter filter;
  if (!request.activity().empty()) {
    GT_ASSIGN_OR_RETURN(filter.activity_id, ParseActivity("activity", request.activity(), plan));
  }
  for (int i = 0; i < request.statuses_size(); ++i) {
    GT_RETURN_IF_ERROR(KnownEnum("", absl::StrCat("statuses[", i, "]"), request.statuses(i),
                                 v1::MilestoneStatus_descriptor()));
    filter.statuses.insert(request.statuses(i));
  }
  if (!request.overdue_at().empty()) {
    GT_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate("overdue_at", request.overdue_at()));
    // Today has not closed: overdue "at today" is judged as every current
    // view judges it (gt::OverdueDay).
    filter.overdue_at = OverdueDay(day, now_());
  }
  GT_RETURN_IF_ERROR(ValidateOptionalDate("deadline_from", request.deadline_from()));
  GT_RETURN_IF_ERROR(ValidateOptionalDate("deadline_to", request.deadline_to()));
  filter.directorate = request.directorate();
  filter.lead_officer = request.lead_officer();
  filter.deadline_from = request.deadline_from();
  filter.deadline_to = request.deadline_to();

  v1::ListMilestonesRequest shape = request;
  shape.clear_page_size();
  shape.clear_page_token();
  uint64_t fp = Fingerprint({"milestones", shape.SerializeAsString()});
  GT_ASSIGN_OR_RETURN(std::string cursor_text, DecodePageToken(request.page_token(), fp));
  OrderCursor after;
  if (!cursor_text.empty()) {
    std::vector<std::string> parts = absl::StrSplit(cursor_text, ',');
    bool ok = parts.size() == 6;
    for (size_t i = 0; ok && i < 6; ++i) {
      ok = absl::SimpleAtoi(parts[i], &after.values[i]);
    }
    if (!ok) {
      return InvalidField("page_token", "is not a token this list returned");
    }
  }
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  GT_ASSIGN_OR_RETURN(auto rows, repository_.ListMilestones(plan, filter, after, size + 1));
  v1::ListMilestonesResponse response;
  if (static_cast<int>(rows.size()) > size) {
    rows.resize(size);
    OrderCursor last = CursorOf(rows.back());
    response.set_next_page_token(EncodePageToken(
        fp, absl::StrCat(last.values[0], ",", last.values[1], ",", last.values[2], ",",
                         last.values[3], ",", last.values[4], ",", last.values[5])));
  }
  absl::CivilDay day = filter.overdue_at.value_or(Today(now_()));
  for (const MilestoneRow& row : rows) {
    *response.add_milestones() = ToProto(plan, row, day);
  }
  return response;
}

absl::StatusOr<v1::Milestone> MilestoneManager::UpdateMilestone(
    const Caller& caller, const v1::UpdateMilestoneRequest& request) {
  const v1::Milestone& update = request.milestone();
  GT_ASSIGN_OR_RETURN(MilestoneKey key, Scoped(caller, "milestone.name", update.name()));
  static const UpdateMaskRules kRules{
      "Milestone",
      {"title", "ordinal", "lead_officer", "directorate", "deadline_assumed"},
      [](absl::string_view p) -> std::string {
        if (p == "status" || p == "percent_complete" || p == "latest_comment") {
          return " (progress changes only through UpdateMilestoneProgress)";
        }
        if (p == "current_deadline" || p == "baseline_deadline") {
          return " (deadlines change only through ReviseDeadline)";
        }
        return "";
      }};
  GT_ASSIGN_OR_RETURN(std::vector<std::string> paths,
                      ResolveUpdateMask(request.update_mask(), update, kRules));
  GT_ASSIGN_OR_RETURN(MilestoneRow row, repository_.EditMilestone(key, [&](MilestoneRow& current) {
    GT_RETURN_IF_ERROR(CheckEtag("milestone.etag", update.etag(), key, current.version));
    GT_RETURN_IF_ERROR(CheckDirectorateScope(caller, current.directorate, update.name()));
    for (const std::string& p : paths) {
      if (p == "title") {
        current.title = update.title();
      } else if (p == "ordinal") {
        current.ordinal = update.ordinal();
      } else if (p == "lead_officer") {
        current.lead_officer = update.lead_officer();
      } else if (p == "deadline_assumed") {
        current.deadline_assumed = update.deadline_assumed();
      } else {
        current.directorate = update.directorate();
      }
    }
    GT_RETURN_IF_ERROR(RequiredText("milestone", "title", current.title, kMaxTitle));
    GT_RETURN_IF_ERROR(MaxText("milestone", "lead_officer", current.lead_officer, 500));
    GT_RETURN_IF_ERROR(MaxText("milestone", "directorate", current.directorate, 100));
    // A limited token may not move a milestone out of its directorates.
    GT_RETURN_IF_ERROR(CheckDirectorateScope(caller, current.directorate, update.name()));
    if (current.ordinal < 0) {
      return InvalidField("milestone.ordinal", "must not be negative");
    }
    return absl::OkStatus();
  }));
  return ToProto(key.plan, row, Today(now_()));
}

absl::Status MilestoneManager::DeleteMilestone(const Caller& caller,
                                               const v1::DeleteMilestoneRequest& request) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, Scoped(caller, "name", request.name()));
  return repository_.DeleteMilestone(key, [&](const MilestoneRow& current) {
    GT_RETURN_IF_ERROR(CheckDirectorateScope(caller, current.directorate, request.name()));
    return CheckEtag("etag", request.etag(), key, current.version);
  });
}

absl::StatusOr<v1::Milestone> MilestoneManager::UpdateMilestoneProgress(
    const Caller& caller, const v1::UpdateMilestoneProgressRequest& request) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, Scoped(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(absl::Time effective, EffectiveAt("effective_at", request.effective_at()));
  GT_ASSIGN_OR_RETURN(Decision decide, ProgressDecision("", request, key, effective));
  return Record(caller, key, request, request.request_id(), "UpdateMilestoneProgress", decide);
}

absl::StatusOr<v1::Milestone> MilestoneManager::ReviseDeadline(
    const Caller& caller, const v1::ReviseDeadlineRequest& request) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, Scoped(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(absl::Time effective, EffectiveAt("effective_at", request.effective_at()));
  GT_ASSIGN_OR_RETURN(Decision decide, RevisionDecision("", request, key, effective));
  return Record(caller, key, request, request.request_id(), "ReviseDeadline", decide);
}

void MilestoneManager::SettleInDoubt(const std::optional<RequestKey>& request, const PlanRef& plan,
                                     const absl::Status& status, bool replayed,
                                     std::vector<UpdateRow> decided) {
  if (!request.has_value()) {
    return;
  }
  if (!status.ok()) {
    if ((absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) && !decided.empty()) {
      in_doubt_.Add(*request, plan, std::move(decided));
    }
  } else if (auto settled = in_doubt_.Take(*request); settled && replayed) {
    for (const UpdateRow& u : settled->updates) {
      on_commit_(settled->plan, u);  // it had committed after all
    }
  }
}

absl::StatusOr<v1::Milestone> MilestoneManager::Record(
    const Caller& caller, const MilestoneKey& key, const google::protobuf::Message& request,
    const std::string& request_id, const std::string& method,
    const std::function<absl::StatusOr<UpdateRow>(const MilestoneRow&)>& decide) {
  std::optional<RequestKey> rk;
  if (!request_id.empty()) {
    std::unique_ptr<google::protobuf::Message> body(request.New());
    body->CopyFrom(request);
    body->GetReflection()->ClearField(body.get(),
                                      body->GetDescriptor()->FindFieldByName("request_id"));
    GT_ASSIGN_OR_RETURN(rk, MakeRequestKey(key.plan.organisation, request_id, method, *body));
  }
  absl::CivilDay today = Today(now_());
  UpdateCallbacks calls;
  std::optional<UpdateRow> decided;  // the last row decided, for InDoubtUpdates
  calls.decide = [&](const MilestoneRow& current) -> absl::StatusOr<UpdateRow> {
    GT_RETURN_IF_ERROR(
        CheckDirectorateScope(caller, current.directorate, MilestoneName(key.plan, key.id)));
    GT_ASSIGN_OR_RETURN(UpdateRow u, decide(current));
    u.request_id = request_id;
    u.recorded_by = caller.subject;
    decided = u;
    return u;
  };
  calls.encode = [&](const RecordedUpdate& recorded) {
    return ToProto(key.plan, recorded.milestone, today).SerializeAsString();
  };
  calls.want_update_id = [&] { return !sequence_wanted_ || sequence_wanted_(key.plan); };
  calls.on_commit = [&](const RecordedUpdate& recorded) { on_commit_(key.plan, recorded.update); };
  auto recorded = repository_.RecordUpdate(key, rk ? &*rk : nullptr, calls);
  std::vector<UpdateRow> decided_rows;
  if (decided.has_value()) {
    decided_rows.push_back(*decided);
  }
  SettleInDoubt(rk, key.plan, recorded.status(), recorded.ok() && recorded->replayed.has_value(),
                std::move(decided_rows));
  GT_RETURN_IF_ERROR(recorded.status());
  auto& result = *recorded;
  v1::Milestone response;
  if (result.replayed.has_value()) {
    response.ParseFromString(*result.replayed);
    return response;
  }
  return ToProto(key.plan, result.value.milestone, today);
}

}  // namespace gt::milestone
