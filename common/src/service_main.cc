#include "gt/service_main.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "gt/config.h"
#include "gt/identity.h"
#include "gt/log.h"

namespace gt {

int RunServiceMain(
    const ServiceSpec& spec,
    const std::function<absl::StatusOr<Wiring>(ConnectionPool*, ServiceHost&)>& wire) {
  SkipMutexDeadlockDetection();
  BlockTerminationSignals();
  auto fail = [&](const absl::Status& status) {
    LogError("cannot start",
             {{"service", spec.name},
              {"error", status.ToString(absl::StatusToStringMode::kWithNoExtraData)}});
    return 1;
  };

  HostOptions options;
  options.name = spec.name;
  options.bind_address = absl::GetFlag(FLAGS_bind_address);
  options.grpc_port = PortOr(absl::GetFlag(FLAGS_grpc_port), spec.default_grpc_port);
  options.metrics_port = PortOr(absl::GetFlag(FLAGS_metrics_port), spec.default_metrics_port);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  options.shutdown_delay = absl::Seconds(absl::GetFlag(FLAGS_shutdown_delay_seconds));
  options.services = spec.proto_services;
  ConnectionPool* pool_for_readiness = nullptr;
  if (spec.migrations != nullptr) {
    // Ping opens its own connection: a busy pool must not look like a dead
    // database.
    options.readiness = [&pool_for_readiness] { return pool_for_readiness->Ping(); };
  }
  auto host = std::make_unique<ServiceHost>(options);

  std::unique_ptr<ConnectionPool> pool;
  if (spec.migrations != nullptr) {
    auto uri_text = ResolveMysqlUri();
    if (!uri_text.ok()) {
      return fail(uri_text.status());
    }
    auto uri = ParseMysqlUri(*uri_text);
    if (!uri.ok()) {
      return fail(uri.status());
    }
    PoolOptions pool_options;
    pool_options.max_connections = absl::GetFlag(FLAGS_mysql_pool_size);
    pool_options.read_committed = spec.read_committed;
    pool = std::make_unique<ConnectionPool>(*uri, pool_options, host->registry());
    // The database may still be starting (a pod beside a fresh MySQL): wait
    // for it a while rather than crash-loop.
    absl::Status migrated;
    absl::Time give_up = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_database_wait_seconds));
    while (true) {
      migrated = ApplyMigrations(*pool, *spec.migrations);
      if (migrated.code() != absl::StatusCode::kUnavailable || absl::Now() > give_up) {
        break;
      }
      LogError("database not reachable yet; retrying", {{"service", spec.name}});
      absl::SleepFor(absl::Seconds(2));
    }
    if (!migrated.ok()) {
      return fail(migrated);
    }
    if (absl::GetFlag(FLAGS_migrate_only)) {
      LogInfo("migrations up to date", {{"service", spec.name}});
      return 0;
    }
    pool_for_readiness = pool.get();
  }

  // Only sealed identities are believed (issue 16), unless development mode
  // says otherwise, explicitly.
  if (absl::GetFlag(FLAGS_insecure_identity)) {
    LogError("INSECURE: --insecure_identity: any caller's x-gt-* headers are believed",
             {{"service", spec.name}});
  } else {
    auto key = LoadIdentityKey(absl::GetFlag(FLAGS_identity_key_file));
    if (!key.ok()) {
      return fail(absl::FailedPreconditionError(
          absl::StrCat(key.status().message(),
                       "; every service needs the gateway's identity key (set "
                       "--insecure_identity=true only for development)")));
    }
    RequireSealedIdentity(*std::move(key));
  }
  auto wiring = wire(pool.get(), *host);
  if (!wiring.ok()) {
    return fail(wiring.status());
  }
  for (grpc::Service* service : wiring->services) {
    host->AddService(service);
  }
  absl::Status started = host->Start();
  if (!started.ok()) {
    return fail(started);
  }
  int signal = WaitForTerminationSignal();
  LogInfo("signal received", {{"service", spec.name}, {"signal", absl::StrCat(signal), true}});
  host->DrainForExit();
  ExitDrained(spec.name);
}

}  // namespace gt
