#include "gateway_server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gt/migrations.h"
#include "gt/names.h"
#include "gt/sql_util.h"
#include "gt/status.h"

namespace gt::gateway {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat(flag, ": cannot read '", path, "'"));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Attach(const GatewayOptions& options,
                                                         ConnectionPool& pool, ServiceHost& host) {
  std::unique_ptr<Gateway> g(new Gateway());
  GT_ASSIGN_OR_RETURN(AccessPolicy policy, AccessPolicy::Create());
  g->policy_ = std::make_unique<AccessPolicy>(std::move(policy));
  g->backends_ = std::make_unique<Backends>(options.backends, options.upstream);
  g->metrics_ = std::make_unique<GatewayMetrics>(host.registry(), g->backends_->names());
  g->repository_ = std::make_unique<MysqlTokenRepository>(pool);
  g->authenticator_ = std::make_unique<Authenticator>(*g->repository_, *g->metrics_, options.auth);
  g->limiter_ = std::make_unique<RateLimiter>(options.limits);
  g->throttle_ = std::make_unique<AuthThrottle>(options.throttle);
  Authenticator* authenticator = g->authenticator_.get();
  g->manager_ = std::make_unique<TokenManager>(
      *g->repository_, [authenticator](const std::string& organisation, const std::string& id) {
        authenticator->Forget(organisation, id);
      });
  g->executor_ = std::make_unique<Executor>(options.auth_threads, 10000);
  Gate gate{*g->policy_,  *g->authenticator_, *g->limiter_,        *g->throttle_,
            *g->metrics_, options.deadlines,  options.identity_key};
  g->token_service_ = std::make_unique<TokenGrpcService>(gate, *g->manager_);
  g->forwarder_ = std::make_unique<Forwarder>(gate, *g->backends_, *g->executor_);
  host.AddService(g->token_service_.get());
  GT_ASSIGN_OR_RETURN(std::vector<grpc::Service*> forwarded, g->forwarder_->Services());
  for (grpc::Service* service : forwarded) {
    host.AddService(service);
  }
  grpc::AsyncGenericService* unknown = g->forwarder_->unknown_methods();
  host.Configure(
      [unknown](grpc::ServerBuilder& builder) { builder.RegisterAsyncGenericService(unknown); });
  Forwarder* forwarder = g->forwarder_.get();
  Executor* executor = g->executor_.get();
  host.ServeAsync(
      options.io_threads, [forwarder](grpc::ServerCompletionQueue* cq) { forwarder->Serve(cq); },
      [executor] { executor->Drain(); });
  return g;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> LoadTlsCredentials(
    const std::string& cert_file, const std::string& key_file) {
  GT_ASSIGN_OR_RETURN(std::string cert, ReadFile("--tls_cert_file", cert_file));
  GT_ASSIGN_OR_RETURN(std::string key, ReadFile("--tls_key_file", key_file));
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::string> CreateTokenFromCommandLine(
    ConnectionPool& pool, const std::string& organisation, const std::string& role,
    const std::string& subject, const std::string& display_name, int expires_in_days) {
  goldenthread::v1::Role parsed;
  if (!goldenthread::v1::Role_Parse(role, &parsed) ||
      parsed == goldenthread::v1::ROLE_UNSPECIFIED) {
    return InvalidField(
        "--role", absl::StrCat("must be VIEWER, UPDATER, PLANNER or ADMIN, got '", role, "'"));
  }
  GT_RETURN_IF_ERROR(ValidateId("--organisation", organisation));
  if (subject.empty()) {
    return InvalidField("--subject", "is required: who the token stands for, e.g. --subject=ops");
  }
  MysqlTokenRepository repository(pool);
  TokenManager manager(repository, [](const std::string&, const std::string&) {});
  goldenthread::v1::CreateTokenRequest request;
  request.set_parent(absl::StrCat("organisations/", organisation));
  request.mutable_token()->set_role(parsed);
  request.mutable_token()->set_subject(subject);
  request.mutable_token()->set_display_name(display_name);
  if (expires_in_days > 0) {
    *request.mutable_token()->mutable_expire_time() =
        ToTimestamp(absl::Now() + absl::Hours(24) * expires_in_days);
  }
  // The command line stands in for an administrator of that organisation.
  Identity operator_identity{
      organisation, "", goldenthread::v1::ADMIN, "gateway --create_token", {}};
  GT_ASSIGN_OR_RETURN(auto response, manager.CreateToken(operator_identity, request));
  return response.secret();
}

}  // namespace gt::gateway
