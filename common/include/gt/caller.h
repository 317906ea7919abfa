#pragma once

// Who is calling, as the domain sees it (gt_base: no gRPC). The gRPC edge
// fills it from the call's metadata (gt/identity.h: CallerFrom).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "goldenthread/v1/common.pb.h"

namespace gt {

// Metadata the gateway sets after verifying a token; the gateway strips any a
// client sends, so backends can rely on it.
inline constexpr char kOrganisationHeader[] = "x-gt-organisation";
inline constexpr char kRoleHeader[] = "x-gt-role";
inline constexpr char kSubjectHeader[] = "x-gt-subject";
inline constexpr char kRequestIdHeader[] = "x-request-id";
// The directorates a token is limited to, canonical codes joined with ','
// (absent: the whole organisation). Sealed with the rest of the identity.
inline constexpr char kDirectoratesHeader[] = "x-gt-directorates";
// The gateway's seal over the identity above (SealIdentity): backends that
// hold the identity key answer only sealed calls (issue 16).
inline constexpr char kSealHeader[] = "x-gt-identity-seal";

struct Caller {
  // Empty for trusted in-cluster callers that carry no identity (tools, the
  // test harness): they may address any organisation.
  std::string organisation;
  goldenthread::v1::Role role = goldenthread::v1::ROLE_UNSPECIFIED;
  std::string subject;
  std::string request_id;
  // The seal that came with the identity, passed on unchanged when a backend
  // calls another on the caller's behalf.
  std::string seal;
  // Directorate codes the caller is limited to; empty: not limited.
  std::vector<std::string> directorates;
};

// A caller may only see its own organisation; another organisation's object
// answers exactly as a missing one: NOT_FOUND "<kind> <name> not found".
absl::Status CheckOrganisation(const Caller& caller, absl::string_view organisation,
                               absl::string_view kind, absl::string_view name);

// Whether a caller limited to directorates may act on a milestone whose
// directorate is `directorate` (a joint lead "A/B" is in scope when any part
// is; parts and codes compare by DirectorateMatchKey). Always true for a
// caller that is not limited.
bool InDirectorateScope(const Caller& caller, absl::string_view directorate);

// PERMISSION_DENIED naming the milestone and the caller's directorates when
// it is out of scope; OK otherwise.
absl::Status CheckDirectorateScope(const Caller& caller, absl::string_view directorate,
                                   absl::string_view what);

// The header form of a directorate list (',' joined) and back.
std::string JoinDirectorates(const std::vector<std::string>& directorates);
std::vector<std::string> SplitDirectorates(absl::string_view header);

}  // namespace gt
