#include "plan_manager.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gt/dates.h"
#include "gt/names.h"
#include "gt/paging.h"
#include "gt/status.h"
#include "plan_paging.h"
#include "plan_validation.h"

namespace gt::plan {

namespace v1 = goldenthread::v1;

namespace {

// What GetPlanTree can always return whole: a plan's tree is at most this
// many items (priorities, outcomes, activities and measures) and this many
// bytes as GetPlanTree sends it, below the 4 MiB message limit with room for
// the envelope and for creates that race each other. Checked before any
// write, so nothing can be written that the API cannot read back.
constexpr size_t kMaxTreeItems = 5000;
constexpr size_t kMaxTreeBytes = 3 << 20;

size_t TreeItems(const v1::PlanTree& tree) {
  size_t items = static_cast<size_t>(tree.priorities_size());
  for (const auto& priority : tree.priorities()) {
    items += static_cast<size_t>(priority.measures_size() + priority.outcomes_size());
    for (const auto& outcome : priority.outcomes()) {
      items += static_cast<size_t>(outcome.activities_size() + outcome.measures_size());
    }
  }
  return items;
}

// The tree `tree` would be once stored, with `extra_items` more of
// `extra_bytes` in all: refused when GetPlanTree could not return it.
absl::Status CheckTreeFits(absl::string_view field, const PlanKey& key, const v1::PlanTree& tree,
                           size_t extra_items, size_t extra_bytes) {
  const size_t items = TreeItems(tree) + extra_items;
  // Each stored item gains its resource name and its parent's (each at most
  // ~64 bytes besides the two ids), a position and an etag.
  const size_t per_item = 2 * (64 + key.organisation.size() + key.plan.size()) + 40;
  const size_t bytes = tree.ByteSizeLong() + extra_bytes + items * per_item;
  if (items > kMaxTreeItems) {
    return InvalidField(field, absl::StrCat("a plan holds at most ", kMaxTreeItems,
                                            " priorities, outcomes, activities and measures; "
                                            "this one would hold ",
                                            items));
  }
  if (bytes > kMaxTreeBytes) {
    return InvalidField(field, absl::StrCat("a plan's tree is at most ", kMaxTreeBytes,
                                            " bytes, so that GetPlanTree returns it whole; this "
                                            "one would be about ",
                                            bytes));
  }
  return absl::OkStatus();
}

// Per resource type: its kind, the kinds its parent may be, and conversions.
template <typename Msg>
struct Traits;
template <>
struct Traits<v1::Priority> {
  static constexpr ItemKind kKind = ItemKind::kPriority;
  static std::vector<ItemKind> Parents() { return {ItemKind::kPlan}; }
  static v1::Priority To(const PlanKey& p, const ItemRow& r) { return ToPriority(p, r); }
  static ItemRow From(const v1::Priority& m) { return FromPriority(m); }
};
template <>
struct Traits<v1::Outcome> {
  static constexpr ItemKind kKind = ItemKind::kOutcome;
  static std::vector<ItemKind> Parents() { return {ItemKind::kPriority}; }
  static v1::Outcome To(const PlanKey& p, const ItemRow& r) { return ToOutcome(p, r); }
  static ItemRow From(const v1::Outcome& m) { return FromOutcome(m); }
};
template <>
struct Traits<v1::Activity> {
  static constexpr ItemKind kKind = ItemKind::kActivity;
  static std::vector<ItemKind> Parents() { return {ItemKind::kOutcome}; }
  static v1::Activity To(const PlanKey& p, const ItemRow& r) { return ToActivity(p, r); }
  static ItemRow From(const v1::Activity& m) { return FromActivity(m); }
};
template <>
struct Traits<v1::Measure> {
  static constexpr ItemKind kKind = ItemKind::kMeasure;
  static std::vector<ItemKind> Parents() { return {ItemKind::kPriority, ItemKind::kOutcome}; }
  static v1::Measure To(const PlanKey& p, const ItemRow& r) { return ToMeasure(p, r); }
  static ItemRow From(const v1::Measure& m) { return FromMeasure(m); }
};

// Lists may also be asked of the whole plan.
template <typename Msg>
std::vector<ItemKind> ListParents() {
  if constexpr (Traits<Msg>::kKind == ItemKind::kPriority) {
    return {ItemKind::kPlan};
  } else if constexpr (Traits<Msg>::kKind == ItemKind::kMeasure) {
    return {ItemKind::kPriority, ItemKind::kOutcome, ItemKind::kPlan};
  } else if constexpr (Traits<Msg>::kKind == ItemKind::kOutcome) {
    return {ItemKind::kPriority, ItemKind::kPlan};
  } else {
    return {ItemKind::kOutcome, ItemKind::kPlan};
  }
}

absl::Status CheckEtag(absl::string_view field, absl::string_view given, absl::string_view current,
                       absl::string_view name) {
  if (!given.empty() && given != current) {
    return absl::AbortedError(absl::StrCat(field, ": '", given.substr(0, 40),
                                           "' is not the current etag of ", name,
                                           " (someone changed it); read it again and retry"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ItemCursor> DecodeItemCursor(const std::string& cursor) {
  ItemCursor out;
  if (cursor.empty()) {
    return out;
  }
  std::vector<std::string> parts = absl::StrSplit(cursor, ',');
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &out.parent_id) ||
      !absl::SimpleAtoi(parts[1], &out.position) || !absl::SimpleAtoi(parts[2], &out.id)) {
    return InvalidField("page_token", "is not a token this list returned");
  }
  return out;
}

// A page of an organisation's resources named ".../{collection}/{id}" and
// listed by id (plans, directorates), added to `out` (the response's list);
// answers the next page token. An organisation that does not exist has
// nothing to list: NOT_FOUND. `fetch(organisation, after, limit)`.
template <typename Msg, typename Request, typename Fetch>
absl::StatusOr<std::string> OrganisationPage(PlanRepository& repository, const Caller& caller,
                                             absl::string_view collection, const Request& request,
                                             Fetch fetch,
                                             google::protobuf::RepeatedPtrField<Msg>& out) {
  GT_ASSIGN_OR_RETURN(std::string org, ParseOrganisationName("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, org, "organisation", request.parent()));
  GT_ASSIGN_OR_RETURN(int size,
                      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  uint64_t fp = Fingerprint({collection, request.parent()});
  GT_ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), fp));
  if (after.empty()) {
    GT_RETURN_IF_ERROR(repository.GetOrganisation(org).status());
  }
  GT_ASSIGN_OR_RETURN(auto page,
                      (Page<Msg>(
                          size, fp, [&](int limit) { return fetch(org, after, limit); },
                          [](const Msg& m) { return m.name().substr(m.name().rfind('/') + 1); })));
  for (auto& m : page.first) {
    *out.Add() = std::move(m);
  }
  return page.second;
}

}  // namespace

absl::StatusOr<PlanKey> PlanManager::ScopedPlan(const Caller& caller, absl::string_view field,
                                                absl::string_view name) {
  GT_ASSIGN_OR_RETURN(PlanKey key, ParsePlanName(field, name));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.organisation, "plan", name));
  return key;
}

absl::StatusOr<v1::Organisation> PlanManager::CreateOrganisation(
    const Caller& caller, const v1::CreateOrganisationRequest& request) {
  GT_RETURN_IF_ERROR(ValidateId("organisation_id", request.organisation_id()));
  GT_RETURN_IF_ERROR(ValidateOrganisation("organisation", request.organisation()));
  if (!caller.organisation.empty()) {
    // A token belongs to one organisation; new tenants are made by operators.
    return absl::PermissionDeniedError(
        "organisations are created by an operator (gt-admin), not with an organisation's token");
  }
  return repository_.CreateOrganisation(request.organisation_id(), request.organisation());
}

absl::StatusOr<v1::Organisation> PlanManager::GetOrganisation(
    const Caller& caller, const v1::GetOrganisationRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string id, ParseOrganisationName("name", request.name()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, id, "organisation", request.name()));
  return repository_.GetOrganisation(id);
}

absl::StatusOr<v1::ListOrganisationsResponse> PlanManager::ListOrganisations(
    const Caller& caller, const v1::ListOrganisationsRequest& request) {
  GT_ASSIGN_OR_RETURN(int size,
                      ResolvePageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  uint64_t fp = Fingerprint({"organisations", caller.organisation});
  GT_ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), fp));
  GT_ASSIGN_OR_RETURN(auto page,
                      (Page<v1::Organisation>(
                          size, fp,
                          [&](int limit) {
                            return repository_.ListOrganisations(after, limit, caller.organisation);
                          },
                          [](const v1::Organisation& o) { return o.name().substr(14); })));
  v1::ListOrganisationsResponse response;
  for (auto& o : page.first) {
    *response.add_organisations() = std::move(o);
  }
  response.set_next_page_token(page.second);
  return response;
}

absl::StatusOr<v1::Plan> PlanManager::CreatePlan(const Caller& caller,
                                                 const v1::CreatePlanRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string org, ParseOrganisationName("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, org, "organisation", request.parent()));
  GT_RETURN_IF_ERROR(ValidateId("plan_id", request.plan_id()));
  GT_RETURN_IF_ERROR(ValidatePlan("plan", request.plan()));
  PlanKey key{org, request.plan_id()};
  if (request.request_id().empty()) {
    return repository_.CreatePlan(key, request.plan(), nullptr);
  }
  v1::CreatePlanRequest body = request;
  body.clear_request_id();
  GT_ASSIGN_OR_RETURN(RequestKey rk, MakeRequestKey(org, request.request_id(), "CreatePlan", body));
  return repository_.CreatePlan(key, request.plan(), &rk);
}

absl::StatusOr<v1::Plan> PlanManager::GetPlan(const Caller& caller,
                                              const v1::GetPlanRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanKey key, ScopedPlan(caller, "name", request.name()));
  return repository_.GetPlan(key);
}

absl::StatusOr<v1::ListPlansResponse> PlanManager::ListPlans(const Caller& caller,
                                                             const v1::ListPlansRequest& request) {
  v1::ListPlansResponse response;
  GT_ASSIGN_OR_RETURN(std::string next,
                      OrganisationPage(
                          repository_, caller, "plans", request,
                          [&](const std::string& org, const std::string& after, int limit) {
                            return repository_.ListPlans(org, after, limit);
                          },
                          *response.mutable_plans()));
  response.set_next_page_token(next);
  return response;
}

absl::StatusOr<v1::Plan> PlanManager::UpdatePlan(const Caller& caller,
                                                 const v1::UpdatePlanRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanKey key, ScopedPlan(caller, "plan.name", request.plan().name()));
  return repository_.UpdatePlan(key, [&](v1::Plan& current) {
    GT_RETURN_IF_ERROR(
        CheckEtag("plan.etag", request.plan().etag(), current.etag(), current.name()));
    GT_RETURN_IF_ERROR(ApplyPlanMask(request.update_mask(), request.plan(), current));
    return ValidatePlan("plan", current);
  });
}

absl::Status PlanManager::DeletePlan(const Caller& caller, const v1::DeletePlanRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanKey key, ScopedPlan(caller, "name", request.name()));
  return repository_.DeletePlan(key, [&](const v1::Plan& current) {
    return CheckEtag("etag", request.etag(), current.etag(), current.name());
  });
}

template <typename Msg, typename Request>
absl::StatusOr<Msg> PlanManager::CreateItem(const Caller& caller, const Request& request,
                                            const Msg& item) {
  using T = Traits<Msg>;
  const std::string& parent = request.parent();
  GT_ASSIGN_OR_RETURN(ItemKey parent_key, ParseParentName("parent", parent, T::Parents()));
  GT_RETURN_IF_ERROR(
      CheckOrganisation(caller, parent_key.plan.organisation, KindNoun(parent_key.kind), parent));
  ItemRow row = T::From(item);
  row.parent_kind = parent_key.kind;
  row.parent_id = parent_key.id;
  GT_RETURN_IF_ERROR(ValidateItem(KindNoun(T::kKind), row));
  std::optional<RequestKey> rk;
  if (!request.request_id().empty()) {
    Request body = request;
    body.clear_request_id();
    GT_ASSIGN_OR_RETURN(
        rk, MakeRequestKey(parent_key.plan.organisation, request.request_id(),
                           absl::StripSuffix(Request::descriptor()->name(), "Request"), body));
  }
  GT_ASSIGN_OR_RETURN(v1::PlanTree current, repository_.GetPlanTree(parent_key.plan));
  // A full tree refuses a new create, but not the retry of one that was
  // written (it may be what filled the tree): the repository answers a
  // stored request first and only then refuses.
  absl::Status fits =
      CheckTreeFits(KindNoun(T::kKind), parent_key.plan, current, 1, item.ByteSizeLong());
  if (!fits.ok() && !rk.has_value()) {
    return fits;
  }
  Msg out;
  GT_RETURN_IF_ERROR(repository_.CreateItem(
      parent_key.plan, row, rk.has_value() ? &*rk : nullptr, fits, out,
      [&](const ItemRow& created) { out = T::To(parent_key.plan, created); }));
  return out;
}

template <typename Msg>
absl::StatusOr<Msg> PlanManager::GetItem(const Caller& caller, const std::string& name) {
  using T = Traits<Msg>;
  GT_ASSIGN_OR_RETURN(ItemKey key, ParseItemName("name", name, T::kKind));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, KindNoun(T::kKind), name));
  GT_ASSIGN_OR_RETURN(ItemRow row, repository_.GetItem(key));
  return T::To(key.plan, row);
}

template <typename Msg>
absl::StatusOr<std::pair<std::vector<Msg>, std::string>> PlanManager::ListItems(
    const Caller& caller, const std::string& parent, int page_size, const std::string& page_token) {
  using T = Traits<Msg>;
  GT_ASSIGN_OR_RETURN(ItemKey parent_key, ParseParentName("parent", parent, ListParents<Msg>()));
  GT_RETURN_IF_ERROR(
      CheckOrganisation(caller, parent_key.plan.organisation, KindNoun(parent_key.kind), parent));
  GT_ASSIGN_OR_RETURN(int size, ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  uint64_t fp = Fingerprint({Collection(T::kKind), parent});
  GT_ASSIGN_OR_RETURN(std::string cursor_text, DecodePageToken(page_token, fp));
  GT_ASSIGN_OR_RETURN(ItemCursor after, DecodeItemCursor(cursor_text));
  GT_ASSIGN_OR_RETURN(
      auto page,
      (Page<ItemRow>(
          size, fp,
          [&](int limit) {
            return repository_.ListItems(parent_key.plan, T::kKind, parent_key, after, limit);
          },
          [](const ItemRow& r) { return absl::StrCat(r.parent_id, ",", r.position, ",", r.id); })));
  std::vector<Msg> items;
  items.reserve(page.first.size());
  for (const ItemRow& row : page.first) {
    items.push_back(T::To(parent_key.plan, row));
  }
  return std::make_pair(std::move(items), page.second);
}

template <typename Msg>
absl::StatusOr<Msg> PlanManager::UpdateItem(const Caller& caller, const Msg& item,
                                            const google::protobuf::FieldMask& mask) {
  using T = Traits<Msg>;
  std::string field(KindNoun(T::kKind));
  GT_ASSIGN_OR_RETURN(ItemKey key,
                      ParseItemName(absl::StrCat(field, ".name"), item.name(), T::kKind));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, field, item.name()));
  ItemRow update = T::From(item);
  GT_ASSIGN_OR_RETURN(ItemRow row, repository_.UpdateItem(key, [&](ItemRow& current) {
    std::string etag = T::To(key.plan, current).etag();
    GT_RETURN_IF_ERROR(CheckEtag(absl::StrCat(field, ".etag"), item.etag(), etag, item.name()));
    GT_RETURN_IF_ERROR(ApplyItemMask(mask, item, update, current));
    return ValidateItem(field, current);
  }));
  return T::To(key.plan, row);
}

template <typename Msg>
absl::Status PlanManager::DeleteItem(const Caller& caller, const std::string& name,
                                     const std::string& etag) {
  using T = Traits<Msg>;
  GT_ASSIGN_OR_RETURN(ItemKey key, ParseItemName("name", name, T::kKind));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.plan.organisation, KindNoun(T::kKind), name));
  return repository_.DeleteItem(key, [&](const ItemRow& current) {
    return CheckEtag("etag", etag, T::To(key.plan, current).etag(), name);
  });
}

#define GT_INSTANTIATE(Kind)                                                                     \
  template absl::StatusOr<v1::Kind> PlanManager::CreateItem(                                     \
      const Caller&, const v1::Create##Kind##Request&, const v1::Kind&);                         \
  template absl::StatusOr<v1::Kind> PlanManager::GetItem(const Caller&, const std::string&);     \
  template absl::StatusOr<std::pair<std::vector<v1::Kind>, std::string>>                         \
  PlanManager::ListItems<v1::Kind>(const Caller&, const std::string&, int, const std::string&);  \
  template absl::StatusOr<v1::Kind> PlanManager::UpdateItem(const Caller&, const v1::Kind&,      \
                                                            const google::protobuf::FieldMask&); \
  template absl::Status PlanManager::DeleteItem<v1::Kind>(const Caller&, const std::string&,     \
                                                          const std::string&);
GT_INSTANTIATE(Priority)
GT_INSTANTIATE(Outcome)
GT_INSTANTIATE(Activity)
GT_INSTANTIATE(Measure)
#undef GT_INSTANTIATE

absl::StatusOr<v1::PlanTree> PlanManager::GetPlanTree(const Caller& caller,
                                                      const v1::GetPlanTreeRequest& request) {
  GT_ASSIGN_OR_RETURN(PlanKey key, ScopedPlan(caller, "name", request.name()));
  return repository_.GetPlanTree(key);
}

absl::StatusOr<v1::PlanTree> PlanManager::ImportPlan(const Caller& caller,
                                                     const v1::ImportPlanRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string org, ParseOrganisationName("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, org, "organisation", request.parent()));
  GT_RETURN_IF_ERROR(ValidateId("plan_id", request.plan_id()));
  GT_RETURN_IF_ERROR(ValidateTree("tree", request.tree()));
  PlanKey key{org, request.plan_id()};
  GT_RETURN_IF_ERROR(CheckTreeFits("tree", key, request.tree(), 0, 0));
  if (request.validate_only()) {
    // Answer as the real import would: a missing organisation, or an existing
    // plan without replace, is refused here too.
    GT_RETURN_IF_ERROR(repository_.GetOrganisation(org).status());
    auto existing = repository_.GetPlan(key);
    if (existing.ok() && !request.replace()) {
      return absl::AlreadyExistsError(
          absl::StrCat("plan ", PlanName(key), " already exists (\"", existing->title(),
                       "\"); import with replace=true to replace its tree"));
    }
    if (!existing.ok() && existing.status().code() != absl::StatusCode::kNotFound) {
      return existing.status();
    }
    v1::PlanTree preview = request.tree();
    preview.mutable_plan()->set_name(PlanName(key));
    return preview;
  }
  if (request.request_id().empty()) {
    return repository_.ImportPlan(key, request.tree(), request.replace(), request.keep_missing(),
                                  nullptr);
  }
  v1::ImportPlanRequest body = request;
  body.clear_request_id();
  GT_ASSIGN_OR_RETURN(RequestKey rk, MakeRequestKey(org, request.request_id(), "ImportPlan", body));
  return repository_.ImportPlan(key, request.tree(), request.replace(), request.keep_missing(),
                                &rk);
}

absl::StatusOr<DirectorateKey> PlanManager::ScopedDirectorate(const Caller& caller,
                                                              absl::string_view field,
                                                              absl::string_view name) {
  GT_ASSIGN_OR_RETURN(DirectorateKey key, ParseDirectorateName(field, name));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, key.organisation, "directorate", name));
  return key;
}

absl::StatusOr<v1::Directorate> PlanManager::CreateDirectorate(
    const Caller& caller, const v1::CreateDirectorateRequest& request) {
  GT_ASSIGN_OR_RETURN(std::string org, ParseOrganisationName("parent", request.parent()));
  GT_RETURN_IF_ERROR(CheckOrganisation(caller, org, "organisation", request.parent()));
  GT_RETURN_IF_ERROR(ValidateId("directorate_id", request.directorate_id()));
  GT_RETURN_IF_ERROR(ValidateDirectorate("directorate", request.directorate()));
  DirectorateKey key{org, request.directorate_id()};
  if (request.request_id().empty()) {
    return repository_.CreateDirectorate(key, request.directorate(), nullptr);
  }
  v1::CreateDirectorateRequest body = request;
  body.clear_request_id();
  GT_ASSIGN_OR_RETURN(RequestKey rk,
                      MakeRequestKey(org, request.request_id(), "CreateDirectorate", body));
  return repository_.CreateDirectorate(key, request.directorate(), &rk);
}

absl::StatusOr<v1::Directorate> PlanManager::GetDirectorate(
    const Caller& caller, const v1::GetDirectorateRequest& request) {
  GT_ASSIGN_OR_RETURN(DirectorateKey key, ScopedDirectorate(caller, "name", request.name()));
  return repository_.GetDirectorate(key);
}

absl::StatusOr<v1::ListDirectoratesResponse> PlanManager::ListDirectorates(
    const Caller& caller, const v1::ListDirectoratesRequest& request) {
  v1::ListDirectoratesResponse response;
  GT_ASSIGN_OR_RETURN(std::string next,
                      OrganisationPage(
                          repository_, caller, "directorates", request,
                          [&](const std::string& org, const std::string& after, int limit) {
                            return repository_.ListDirectorates(org, after, limit);
                          },
                          *response.mutable_directorates()));
  response.set_next_page_token(next);
  return response;
}

absl::StatusOr<v1::Directorate> PlanManager::UpdateDirectorate(
    const Caller& caller, const v1::UpdateDirectorateRequest& request) {
  GT_ASSIGN_OR_RETURN(DirectorateKey key,
                      ScopedDirectorate(caller, "directorate.name", request.directorate().name()));
  return repository_.UpdateDirectorate(key, [&](v1::Directorate& current) {
    GT_RETURN_IF_ERROR(CheckEtag("directorate.etag", request.directorate().etag(), current.etag(),
                                 current.name()));
    GT_RETURN_IF_ERROR(ApplyDirectorateMask(request.update_mask(), request.directorate(), current));
    return ValidateDirectorate("directorate", current);
  });
}

absl::Status PlanManager::DeleteDirectorate(const Caller& caller,
                                            const v1::DeleteDirectorateRequest& request) {
  GT_ASSIGN_OR_RETURN(DirectorateKey key, ScopedDirectorate(caller, "name", request.name()));
  return repository_.DeleteDirectorate(key, [&](const v1::Directorate& current) {
    return CheckEtag("etag", request.etag(), current.etag(), current.name());
  });
}

}  // namespace gt::plan
