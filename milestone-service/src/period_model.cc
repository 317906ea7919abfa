#include "period_model.h"

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/overdue.h"
#include "gt/paging.h"
#include "gt/sha256.h"
#include "gt/status.h"
#include "gt/timestamps.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

absl::Time StartOf(absl::CivilDay day) { return absl::FromCivil(day, absl::UTCTimeZone()); }

}  // namespace

absl::Time PeriodRow::Begin() const { return StartOf(start_date); }
absl::Time PeriodRow::End() const { return StartOf(as_of + 1); }
bool PeriodRow::InRound() const {
  return state == v1::Period::OPEN || state == v1::Period::IN_REVIEW;
}

std::vector<v1::DueUpdate> DueOf(const PlanRef& plan, const DueFacts& facts, absl::Time now) {
  std::vector<v1::DueUpdate> out;
  out.reserve(facts.live.size());
  for (const MilestoneRow& m : facts.live) {
    auto before = facts.status_before.find(m.id);
    if (before != facts.status_before.end() &&
        IsFinishedStatus(static_cast<v1::MilestoneStatus>(before->second))) {
      continue;  // finished before the period: owes nothing
    }
    v1::DueUpdate due;
    due.set_milestone(MilestoneName(plan, m.id));
    due.set_activity(ActivityName(plan, m.activity_id));
    due.set_ordinal(m.ordinal);
    due.set_title(m.title);
    due.set_lead_officer(m.lead_officer);
    due.set_directorate(m.directorate);
    due.set_current_deadline(m.current_deadline);
    due.set_state(v1::MISSING);
    if (auto last = facts.last_progress.find(m.id); last != facts.last_progress.end()) {
      *due.mutable_last_update_time() = ToTimestamp(last->second);
      due.set_days_since_update(static_cast<int32_t>(absl::ToInt64Hours(now - last->second) / 24));
    }
    if (auto in = facts.latest_in_period.find(m.id); in != facts.latest_in_period.end()) {
      const UpdateRow& u = in->second;
      due.set_state(v1::SUBMITTED);
      due.set_update(UpdateName(plan, m.id, u.update_id));
      due.set_status(static_cast<v1::MilestoneStatus>(u.status));
      due.set_percent_complete(u.percent_complete);
      *due.mutable_update_recorded_at() = ToTimestamp(u.recorded_at);
      if (auto r = facts.latest_review.find(u.update_id); r != facts.latest_review.end()) {
        const ReviewRow& review = r->second;
        due.set_state(review.action == v1::APPROVE ? v1::APPROVED : v1::RETURNED);
        due.set_reviewed_by(review.reviewed_by);
        *due.mutable_review_time() = ToTimestamp(review.review_time);
        if (review.action == v1::RETURN) {
          due.set_return_reason(review.reason);
        }
      }
    }
    out.push_back(std::move(due));
  }
  return out;
}

std::string PeriodName(const PeriodKey& key) {
  return absl::StrCat(PlanName(key.plan), "/periods/", key.id);
}

std::string UpdateName(const PlanRef& plan, int64_t milestone_id, int64_t update_id) {
  return absl::StrCat(MilestoneName(plan, milestone_id), "/updates/", update_id);
}

absl::StatusOr<PeriodKey> ParsePeriod(absl::string_view field, absl::string_view name) {
  GT_ASSIGN_OR_RETURN(
      auto vars,
      MatchName(field, name, "organisations/{organisation}/plans/{plan}/periods/{period}"));
  GT_RETURN_IF_ERROR(ValidateId(field, vars[2]));
  return PeriodKey{PlanRef{vars[0], vars[1]}, vars[2]};
}

absl::StatusOr<UpdateKey> ParseUpdate(absl::string_view field, absl::string_view name) {
  GT_ASSIGN_OR_RETURN(
      auto vars,
      MatchName(
          field, name,
          "organisations/{organisation}/plans/{plan}/milestones/{milestone}/updates/{update}"));
  GT_ASSIGN_OR_RETURN(int64_t milestone, ParseNumericId(field, vars[2]));
  GT_ASSIGN_OR_RETURN(int64_t update, ParseNumericId(field, vars[3]));
  return UpdateKey{MilestoneKey{PlanRef{vars[0], vars[1]}, milestone}, update};
}

v1::Period ToProto(const PlanRef& plan, const PeriodRow& row) {
  v1::Period p;
  const std::string name = PeriodName(PeriodKey{plan, row.id});
  p.set_name(name);
  p.set_title(row.title);
  p.set_start_date(FormatDate(row.start_date));
  p.set_as_of(FormatDate(row.as_of));
  p.set_due_date(FormatDate(row.due_date));
  p.set_state(static_cast<v1::Period::State>(row.state));
  p.set_approval_required(row.approval_required);
  *p.mutable_create_time() = ToTimestamp(row.create_time);
  if (row.open_time) *p.mutable_open_time() = ToTimestamp(*row.open_time);
  if (row.review_time) *p.mutable_review_time() = ToTimestamp(*row.review_time);
  if (row.publish_time) *p.mutable_publish_time() = ToTimestamp(*row.publish_time);
  if (row.cancel_time) *p.mutable_cancel_time() = ToTimestamp(*row.cancel_time);
  p.set_cancel_reason(row.cancel_reason);
  p.set_pack_sha256(row.pack_sha256);
  p.set_etag(MakeEtag(name, row.version));
  return p;
}

v1::UpdateReview ToProto(const PlanRef& plan, const ReviewRow& row) {
  v1::UpdateReview r;
  r.set_update(UpdateName(plan, row.milestone_id, row.update_id));
  r.set_action(static_cast<v1::ReviewAction>(row.action));
  r.set_reason(row.reason);
  r.set_reviewed_by(row.reviewed_by);
  *r.mutable_review_time() = ToTimestamp(row.review_time);
  r.set_period(PeriodName(PeriodKey{plan, row.period_id}));
  return r;
}

std::string StateName(int32_t state) {
  return v1::Period::State_Name(static_cast<v1::Period::State>(state));
}

std::string Instant(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<RequestKey> KeyOf(const std::string& organisation, const std::string& request_id,
                                 const std::string& method,
                                 const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> body(request.New());
  body->CopyFrom(request);
  body->GetReflection()->ClearField(body.get(),
                                    body->GetDescriptor()->FindFieldByName("request_id"));
  return MakeRequestKey(organisation, request_id, method, *body);
}

std::string ManifestSha256(const std::vector<PackFileRow>& files) {
  std::string manifest;
  for (const PackFileRow& f : files) {
    absl::StrAppend(&manifest, f.sha256, "  ", f.filename, "\n");
  }
  return Sha256Hex(manifest);
}

std::vector<std::pair<absl::CivilDay, absl::CivilDay>> Quarters(absl::CivilDay start,
                                                                absl::CivilDay end) {
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> out;
  absl::CivilMonth month(start);
  absl::CivilDay from = start;
  while (from <= end) {
    month += 3;
    // Three months on from the plan's start, keeping its day of month when
    // the month has it (a plan starting on the 1st gets calendar quarters).
    absl::CivilDay next(month.year(), month.month(), start.day());
    if (next.month() != month.month()) {
      next = absl::CivilDay(absl::CivilMonth(month + 1)) - 1;
      next += 1;
    }
    absl::CivilDay to = std::min(end, next - 1);
    out.emplace_back(from, to);
    from = next;
  }
  return out;
}

}  // namespace gt::milestone
