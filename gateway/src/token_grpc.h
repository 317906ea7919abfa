#pragma once

#include "gate.h"
#include "goldenthread/v1/token.grpc.pb.h"
#include "token_manager.h"

namespace gt::gateway {

// TokenService, served by the gateway itself. A sync service: its handlers
// read the database, and gRPC's sync thread pool is where blocking belongs.
// Every call passes the same gate as a forwarded one (token, rate limit,
// role table, organisation of every name) before the manager sees it.
class TokenGrpcService final : public goldenthread::v1::TokenService::Service {
 public:
  TokenGrpcService(Gate gate, TokenManager& manager) : gate_(gate), manager_(manager) {}

  grpc::Status CreateToken(grpc::ServerContext* context,
                           const goldenthread::v1::CreateTokenRequest* request,
                           goldenthread::v1::CreateTokenResponse* response) override;
  grpc::Status GetToken(grpc::ServerContext* context,
                        const goldenthread::v1::GetTokenRequest* request,
                        goldenthread::v1::ApiToken* response) override;
  grpc::Status ListTokens(grpc::ServerContext* context,
                          const goldenthread::v1::ListTokensRequest* request,
                          goldenthread::v1::ListTokensResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context,
                           const goldenthread::v1::RevokeTokenRequest* request,
                           goldenthread::v1::ApiToken* response) override;

 private:
  template <typename Request, typename Response, typename Fn>
  grpc::Status Serve(grpc::ServerContext* context, const char* method, const Request& request,
                     Response* response, Fn fn);

  Gate gate_;
  TokenManager& manager_;
};

}  // namespace gt::gateway
