// MilestoneManager's plan-wide writes: BatchCreateMilestoneUpdates (every
// item or none) and ReconcileMilestones (a re-import that keeps history).
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gt/dates.h"
#include "gt/status.h"
#include "gt/validation.h"
#include "milestone_manager.h"
#include "milestone_rules.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

// Time as stored (microseconds), so that the state folded here is the one
// read back.
absl::Time Stored(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

absl::Status MissingMilestone(absl::string_view field, absl::string_view name) {
  return absl::NotFoundError(
      absl::StrCat(field, ": milestone ", name, " is not a live milestone of the plan"));
}

// The key of a milestone named by `field` of a batch on `plan`.
absl::StatusOr<MilestoneKey> KeyInPlan(absl::string_view field, absl::string_view name,
                                       const PlanRef& plan) {
  GT_ASSIGN_OR_RETURN(MilestoneKey key, ParseMilestone(field, name));
  if (key.plan.organisation != plan.organisation || key.plan.plan != plan.plan) {
    return InvalidField(field, absl::StrCat("must be a milestone of ", PlanName(plan)));
  }
  return key;
}

absl::Status BatchSize(absl::string_view field, int size, bool may_be_empty) {
  if (size == 0 && !may_be_empty) {
    return InvalidField(field, "must not be empty");
  }
  if (size > kMaxBatch) {
    return InvalidField(field, absl::StrCat("at most ", kMaxBatch, " items, got ", size));
  }
  return absl::OkStatus();
}

}  // namespace

template <typename Response>
absl::StatusOr<Response> MilestoneManager::WriteWhole(
    const PlanRef& plan, const std::optional<RequestKey>& request, PlanWriteCallbacks& calls,
    const std::function<Response(const PlanWrite&)>& respond) {
  calls.encode = [&](const PlanWrite& written) { return respond(written).SerializeAsString(); };
  calls.on_commit = [&](const PlanWrite& written) {
    for (const UpdateRow& u : written.history) {
      on_commit_(plan, u);
    }
  };
  // The rows last decided, for a commit in doubt (SettleInDoubt).
  std::vector<UpdateRow> decided;
  auto decide = std::move(calls.decide);
  calls.decide = [&](std::map<int64_t, MilestoneRow>& rows) -> absl::StatusOr<PlanDecision> {
    absl::StatusOr<PlanDecision> changes = decide(rows);
    decided = changes.ok() ? changes->history : std::vector<UpdateRow>{};
    return changes;
  };
  auto result = repository_.WritePlan(plan, request ? &*request : nullptr, calls);
  if (!calls.dry_run) {
    SettleInDoubt(request, plan, result.status(), result.ok() && result->replayed.has_value(),
                  std::move(decided));
  }
  GT_RETURN_IF_ERROR(result.status());
  if (result->replayed.has_value()) {
    Response response;
    response.ParseFromString(*result->replayed);
    return response;
  }
  return respond(result->value);
}

absl::StatusOr<v1::BatchCreateMilestoneUpdatesResponse>
MilestoneManager::BatchCreateMilestoneUpdates(
    const Caller& caller, const v1::BatchCreateMilestoneUpdatesRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  GT_RETURN_IF_ERROR(BatchSize("requests", request.requests_size(), false));
  struct Item {
    MilestoneKey key;
    Decision decide;
  };
  std::vector<Item> items;
  for (int i = 0; i < request.requests_size(); ++i) {
    const v1::MilestoneChange& change = request.requests(i);
    std::string prefix = absl::StrCat("requests[", i, "]");
    Item item;
    // Either kind: the single method's rules under the item's prefix.
    auto check = [&](const auto& r, const char* kind, const auto& decision) -> absl::Status {
      absl::StrAppend(&prefix, kind);
      GT_ASSIGN_OR_RETURN(item.key, KeyInPlan(FieldPath(prefix, "name"), r.name(), plan));
      if (!r.request_id().empty()) {
        return InvalidField(FieldPath(prefix, "request_id"),
                            "must be empty: the batch's request_id covers every item");
      }
      GT_ASSIGN_OR_RETURN(absl::Time effective,
                          EffectiveAt(FieldPath(prefix, "effective_at"), r.effective_at()));
      GT_ASSIGN_OR_RETURN(item.decide, decision(prefix, r, item.key, Stored(effective)));
      return absl::OkStatus();
    };
    if (change.has_progress()) {
      GT_RETURN_IF_ERROR(check(change.progress(), ".progress", ProgressDecision));
    } else if (change.has_revision()) {
      GT_RETURN_IF_ERROR(check(change.revision(), ".revision", RevisionDecision));
    } else {
      return InvalidField(prefix, "must set progress or revision");
    }
    items.push_back(std::move(item));
  }
  std::optional<RequestKey> rk;
  if (!request.request_id().empty() && !request.validate_only()) {
    v1::BatchCreateMilestoneUpdatesRequest body = request;
    body.clear_request_id();
    GT_ASSIGN_OR_RETURN(rk, MakeRequestKey(plan.organisation, request.request_id(),
                                           "BatchCreateMilestoneUpdates", body));
  }
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));

  const absl::CivilDay today = OverdueDayNow(now_());
  std::vector<int64_t> order;  // milestones in order of first appearance
  std::function<v1::BatchCreateMilestoneUpdatesResponse(const PlanWrite&)> respond =
      [&](const PlanWrite& written) {
        v1::BatchCreateMilestoneUpdatesResponse response;
        for (const UpdateRow& u : written.history) {
          *response.add_updates() = ToProto(plan, u);
        }
        for (int64_t id : order) {
          *response.add_milestones() = ToProto(plan, written.rows.at(id), today);
        }
        return response;
      };
  PlanWriteCallbacks calls;
  calls.dry_run = request.validate_only();
  calls.decide = [&](std::map<int64_t, MilestoneRow>& rows) -> absl::StatusOr<PlanDecision> {
    PlanDecision changes;
    order.clear();
    // An etag speaks for the state before the batch.
    std::map<int64_t, int64_t> version_before;
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& item = items[i];
      auto row = rows.find(item.key.id);
      if (row == rows.end()) {
        const v1::MilestoneChange& change = request.requests(static_cast<int>(i));
        return MissingMilestone(
            absl::StrCat("requests[", i, change.has_progress() ? "].progress" : "].revision",
                         ".name"),
            MilestoneName(plan, item.key.id));
      }
      if (version_before.emplace(item.key.id, row->second.version).second) {
        order.push_back(item.key.id);
      }
      GT_RETURN_IF_ERROR(
          CheckDirectorateScope(caller, row->second.directorate, MilestoneName(plan, item.key.id)));
      MilestoneRow as_read = row->second;
      as_read.version = version_before[item.key.id];
      GT_ASSIGN_OR_RETURN(UpdateRow u, item.decide(as_read));
      u.milestone_id = item.key.id;
      u.request_id = request.request_id();
      u.recorded_by = caller.subject;
      Apply(u, row->second);
      changes.history.push_back(std::move(u));
    }
    return changes;
  };
  return WriteWhole(plan, rk, calls, respond);
}

absl::StatusOr<v1::ReconcileMilestonesResponse> MilestoneManager::ReconcileMilestones(
    const Caller& caller, absl::Time deadline, const v1::ReconcileMilestonesRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanRef plan, ScopedPlan(caller, "parent", request.parent()));
  if (!caller.directorates.empty()) {
    return absl::PermissionDeniedError(
        "ReconcileMilestones acts on the whole plan; a token limited to directorates may not "
        "call it");
  }
  GT_RETURN_IF_ERROR(BatchSize("milestones", request.milestones_size(), true));
  GT_RETURN_IF_ERROR(MaxText("", "revision_reason", request.revision_reason(), kMaxReason));
  GT_ASSIGN_OR_RETURN(absl::Time effective, EffectiveAt("effective_at", request.effective_at()));
  effective = Stored(effective);
  const std::string& request_id = request.request_id();
  // Every milestone is checked as a creation would be; a matched one then
  // uses only its fields.
  std::vector<NewMilestone> given;
  std::map<int64_t, int> named;  // id -> index of the milestone naming it
  for (int i = 0; i < request.milestones_size(); ++i) {
    const v1::Milestone& m = request.milestones(i);
    std::string prefix = absl::StrCat("milestones[", i, "]");
    GT_ASSIGN_OR_RETURN(
        NewMilestone n,
        NewMilestoneOf(caller, plan, m, prefix,
                       request.has_effective_at()
                           ? std::optional<google::protobuf::Timestamp>(request.effective_at())
                           : std::nullopt,
                       "effective_at", request.revision_reason(), "revision_reason", request_id));
    if (!m.name().empty()) {
      GT_ASSIGN_OR_RETURN(MilestoneKey key, KeyInPlan(FieldPath(prefix, "name"), m.name(), plan));
      if (!named.emplace(key.id, i).second) {
        return InvalidField(
            FieldPath(prefix, "name"),
            absl::StrCat("names the same milestone as milestones[", named[key.id], "]"));
      }
    }
    given.push_back(std::move(n));
  }
  std::optional<RequestKey> rk;
  if (!request_id.empty() && !request.validate_only()) {
    v1::ReconcileMilestonesRequest body = request;
    body.clear_request_id();
    GT_ASSIGN_OR_RETURN(rk,
                        MakeRequestKey(plan.organisation, request_id, "ReconcileMilestones", body));
  }
  GT_RETURN_IF_ERROR(RequirePlan(caller, plan));
  GT_RETURN_IF_ERROR(Place(caller, deadline, plan, given));

  const absl::CivilDay today = OverdueDayNow(now_());
  // Per given milestone: the id it matched (0: created, the k-th created).
  std::vector<int64_t> matched_id;
  std::vector<size_t> created_index;
  int edited = 0, history_rows = 0, unchanged = 0;
  std::function<v1::ReconcileMilestonesResponse(const PlanWrite&)> respond =
      [&](const PlanWrite& written) {
        v1::ReconcileMilestonesResponse response;
        for (size_t i = 0; i < given.size(); ++i) {
          const MilestoneRow& row = matched_id[i] != 0 ? written.rows.at(matched_id[i])
                                                       : written.created.at(created_index[i]);
          *response.add_milestones() = ToProto(plan, row, today);
        }
        for (int64_t id : written.removed) {
          response.add_removed(MilestoneName(plan, id));
        }
        response.set_created(static_cast<int>(written.created.size()));
        response.set_edited(edited);
        response.set_history_rows(history_rows);
        response.set_unchanged(unchanged);
        return response;
      };
  PlanWriteCallbacks calls;
  calls.dry_run = request.validate_only();
  calls.decide = [&](std::map<int64_t, MilestoneRow>& rows) -> absl::StatusOr<PlanDecision> {
    PlanDecision changes;
    matched_id.assign(given.size(), 0);
    created_index.assign(given.size(), 0);
    edited = history_rows = unchanged = 0;
    std::set<int64_t> taken;
    for (const auto& [id, i] : named) {
      if (rows.count(id) == 0) {
        return MissingMilestone(absl::StrCat("milestones[", i, "].name"), MilestoneName(plan, id));
      }
      matched_id[i] = id;
      taken.insert(id);
    }
    // Unnamed: the live milestone under the same activity with the same
    // ordinal and title (the lowest id first when several are alike).
    std::map<std::tuple<int64_t, int32_t, std::string>, std::vector<int64_t>> by_identity;
    for (const auto& [id, row] : rows) {
      if (taken.count(id) == 0) {
        by_identity[{row.activity_id, row.ordinal, row.title}].push_back(id);
      }
    }
    for (size_t i = 0; i < given.size(); ++i) {
      if (matched_id[i] != 0) {
        continue;
      }
      const MilestoneRow& g = given[i].row;
      auto it = by_identity.find({g.activity_id, g.ordinal, g.title});
      if (it != by_identity.end() && !it->second.empty()) {
        matched_id[i] = it->second.front();
        it->second.erase(it->second.begin());
        taken.insert(matched_id[i]);
      }
    }
    for (size_t i = 0; i < given.size(); ++i) {
      std::string prefix = absl::StrCat("milestones[", i, "]");
      const v1::Milestone& m = request.milestones(static_cast<int>(i));
      NewMilestone& n = given[i];
      if (matched_id[i] == 0) {
        created_index[i] = changes.created.size();
        changes.created.push_back(n);
        continue;
      }
      MilestoneRow& row = rows.at(matched_id[i]);
      if (!m.baseline_deadline().empty() && m.baseline_deadline() != row.baseline_deadline) {
        return InvalidField(
            FieldPath(prefix, "baseline_deadline"),
            absl::StrCat("is ", row.baseline_deadline.empty() ? "empty" : row.baseline_deadline,
                         " for ", MilestoneName(plan, row.id), ", got ", m.baseline_deadline(),
                         ": a baseline never changes (change current_deadline, with a reason)"));
      }
      bool edit = false;
      auto set = [&edit](auto& field, const auto& value) {
        if (!(field == value)) {
          field = value;
          edit = true;
        }
      };
      set(row.title, n.row.title);
      set(row.ordinal, n.row.ordinal);
      set(row.lead_officer, n.row.lead_officer);
      set(row.directorate, n.row.directorate);
      // A file marks an assumed deadline; it clears the mark only by
      // stating a new deadline (a file without the column keeps it).
      const bool moves_deadline =
          !m.current_deadline().empty() && m.current_deadline() != row.current_deadline;
      if (n.row.deadline_assumed || moves_deadline) {
        set(row.deadline_assumed, n.row.deadline_assumed);
      }
      set(row.activity_id, n.row.activity_id);
      if (edit) {
        ++edited;
      }
      // Its place follows the (possibly reordered) tree: stored, not counted.
      bool moved = false;
      auto place = [&moved](auto& field, const auto& value) {
        moved = moved || field != value;
        field = value;
      };
      place(row.outcome_id, n.row.outcome_id);
      place(row.priority_id, n.row.priority_id);
      place(row.priority_position, n.row.priority_position);
      place(row.outcome_position, n.row.outcome_position);
      place(row.activity_position, n.row.activity_position);
      if (edit || moved) {
        changes.edited.insert(row.id);
      }
      const size_t before = changes.history.size();
      auto append = [&](UpdateRow u) {
        u.milestone_id = row.id;
        u.effective_at = effective;
        u.request_id = request_id;
        u.recorded_by = caller.subject;
        Apply(u, row);
        changes.history.push_back(std::move(u));
      };
      // A file speaks for `effective`. Where the milestone already has a
      // later deadline revision (or progress update), the file cannot say
      // anything about now, and restating its older state would only
      // duplicate history (reloading a quarter's document after officers
      // have updated): that part of the file is left out. Correcting the
      // past is UpdateMilestoneProgress / ReviseDeadline with effective_at.
      const bool deadline_is_newer = row.deadline_effective_at > effective;
      const bool progress_is_newer = row.progress_effective_at > effective;
      if (!deadline_is_newer && !m.current_deadline().empty() &&
          m.current_deadline() != row.current_deadline) {
        if (request.revision_reason().find_first_not_of(" \t\r\n") == std::string::npos) {
          return InvalidField(
              "revision_reason",
              absl::StrCat("required: ", prefix, " moves the deadline of ",
                           MilestoneName(plan, row.id), " from ",
                           row.current_deadline.empty() ? "none" : row.current_deadline, " to ",
                           m.current_deadline()));
        }
        append(RevisionRow(row, m.current_deadline(), request.revision_reason()));
      }
      const UpdateRow& first = n.history.front();  // the state the file gives
      if (!progress_is_newer &&
          (first.status != row.status || first.percent_complete != row.percent_complete ||
           first.comment != row.latest_comment)) {
        UpdateRow u;
        u.kind = v1::PROGRESS;
        u.status = first.status;
        u.percent_complete = first.percent_complete;
        u.comment = first.comment;
        append(std::move(u));
      }
      history_rows += static_cast<int>(changes.history.size() - before);
      if (!edit && changes.history.size() == before) {
        ++unchanged;
      }
    }
    for (const auto& [id, row] : rows) {
      if (taken.count(id) == 0) {
        changes.removed.push_back(id);
      }
    }
    return changes;
  };
  return WriteWhole(plan, rk, calls, respond);
}

}  // namespace gt::milestone
