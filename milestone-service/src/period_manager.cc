#include "period_manager.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/paging.h"
#include "gt/sha256.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/validation.h"
#include "milestone_rules.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

constexpr size_t kMaxPeriodTitle = 200;

// "A..B" of a period, for messages.
std::string Span(const PeriodRow& p) {
  return absl::StrCat(FormatDate(p.start_date), "..", FormatDate(p.as_of));
}

// Refuses a period that overlaps a live one (cancelled periods do not
// count) or takes an id in use; `field` names the new period's start.
absl::Status CheckFits(const std::vector<PeriodRow>& existing, const PlanRef& plan,
                       const PeriodRow& p, absl::string_view field) {
  for (const PeriodRow& e : existing) {
    if (e.id == p.id) {
      return absl::AlreadyExistsError(
          absl::StrCat("period ", PeriodName(PeriodKey{plan, p.id}), " already exists"));
    }
    if (e.state != v1::Period::CANCELLED && p.start_date <= e.as_of && e.start_date <= p.as_of) {
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", Span(p), " overlaps period ", PeriodName(PeriodKey{plan, e.id}),
                       " (", Span(e), "); a plan's periods never overlap"));
    }
  }
  return absl::OkStatus();
}

std::string PageCursor(size_t offset) { return absl::StrCat(offset); }

}  // namespace

absl::Status PeriodManager::Unlimited(const Caller& caller, absl::string_view method) {
  if (caller.directorates.empty()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(method, " acts on a whole plan; this token is limited to directorates (",
                   absl::StrJoin(caller.directorates, ", "), ")"));
}

absl::StatusOr<PeriodKey> PeriodManager::Scoped(const Caller& caller, absl::string_view field,
                                                absl::string_view name) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, ParsePeriod(field, name));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, "period", name));
  return key;
}

absl::StatusOr<std::vector<v1::Period>> PeriodManager::Create(
    const PlanRef& plan, std::vector<PeriodRow> rows, const std::string& request_id,
    const google::protobuf::Message& request, const std::string& method) {
  std::optional<RequestKey> rk;
  if (!request_id.empty()) {
    GT_ASSIGN_OR_RETURN(rk, KeyOf(plan.organisation, request_id, method, request));
  }
  auto encode = [&](const std::vector<PeriodRow>& created) {
    v1::CreateQuarterlyPeriodsResponse answer;
    for (const PeriodRow& p : created) {
      *answer.add_periods() = ToProto(plan, p);
    }
    return answer.SerializeAsString();
  };
  GT_ASSIGN_OR_RETURN(
      auto written,
      repository_.CreatePeriods(
          plan, rows, rk ? &*rk : nullptr,
          [&](const std::vector<PeriodRow>& existing) -> absl::Status {
            std::vector<PeriodRow> seen = existing;
            for (size_t i = 0; i < rows.size(); ++i) {
              GT_RETURN_IF_ERROR(CheckFits(
                  seen, plan, rows[i],
                  rows.size() == 1 ? std::string("period.start_date")
                                   : absl::StrCat("quarter ", i + 1, " (", rows[i].id, ")")));
              seen.push_back(rows[i]);
            }
            return absl::OkStatus();
          },
          encode));
  std::vector<v1::Period> out;
  if (written.replayed.has_value()) {
    v1::CreateQuarterlyPeriodsResponse answer;
    answer.ParseFromString(*written.replayed);
    out.assign(answer.periods().begin(), answer.periods().end());
    return out;
  }
  for (const PeriodRow& p : written.value) {
    out.push_back(ToProto(plan, p));
  }
  return out;
}

absl::StatusOr<v1::Period> PeriodManager::CreatePeriod(const Caller& caller, absl::Time deadline,
                                                       const v1::CreatePeriodRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ParsePlan("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "plan", request.parent()));
  GT_RETURN_IF_ERROR(Unlimited(caller, "CreatePeriod"));
  GT_RETURN_IF_ERROR(ValidateId("period_id", request.period_id()));
  const v1::Period& given = request.period();
  PeriodRow row;
  row.id = request.period_id();
  row.title = given.title();
  GT_RETURN_IF_ERROR(RequiredText("period", "title", given.title(), kMaxPeriodTitle));
  GT_ASSIGN_OR_RETURN(row.start_date, ParseDate("period.start_date", given.start_date()));
  GT_ASSIGN_OR_RETURN(row.as_of, ParseDate("period.as_of", given.as_of()));
  GT_ASSIGN_OR_RETURN(row.due_date, ParseDate("period.due_date", given.due_date()));
  if (row.as_of < row.start_date) {
    return InvalidField("period.as_of",
                        absl::StrCat("must not be before period.start_date (",
                                     FormatDate(row.start_date), "), got ", FormatDate(row.as_of)));
  }
  if (row.due_date < row.start_date) {
    return InvalidField(
        "period.due_date",
        absl::StrCat("must not be before the period opens (start_date ", FormatDate(row.start_date),
                     "), got ", FormatDate(row.due_date)));
  }
  row.approval_required = given.approval_required();
  row.state = v1::Period::PLANNED;
  GT_ASSIGN_OR_RETURN(PlanDates dates, plans_.Dates(caller, deadline, plan));
  if (row.start_date < dates.start || row.as_of > dates.end) {
    return InvalidField(
        row.start_date < dates.start ? "period.start_date" : "period.as_of",
        absl::StrCat("the period (", Span(row), ") must lie within the plan's period ",
                     FormatDate(dates.start), "..", FormatDate(dates.end)));
  }
  GT_ASSIGN_OR_RETURN(std::vector<v1::Period> created,
                      Create(plan, {row}, request.request_id(), request, "CreatePeriod"));
  return created.front();
}

absl::StatusOr<v1::CreateQuarterlyPeriodsResponse> PeriodManager::CreateQuarterlyPeriods(
    const Caller& caller, absl::Time deadline, const v1::CreateQuarterlyPeriodsRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ParsePlan("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "plan", request.parent()));
  GT_RETURN_IF_ERROR(Unlimited(caller, "CreateQuarterlyPeriods"));
  if (request.due_days_after() < 0 || request.due_days_after() > 90) {
    return InvalidField("due_days_after",
                        absl::StrCat("must be 0..90, got ", request.due_days_after()));
  }
  GT_ASSIGN_OR_RETURN(PlanDates dates, plans_.Dates(caller, deadline, plan));
  std::vector<PeriodRow> rows;
  int n = 0;
  for (const auto& [from, to] : Quarters(dates.start, dates.end)) {
    ++n;
    PeriodRow row;
    row.id = absl::StrCat(plan.plan, "-q", n);
    if (ValidateId("period_id", row.id).ok() == false) {
      row.id = absl::StrCat("q", n);  // a plan id near the length limit
    }
    row.title = absl::StrCat("Quarter ", n, " (", FormatDate(from), " to ", FormatDate(to), ")");
    row.start_date = from;
    row.as_of = to;
    row.due_date = to + request.due_days_after();
    row.approval_required = request.approval_required();
    row.state = v1::Period::PLANNED;
    rows.push_back(std::move(row));
  }
  if (rows.size() > 40) {
    return InvalidField("parent", absl::StrCat("the plan's period spans ", rows.size(),
                                               " quarters; at most 40 are created at once"));
  }
  GT_ASSIGN_OR_RETURN(
      std::vector<v1::Period> created,
      Create(plan, std::move(rows), request.request_id(), request, "CreateQuarterlyPeriods"));
  v1::CreateQuarterlyPeriodsResponse response;
  for (v1::Period& p : created) {
    *response.add_periods() = std::move(p);
  }
  return response;
}

absl::StatusOr<v1::Period> PeriodManager::GetPeriod(const Caller& caller,
                                                    const v1::GetPeriodRequest& request) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "name", request.name()));
  GT_ASSIGN_OR_RETURN(PeriodRow row, repository_.GetPeriod(key));
  return ToProto(key.plan, row);
}

absl::StatusOr<v1::ListPeriodsResponse> PeriodManager::ListPeriods(
    const Caller& caller, absl::Time deadline, const v1::ListPeriodsRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ParsePlan("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "plan", request.parent()));
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 100, 1000));
  uint64_t fp = Fingerprint({"ListPeriods", request.parent()});
  std::string after;
  if (!request.page_token().empty()) {
    GT_ASSIGN_OR_RETURN(after, DecodePageToken(request.page_token(), fp));
  }
  GT_RETURN_IF_ERROR(plans_.PlanExists(caller, deadline, plan));
  GT_ASSIGN_OR_RETURN(std::vector<PeriodRow> rows, repository_.ListPeriods(plan, after, size + 1));
  v1::ListPeriodsResponse response;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < size; ++i) {
    *response.add_periods() = ToProto(plan, rows[i]);
  }
  if (static_cast<int>(rows.size()) > size) {
    response.set_next_page_token(EncodePageToken(fp, rows[size - 1].id));
  }
  return response;
}

absl::StatusOr<v1::Period> PeriodManager::Transition(
    const Caller& caller, const v1::PeriodTransitionRequest& request,
    const std::function<absl::Status(PeriodRow&, absl::Time)>& change) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "name", request.name()));
  GT_RETURN_IF_ERROR(MaxText("", "reason", request.reason(), kMaxReason));
  const std::string name = PeriodName(key);
  absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(now_()));
  GT_ASSIGN_OR_RETURN(PeriodRow row, repository_.ChangePeriod(key, [&](PeriodRow& p) {
    GT_RETURN_IF_ERROR(CheckResourceEtag("etag", request.etag(), name, p.version));
    if (p.state == v1::Period::PUBLISHED) {
      return absl::FailedPreconditionError(absl::StrCat("period ", name, " was published at ",
                                                        Instant(*p.publish_time),
                                                        "; a published period never changes"));
    }
    if (p.state == v1::Period::CANCELLED) {
      return absl::FailedPreconditionError(
          absl::StrCat("period ", name, " is CANCELLED; create a new period instead"));
    }
    return change(p, now);
  }));
  return ToProto(key.plan, row);
}

absl::StatusOr<v1::Period> PeriodManager::OpenPeriod(const Caller& caller,
                                                     const v1::PeriodTransitionRequest& request) {
  GT_RETURN_IF_ERROR(Unlimited(caller, "OpenPeriod"));
  return Transition(caller, request, [&](PeriodRow& p, absl::Time now) -> absl::Status {
    if (p.state != v1::Period::PLANNED) {
      return absl::FailedPreconditionError(absl::StrCat("period ", request.name(), " is ",
                                                        StateName(p.state),
                                                        "; only a PLANNED period can be opened"));
    }
    p.state = v1::Period::OPEN;
    p.open_time = now;
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Period> PeriodManager::StartPeriodReview(
    const Caller& caller, const v1::PeriodTransitionRequest& request) {
  GT_RETURN_IF_ERROR(Unlimited(caller, "StartPeriodReview"));
  return Transition(caller, request, [&](PeriodRow& p, absl::Time now) -> absl::Status {
    if (p.state != v1::Period::OPEN) {
      return absl::FailedPreconditionError(absl::StrCat("period ", request.name(), " is ",
                                                        StateName(p.state),
                                                        "; only an OPEN period goes into review"));
    }
    p.state = v1::Period::IN_REVIEW;
    p.review_time = now;
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Period> PeriodManager::CancelPeriod(const Caller& caller,
                                                       const v1::PeriodTransitionRequest& request) {
  GT_RETURN_IF_ERROR(Unlimited(caller, "CancelPeriod"));
  if (absl::StripAsciiWhitespace(request.reason()).empty()) {
    return InvalidField("reason", "is required to cancel a period");
  }
  return Transition(caller, request, [&](PeriodRow& p, absl::Time now) -> absl::Status {
    p.state = v1::Period::CANCELLED;
    p.cancel_time = now;
    p.cancel_reason = request.reason();
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ListDueUpdatesResponse> PeriodManager::ListDueUpdates(
    const Caller& caller, const v1::ListDueUpdatesRequest& request) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "parent", request.parent()));
  std::set<int> states;
  for (int i = 0; i < request.states_size(); ++i) {
    int s = request.states(i);
    if (s == v1::DUE_STATE_UNSPECIFIED || !v1::DueState_IsValid(s)) {
      return InvalidField(
          absl::StrCat("states[", i, "]"),
          absl::StrCat("must be MISSING, SUBMITTED, RETURNED or APPROVED, got ", s));
    }
    states.insert(s);
  }
  GT_RETURN_IF_ERROR(MaxText("", "directorate", request.directorate(), 100));
  GT_RETURN_IF_ERROR(MaxText("", "lead_officer", request.lead_officer(), 500));
  if (request.stale_days() < 0) {
    return InvalidField("stale_days",
                        absl::StrCat("must not be negative, got ", request.stale_days()));
  }
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 100, 5000));
  uint64_t fp = Fingerprint({"ListDueUpdates", request.parent(), request.directorate(),
                             request.lead_officer(), absl::StrCat(request.stale_days()),
                             absl::StrJoin(states, ",")});
  size_t offset = 0;
  if (!request.page_token().empty()) {
    GT_ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(request.page_token(), fp));
    if (!absl::SimpleAtoi(cursor, &offset)) {
      return InvalidField("page_token", "is not a token this method gave");
    }
  }
  GT_ASSIGN_OR_RETURN(PeriodRow period, repository_.GetPeriod(key));
  GT_ASSIGN_OR_RETURN(DueFacts facts, repository_.Due(key.plan, period));
  absl::Time now = now_();
  Caller filter;
  if (!request.directorate().empty()) {
    filter.directorates = {request.directorate()};
  }
  v1::ListDueUpdatesResponse response;
  std::map<std::pair<std::string, int>, int32_t> counts;
  std::vector<v1::DueUpdate> matched;
  for (v1::DueUpdate& due : DueOf(key.plan, facts, now)) {
    if (!InDirectorateScope(caller, due.directorate()) ||
        !InDirectorateScope(filter, due.directorate()) ||
        (!states.empty() && states.count(due.state()) == 0) ||
        (!request.lead_officer().empty() && due.lead_officer() != request.lead_officer())) {
      continue;
    }
    if (request.stale_days() > 0 && due.has_last_update_time() &&
        due.days_since_update() < request.stale_days()) {
      continue;
    }
    ++counts[{due.directorate(), due.state()}];
    matched.push_back(std::move(due));
  }
  for (size_t i = offset; i < matched.size() && i < offset + static_cast<size_t>(size); ++i) {
    *response.add_due() = std::move(matched[i]);
  }
  if (offset + static_cast<size_t>(size) < matched.size()) {
    response.set_next_page_token(EncodePageToken(fp, PageCursor(offset + size)));
  }
  for (const auto& [group, n] : counts) {
    v1::DueCount* c = response.add_counts();
    c->set_directorate(group.first);
    c->set_state(static_cast<v1::DueState>(group.second));
    c->set_milestones(n);
  }
  response.set_total(static_cast<int32_t>(matched.size()));
  return response;
}

absl::StatusOr<v1::UpdateReview> PeriodManager::ReviewUpdate(
    const Caller& caller, const v1::ReviewUpdateRequest& request) {
  GT_ASSIGN_OR_RETURN(UpdateKey key, ParseUpdate("name", request.name()));
  const PlanRef& plan = key.milestone.plan;
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, plan.organisation, "update", request.name()));
  if (request.action() != v1::APPROVE && request.action() != v1::RETURN) {
    return InvalidField("action",
                        absl::StrCat("must be APPROVE or RETURN, got ", request.action()));
  }
  GT_RETURN_IF_ERROR(MaxText("", "reason", request.reason(), kMaxReason));
  if (request.action() == v1::RETURN && absl::StripAsciiWhitespace(request.reason()).empty()) {
    return InvalidField("reason",
                        "is required when returning an update: say what the officer must change");
  }
  std::optional<RequestKey> rk;
  if (!request.request_id().empty()) {
    GT_ASSIGN_OR_RETURN(rk,
                        KeyOf(plan.organisation, request.request_id(), "ReviewUpdate", request));
  }
  const std::string name = UpdateName(plan, key.milestone.id, key.update_id);
  GT_ASSIGN_OR_RETURN(
      auto written,
      repository_.Review(
          key, rk ? &*rk : nullptr,
          [&](const ReviewContext& c) -> absl::StatusOr<ReviewRow> {
            GT_RETURN_IF_ERROR(CheckDirectorateScope(caller, c.milestone.directorate,
                                                     MilestoneName(plan, c.milestone.id)));
            if (c.update.kind != v1::PROGRESS) {
              return absl::FailedPreconditionError(
                  absl::StrCat("name: only progress updates are reviewed; ", name, " is a ",
                               v1::UpdateKind_Name(c.update.kind)));
            }
            if (!c.period.has_value()) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "name: update ", name, " is effective on ",
                  FormatDate(absl::ToCivilDay(c.update.effective_at, absl::UTCTimeZone())),
                  ", inside no period of ", PlanName(plan)));
            }
            const PeriodRow& p = *c.period;
            const std::string period = PeriodName(PeriodKey{plan, p.id});
            if (!p.InRound()) {
              return absl::FailedPreconditionError(
                  absl::StrCat("period ", period, " is ", StateName(p.state),
                               "; updates are reviewed while it is OPEN or IN_REVIEW"));
            }
            if (c.latest_in_period != key.update_id) {
              return absl::FailedPreconditionError(absl::StrCat(
                  "name: update ", name, " is superseded by ",
                  UpdateName(plan, key.milestone.id, c.latest_in_period),
                  ", the milestone's latest update of period ", period, "; review that one"));
            }
            if (c.latest_review.has_value() && c.latest_review->action == request.action()) {
              return absl::FailedPreconditionError(
                  absl::StrCat("update ", name, " is already ",
                               request.action() == v1::APPROVE ? "APPROVED" : "RETURNED", " (by ",
                               c.latest_review->reviewed_by, " at ",
                               Instant(c.latest_review->review_time), ")"));
            }
            ReviewRow r;
            r.period_id = p.id;
            r.milestone_id = key.milestone.id;
            r.update_id = key.update_id;
            r.action = request.action();
            r.reason = request.reason();
            r.reviewed_by = caller.subject;
            r.request_id = request.request_id();
            return r;
          },
          [&](const ReviewRow& r) { return ToProto(plan, r).SerializeAsString(); }));
  if (written.replayed.has_value()) {
    v1::UpdateReview answer;
    answer.ParseFromString(*written.replayed);
    return answer;
  }
  return ToProto(plan, written.value);
}

absl::StatusOr<v1::ListUpdateReviewsResponse> PeriodManager::ListUpdateReviews(
    const Caller& caller, const v1::ListUpdateReviewsRequest& request) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "parent", request.parent()));
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(request.page_size(), 100, 1000));
  uint64_t fp = Fingerprint({"ListUpdateReviews", request.parent()});
  int64_t after = 0;
  if (!request.page_token().empty()) {
    GT_ASSIGN_OR_RETURN(std::string cursor, DecodePageToken(request.page_token(), fp));
    if (!absl::SimpleAtoi(cursor, &after)) {
      return InvalidField("page_token", "is not a token this method gave");
    }
  }
  GT_RETURN_IF_ERROR(repository_.GetPeriod(key).status());
  GT_ASSIGN_OR_RETURN(std::vector<ReviewRow> rows, repository_.ListReviews(key, after, size + 1));
  v1::ListUpdateReviewsResponse response;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < size; ++i) {
    *response.add_reviews() = ToProto(key.plan, rows[i]);
  }
  if (static_cast<int>(rows.size()) > size) {
    response.set_next_page_token(EncodePageToken(fp, absl::StrCat(rows[size - 1].review_id)));
  }
  return response;
}

absl::Status PeriodManager::ScrapeDue(std::vector<DueGauge>& due,
                                      std::vector<DueDateGauge>& due_dates) {
  GT_ASSIGN_OR_RETURN(auto periods, repository_.PeriodsInRound());
  absl::Time now = now_();
  for (const auto& [plan, period] : periods) {
    GT_ASSIGN_OR_RETURN(DueFacts facts, repository_.Due(plan, period));
    due_dates.push_back({plan.organisation, plan.plan, period.id,
                         absl::FromCivil(period.due_date, absl::UTCTimeZone())});
    std::map<std::pair<std::string, int>, int64_t> counts;
    std::set<std::string> directorates;
    for (const v1::DueUpdate& d : DueOf(plan, facts, now)) {
      ++counts[{d.directorate(), d.state()}];
      directorates.insert(d.directorate());
    }
    // Every state of every directorate is a series (0 included), so an
    // alert sees a count fall to zero rather than vanish.
    for (const std::string& directorate : directorates) {
      for (int state : {v1::MISSING, v1::SUBMITTED, v1::RETURNED, v1::APPROVED}) {
        auto it = counts.find({directorate, state});
        due.push_back({plan.organisation, plan.plan, period.id, directorate,
                       static_cast<v1::DueState>(state), it == counts.end() ? 0 : it->second});
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace gt::milestone
