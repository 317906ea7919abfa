#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "access_policy.h"
#include "auth_throttle.h"
#include "authenticator.h"
#include "backends.h"
#include "call_policy.h"
#include "executor.h"
#include "forwarder.h"
#include "gateway_metrics.h"
#include "gt/migrations.h"
#include "gt/mysql_pool.h"
#include "gt/service_host.h"
#include "mysql_token_repository.h"
#include "rate_limiter.h"
#include "token_grpc.h"
#include "token_manager.h"

namespace gt {
const std::vector<Migration>& GatewayMigrations();
}

namespace gt::gateway {

struct GatewayOptions {
  std::vector<BackendConfig> backends;
  UpstreamOptions upstream;
  DeadlinePolicy deadlines;
  RateLimitOptions limits;
  AuthOptions auth;
  AuthThrottleOptions throttle;
  // The identity key (gt::SealIdentity); empty: forwarded calls are not
  // sealed (--insecure_identity, development only).
  std::string identity_key;
  // Threads for token look-ups that miss the cache.
  int auth_threads = 4;
  // Threads that serve the forwarded calls, each draining a completion
  // queue of its own. One is an event loop, as an nginx worker is; more
  // take turns polling (a hand-off each time), for more than a core's worth
  // of calls.
  int io_threads = 1;
};

// The whole gateway over a database pool, attached to a ServiceHost (which
// brings health, reflection, metrics, TLS and shutdown). Wiring only; used by
// main() and by the in-process tests alike.
class Gateway {
 public:
  // Call before host.Start(). The host's HostOptions::services should be
  // PublicServices(), so every method's metrics exist from start-up.
  static absl::StatusOr<std::unique_ptr<Gateway>> Attach(const GatewayOptions& options,
                                                         ConnectionPool& pool, ServiceHost& host);

  TokenManager& tokens() { return *manager_; }

 private:
  Gateway() = default;

  std::unique_ptr<AccessPolicy> policy_;
  std::unique_ptr<GatewayMetrics> metrics_;
  std::unique_ptr<MysqlTokenRepository> repository_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<AuthThrottle> throttle_;
  std::unique_ptr<TokenManager> manager_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<TokenGrpcService> token_service_;
  std::unique_ptr<Forwarder> forwarder_;
};

// Server credentials from PEM files (certificate chain and private key);
// FAILED_PRECONDITION naming the file that cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> LoadTlsCredentials(
    const std::string& cert_file, const std::string& key_file);

// The first token of an organisation, made from the command line (there is no
// token yet to call CreateToken with). Returns the bearer text.
absl::StatusOr<std::string> CreateTokenFromCommandLine(
    ConnectionPool& pool, const std::string& organisation, const std::string& role,
    const std::string& subject, const std::string& display_name, int expires_in_days);

}  // namespace gt::gateway
