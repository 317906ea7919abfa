// gateway: the suite's one public endpoint. Wiring only.
//
// Serving:      gateway [--grpc_port=50050] [--tls_cert_file=F --tls_key_file=F] ...
// First token:  gateway --create_token --organisation=th --role=ADMIN --subject=ops
//               (prints the bearer token, and nothing else, on stdout)
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway_server.h"
#include "gt/config.h"
#include "gt/identity.h"
#include "gt/log.h"
#include "gt/migrations.h"

namespace {

// config.h has EnvOr and EnvIntOr; rates may be fractional.
double EnvDoubleOr(const char* name, double fallback) {
  double value = 0;
  const char* text = std::getenv(name);
  return text != nullptr && absl::SimpleAtod(text, &value) ? value : fallback;
}

}  // namespace

ABSL_FLAG(std::string, plan_service_addr, gt::EnvOr("GT_PLAN_SERVICE_ADDR", "127.0.0.1:50051"),
          "plan-service address (env GT_PLAN_SERVICE_ADDR)");
ABSL_FLAG(std::string, milestone_service_addr,
          gt::EnvOr("GT_MILESTONE_SERVICE_ADDR", "127.0.0.1:50052"),
          "milestone-service address (env GT_MILESTONE_SERVICE_ADDR)");
ABSL_FLAG(std::string, report_service_addr, gt::EnvOr("GT_REPORT_SERVICE_ADDR", "127.0.0.1:50053"),
          "report-service address (env GT_REPORT_SERVICE_ADDR)");
ABSL_FLAG(int, default_deadline_ms, gt::EnvIntOr("GT_DEFAULT_DEADLINE_MS", 30000),
          "Deadline of a unary call whose client set none (env GT_DEFAULT_DEADLINE_MS)");
ABSL_FLAG(int, max_deadline_ms, gt::EnvIntOr("GT_MAX_DEADLINE_MS", 300000),
          "Longest deadline a unary call may have upstream (env GT_MAX_DEADLINE_MS)");
ABSL_FLAG(int, max_stream_deadline_ms, gt::EnvIntOr("GT_MAX_STREAM_DEADLINE_MS", 3600000),
          "Longest a streaming call may stay open, and its deadline when the client set none "
          "(env GT_MAX_STREAM_DEADLINE_MS)");
ABSL_FLAG(double, rate_limit_per_second, EnvDoubleOr("GT_RATE_LIMIT_PER_SECOND", 50),
          "Sustained calls per second per token; 0 turns the limit off (env "
          "GT_RATE_LIMIT_PER_SECOND)");
ABSL_FLAG(double, rate_limit_burst, EnvDoubleOr("GT_RATE_LIMIT_BURST", 100),
          "Calls a token may make at once after being idle (env GT_RATE_LIMIT_BURST)");
ABSL_FLAG(int, max_streams_per_token, gt::EnvIntOr("GT_MAX_STREAMS_PER_TOKEN", 16),
          "Open streaming calls per token; 0: no limit (env GT_MAX_STREAMS_PER_TOKEN)");
ABSL_FLAG(int, auth_failures_per_minute, gt::EnvIntOr("GT_AUTH_FAILURES_PER_MINUTE", 30),
          "Unknown tokens one client address may present in a minute; past it, its calls with "
          "tokens this gateway has not seen lately are refused RESOURCE_EXHAUSTED until the "
          "minute ends (known tokens go on working)");
ABSL_FLAG(int, token_cache_seconds, gt::EnvIntOr("GT_TOKEN_CACHE_SECONDS", 10),
          "How long a verified token is trusted without re-reading it; bounds how long a "
          "revocation made through another replica takes here (env GT_TOKEN_CACHE_SECONDS)");
ABSL_FLAG(std::string, tls_cert_file, gt::EnvOr("GT_TLS_CERT_FILE", ""),
          "PEM certificate chain for TLS on the public listener (env GT_TLS_CERT_FILE); with "
          "--tls_key_file, the listener accepts TLS only");
ABSL_FLAG(std::string, tls_key_file, gt::EnvOr("GT_TLS_KEY_FILE", ""),
          "PEM private key for --tls_cert_file (env GT_TLS_KEY_FILE)");
ABSL_FLAG(int, upstream_connections, gt::EnvIntOr("GT_UPSTREAM_CONNECTIONS", 4),
          "Connections to each backend, calls spread over them in turn (behind a Kubernetes "
          "Service each may reach another pod)");
ABSL_FLAG(int, io_threads, gt::EnvIntOr("GT_IO_THREADS", 1),
          "Threads serving the forwarded calls, each an event loop of its own; one handles "
          "several thousand calls a second (env GT_IO_THREADS)");
ABSL_FLAG(bool, log_calls, gt::EnvIntOr("GT_LOG_CALLS", 1) != 0,
          "One JSON line on stderr per call (method, code, latency, organisation, subject, "
          "role, backend): the access log. Off: no line per call (failures such as an "
          "unreachable backend are logged all the same).");
ABSL_FLAG(bool, create_token, false,
          "Create a token (--organisation, --role, --subject), print it on stdout, and exit: "
          "how an organisation's first ADMIN token is made");
ABSL_FLAG(std::string, organisation, "", "With --create_token: the organisation id, e.g. th");
ABSL_FLAG(std::string, role, "ADMIN", "With --create_token: VIEWER, UPDATER, PLANNER or ADMIN");
ABSL_FLAG(std::string, subject, "", "With --create_token: who the token stands for, e.g. ops");
ABSL_FLAG(std::string, display_name, "", "With --create_token: a label shown in ListTokens");
ABSL_FLAG(int, expires_in_days, 0, "With --create_token: days until it expires; 0: never");

namespace {

int Fail(const absl::Status& status) {
  gt::LogError("cannot start",
               {{"service", "gateway"},
                {"error", status.ToString(absl::StatusToStringMode::kWithNoExtraData)}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  gt::SkipMutexDeadlockDetection();
  gt::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "gateway: the public endpoint of Golden Thread: API tokens, roles, organisation scoping, "
      "rate limits, forwarding to the backends. Flags fall back to GT_* environment variables.\n"
      "First token: gateway --create_token --organisation=ID --role=ADMIN --subject=NAME");
  absl::ParseCommandLine(argc, argv);

  gt::HostOptions options;
  options.name = "gateway";
  options.bind_address = absl::GetFlag(FLAGS_bind_address);
  options.grpc_port = gt::PortOr(absl::GetFlag(FLAGS_grpc_port), 50050);
  options.metrics_port = gt::PortOr(absl::GetFlag(FLAGS_metrics_port), 9100);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  options.shutdown_delay = absl::Seconds(absl::GetFlag(FLAGS_shutdown_delay_seconds));
  options.services = gt::gateway::PublicServices();
  // The gateway logs each call itself, with the request id it generated when
  // the caller sent none, and who called.
  options.log_calls = false;
  gt::gateway::SetCallLogging(absl::GetFlag(FLAGS_log_calls));
  std::string cert = absl::GetFlag(FLAGS_tls_cert_file);
  std::string key = absl::GetFlag(FLAGS_tls_key_file);
  if (cert.empty() != key.empty()) {
    return Fail(absl::InvalidArgumentError("--tls_cert_file and --tls_key_file go together"));
  }
  if (!cert.empty()) {
    auto credentials = gt::gateway::LoadTlsCredentials(cert, key);
    if (!credentials.ok()) {
      return Fail(credentials.status());
    }
    options.credentials = *credentials;
  }
  gt::ConnectionPool* pool_for_readiness = nullptr;
  // Ping opens its own connection: a busy pool must not look like a dead
  // database.
  options.readiness = [&pool_for_readiness] { return pool_for_readiness->Ping(); };
  auto host = std::make_unique<gt::ServiceHost>(options);

  auto uri_text = gt::ResolveMysqlUri();
  if (!uri_text.ok()) {
    return Fail(uri_text.status());
  }
  auto uri = gt::ParseMysqlUri(*uri_text);
  if (!uri.ok()) {
    return Fail(uri.status());
  }
  gt::PoolOptions pool_options;
  pool_options.max_connections = absl::GetFlag(FLAGS_mysql_pool_size);
  auto pool = std::make_unique<gt::ConnectionPool>(*uri, pool_options, host->registry());
  absl::Status migrated = gt::ApplyMigrations(*pool, gt::GatewayMigrations());
  if (!migrated.ok()) {
    return Fail(migrated);
  }
  if (absl::GetFlag(FLAGS_migrate_only)) {
    gt::LogInfo("migrations up to date", {{"service", "gateway"}});
    return 0;
  }
  if (absl::GetFlag(FLAGS_create_token)) {
    auto token = gt::gateway::CreateTokenFromCommandLine(
        *pool, absl::GetFlag(FLAGS_organisation), absl::GetFlag(FLAGS_role),
        absl::GetFlag(FLAGS_subject), absl::GetFlag(FLAGS_display_name),
        absl::GetFlag(FLAGS_expires_in_days));
    if (!token.ok()) {
      gt::LogError(
          "cannot create token",
          {{"error", token.status().ToString(absl::StatusToStringMode::kWithNoExtraData)}});
      return 1;
    }
    // The only place the secret is ever written: the operator's terminal.
    std::cout << *token << std::endl;
    return 0;
  }
  pool_for_readiness = pool.get();

  gt::gateway::GatewayOptions gateway;
  gateway.backends = gt::gateway::SuiteBackends(absl::GetFlag(FLAGS_plan_service_addr),
                                                absl::GetFlag(FLAGS_milestone_service_addr),
                                                absl::GetFlag(FLAGS_report_service_addr));
  gateway.upstream.max_message_bytes = options.max_message_bytes;
  gateway.upstream.connections_per_backend = absl::GetFlag(FLAGS_upstream_connections);
  gateway.io_threads = absl::GetFlag(FLAGS_io_threads);
  gateway.deadlines.default_deadline = absl::Milliseconds(absl::GetFlag(FLAGS_default_deadline_ms));
  gateway.deadlines.max_deadline = absl::Milliseconds(absl::GetFlag(FLAGS_max_deadline_ms));
  gateway.deadlines.max_stream_deadline =
      absl::Milliseconds(absl::GetFlag(FLAGS_max_stream_deadline_ms));
  gateway.limits.calls_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  gateway.limits.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  gateway.limits.max_streams = absl::GetFlag(FLAGS_max_streams_per_token);
  gateway.auth.cache_ttl = absl::Seconds(absl::GetFlag(FLAGS_token_cache_seconds));
  gateway.throttle.max_failures = std::max(1, absl::GetFlag(FLAGS_auth_failures_per_minute));
  if (absl::GetFlag(FLAGS_insecure_identity)) {
    gt::LogError("INSECURE: --insecure_identity: forwarded identities are not sealed", {});
  } else {
    auto key = gt::LoadIdentityKey(absl::GetFlag(FLAGS_identity_key_file));
    if (!key.ok()) {
      return Fail(absl::FailedPreconditionError(
          absl::StrCat(key.status().message(),
                       "; the gateway seals the identities it forwards with it (set "
                       "--insecure_identity=true only for development)")));
    }
    gateway.identity_key = *std::move(key);
  }
  auto attached = gt::gateway::Gateway::Attach(gateway, *pool, *host);
  if (!attached.ok()) {
    return Fail(attached.status());
  }
  absl::Status started = host->Start();
  if (!started.ok()) {
    return Fail(started);
  }
  for (const auto& backend : gateway.backends) {
    gt::LogInfo("forwarding", {{"backend", backend.name}, {"address", backend.address}});
  }
  int signal = gt::WaitForTerminationSignal();
  gt::LogInfo("signal received", {{"service", "gateway"}, {"signal", absl::StrCat(signal), true}});
  host->DrainForExit();
  gt::ExitDrained("gateway");
}
