#include "authenticator.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gt::gateway {

namespace {
constexpr absl::string_view kUnknownTokenPayload = "goldenthread/unknown-token";
}  // namespace

absl::Status Authenticator::Fail(AuthFailure failure, absl::string_view message) {
  metrics_.CountAuthFailure(failure);
  if (failure == AuthFailure::kUnavailable) {
    return absl::UnavailableError(message);
  }
  absl::Status status = absl::UnauthenticatedError(message);
  if (failure == AuthFailure::kUnknown) {
    status.SetPayload(kUnknownTokenPayload, absl::Cord("1"));
  }
  return status;
}

bool Authenticator::IsUnknownToken(const absl::Status& status) {
  return status.GetPayload(kUnknownTokenPayload).has_value();
}

absl::StatusOr<Identity> Authenticator::Judge(const TokenRecord& record, absl::Time now) {
  if (record.revoke_time) {
    return Fail(AuthFailure::kRevoked,
                absl::StrCat("the token was revoked at ",
                             absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *record.revoke_time,
                                              absl::UTCTimeZone()),
                             "; ask an administrator of your organisation for a new one"));
  }
  if (record.expire_time && *record.expire_time <= now) {
    return Fail(AuthFailure::kExpired,
                absl::StrCat("the token expired at ",
                             absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *record.expire_time,
                                              absl::UTCTimeZone()),
                             "; ask an administrator of your organisation for a new one"));
  }
  return Identity{record.organisation, record.token_id, record.role, record.subject,
                  record.directorates};
}

std::optional<absl::StatusOr<Identity>> Authenticator::TryCached(absl::string_view authorization,
                                                                 PresentedToken* presented) {
  std::optional<AuthFailure> failure = ParseAuthorization(authorization, presented);
  if (failure == AuthFailure::kMissing) {
    return Fail(*failure,
                "no credentials: send the metadata 'authorization: Bearer <token>' with an API "
                "token of your organisation");
  }
  if (failure) {
    return Fail(
        *failure,
        "malformed credentials: expected 'authorization: Bearer gt_<organisation>_<secret>'");
  }
  absl::Time now = absl::Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(presented->hash);
  if (it == cache_.end() || now - it->second.fetched > options_.cache_ttl) {
    return std::nullopt;
  }
  return Judge(it->second.record, now);
}

absl::StatusOr<Identity> Authenticator::Verify(const PresentedToken& presented) {
  uint64_t revocations_before;
  {
    std::lock_guard<std::mutex> lock(mu_);
    revocations_before = revocations_;
  }
  absl::StatusOr<TokenRecord> record =
      repository_.FindBySecret(presented.organisation, presented.hash);
  if (absl::IsNotFound(record.status())) {
    return Fail(AuthFailure::kUnknown, "unknown token: it was never issued, or was mistyped");
  }
  if (!record.ok()) {
    return Fail(AuthFailure::kUnavailable, "cannot verify the token right now; retry shortly");
  }
  absl::Time now = absl::Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (revocations_ == revocations_before) {
      if (cache_.size() >= options_.max_cached) {
        // Crude but bounded: real deployments have far fewer live tokens
        // than this, so a full cache means churn, and starting over is fine.
        cache_.clear();
      }
      cache_[presented.hash] = Entry{*record, now};
    }
  }
  return Judge(*record, now);
}

absl::StatusOr<Identity> Authenticator::Authenticate(absl::string_view authorization) {
  PresentedToken presented;
  auto cached = TryCached(authorization, &presented);
  if (cached.has_value()) {
    return *std::move(cached);
  }
  return Verify(presented);
}

void Authenticator::Forget(const std::string& organisation, const std::string& token_id) {
  std::lock_guard<std::mutex> lock(mu_);
  ++revocations_;
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->second.record.organisation == organisation && it->second.record.token_id == token_id) {
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace gt::gateway
