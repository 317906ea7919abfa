#include "token_grpc.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gt/edge.h"
#include "gt/grpc_status.h"
#include "gt/identity.h"

namespace gt::gateway {

namespace v1 = goldenthread::v1;

template <typename Request, typename Response, typename Fn>
grpc::Status TokenGrpcService::Serve(grpc::ServerContext* context, const char* method,
                                     const Request& request, Response* response, Fn fn) {
  if (grpc::Status admitted = AdmitCall(*context, request); !admitted.ok()) {
    return admitted;
  }
  absl::Time start = absl::Now();
  std::string path = absl::StrCat("/goldenthread.v1.TokenService/", method);
  std::string request_id = RequestIdFor(ClientHeader(*context, kRequestIdHeader));
  context->AddInitialMetadata(kRequestIdHeader, request_id);
  // As the forwarder does: a cached token answers at once; a look-up is
  // refused while the address is throttled for guessing.
  PresentedToken presented;
  absl::StatusOr<Identity> identity = absl::UnauthenticatedError("");
  absl::Duration retry_after;
  if (auto cached =
          gate_.authenticator.TryCached(ClientHeader(*context, "authorization"), &presented)) {
    identity = *std::move(cached);
  } else {
    const std::string address = AuthThrottle::AddressOf(context->peer());
    if (absl::Duration left = gate_.throttle.Blocked(address, start); left > absl::ZeroDuration()) {
      identity = ThrottledAuth(gate_.metrics, left);
      retry_after = left;
    } else {
      identity = gate_.authenticator.Verify(presented);
      if (Authenticator::IsUnknownToken(identity.status())) {
        gate_.throttle.Failed(address, start);
      }
    }
  }
  absl::Status status = identity.status();
  if (status.ok()) {
    const MethodRule* rule = gate_.policy.Find(path);
    status = Admit(*identity, *rule, gate_.limiter, gate_.metrics, start, &retry_after);
  }
  if (status.ok()) {
    status = CheckOrganisation(request, identity->organisation);
    if (!status.ok()) {
      gate_.metrics.CountRejection(absl::IsNotFound(status)
                                       ? GatewayMetrics::Rejection::kOrganisation
                                       : GatewayMetrics::Rejection::kBadRequest);
    }
  }
  if (status.ok()) {
    auto result = fn(*identity);
    status = result.status();
    if (result.ok()) {
      *response = *std::move(result);
    }
  }
  if (retry_after > absl::ZeroDuration()) {
    context->AddTrailingMetadata(kRetryAfterHeader,
                                 absl::StrCat(absl::ToInt64Milliseconds(retry_after)));
  }
  grpc::Status out = ToGrpcStatus(status);
  LogCall({path.substr(1), request_id, identity.ok() ? &*identity : nullptr, "", out.error_code(),
           absl::Now() - start, absl::ZeroDuration()});
  return out;
}

grpc::Status TokenGrpcService::CreateToken(grpc::ServerContext* context,
                                           const v1::CreateTokenRequest* request,
                                           v1::CreateTokenResponse* response) {
  return Serve(context, "CreateToken", *request, response,
               [&](const Identity& caller) { return manager_.CreateToken(caller, *request); });
}

grpc::Status TokenGrpcService::GetToken(grpc::ServerContext* context,
                                        const v1::GetTokenRequest* request,
                                        v1::ApiToken* response) {
  return Serve(context, "GetToken", *request, response,
               [&](const Identity& caller) { return manager_.GetToken(caller, *request); });
}

grpc::Status TokenGrpcService::ListTokens(grpc::ServerContext* context,
                                          const v1::ListTokensRequest* request,
                                          v1::ListTokensResponse* response) {
  return Serve(context, "ListTokens", *request, response,
               [&](const Identity& caller) { return manager_.ListTokens(caller, *request); });
}

grpc::Status TokenGrpcService::RevokeToken(grpc::ServerContext* context,
                                           const v1::RevokeTokenRequest* request,
                                           v1::ApiToken* response) {
  return Serve(context, "RevokeToken", *request, response,
               [&](const Identity& caller) { return manager_.RevokeToken(caller, *request); });
}

}  // namespace gt::gateway
