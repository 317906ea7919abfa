#include "gt/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

ABSL_FLAG(int, grpc_port, gt::EnvIntOr("GT_GRPC_PORT", -1),
          "gRPC listening port (env GT_GRPC_PORT; -1: the service's default; 0: any free port)");
ABSL_FLAG(int, metrics_port, gt::EnvIntOr("GT_METRICS_PORT", -1),
          "Prometheus /metrics HTTP port (env GT_METRICS_PORT; -1: the service's default; "
          "0: any free port)");
ABSL_FLAG(std::string, bind_address, gt::EnvOr("GT_BIND_ADDRESS", "0.0.0.0"),
          "Address the gRPC and metrics listeners bind (env GT_BIND_ADDRESS)");
ABSL_FLAG(std::string, mysql_uri, gt::EnvOr("GT_MYSQL_URI", ""),
          "mysql://user:password@host:port/database (env GT_MYSQL_URI)");
ABSL_FLAG(std::string, mysql_uri_file, gt::EnvOr("GT_MYSQL_URI_FILE", ""),
          "File holding the MySQL URI, e.g. a mounted Secret (env GT_MYSQL_URI_FILE)");
ABSL_FLAG(int, mysql_pool_size, gt::EnvIntOr("GT_MYSQL_POOL_SIZE", 16),
          "Maximum open database connections (env GT_MYSQL_POOL_SIZE)");
ABSL_FLAG(bool, migrate_only, false, "Apply database migrations and exit");
ABSL_FLAG(int, database_wait_seconds, gt::EnvIntOr("GT_DATABASE_WAIT_SECONDS", 60),
          "At start, how long to wait for an unreachable database before giving up (env "
          "GT_DATABASE_WAIT_SECONDS)");
ABSL_FLAG(int, shutdown_grace_seconds, gt::EnvIntOr("GT_SHUTDOWN_GRACE_SECONDS", 20),
          "On SIGTERM, how long in-flight calls may take to finish (env "
          "GT_SHUTDOWN_GRACE_SECONDS)");
ABSL_FLAG(int, shutdown_delay_seconds, gt::EnvIntOr("GT_SHUTDOWN_DELAY_SECONDS", 0),
          "On SIGTERM, how long to keep serving while reporting NOT_SERVING, so load "
          "balancers stop sending (env GT_SHUTDOWN_DELAY_SECONDS)");
ABSL_FLAG(int, max_message_bytes, gt::EnvIntOr("GT_MAX_MESSAGE_BYTES", 4 << 20),
          "Largest request or response message (env GT_MAX_MESSAGE_BYTES)");
ABSL_FLAG(std::string, identity_key_file, gt::EnvOr("GT_IDENTITY_KEY_FILE", ""),
          "File holding the identity key (>= 32 characters) the gateway seals identities with "
          "and the backends check them with (env GT_IDENTITY_KEY_FILE); required unless "
          "--insecure_identity");
ABSL_FLAG(bool, insecure_identity, gt::EnvIntOr("GT_INSECURE_IDENTITY", 0) != 0,
          "DEVELOPMENT ONLY: no identity key; backends believe any x-gt-* headers and the "
          "gateway seals nothing (env GT_INSECURE_IDENTITY=1)");

namespace gt {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

int EnvIntOr(const char* name, int fallback) {
  int value = 0;
  const char* text = std::getenv(name);
  return text != nullptr && absl::SimpleAtoi(text, &value) ? value : fallback;
}

absl::StatusOr<std::string> ResolveMysqlUri() {
  std::string uri = absl::GetFlag(FLAGS_mysql_uri);
  std::string file = absl::GetFlag(FLAGS_mysql_uri_file);
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      return absl::FailedPreconditionError(
          absl::StrCat("--mysql_uri_file: cannot read '", file, "'"));
    }
    std::stringstream content;
    content << in.rdbuf();
    uri = std::string(absl::StripAsciiWhitespace(content.str()));
  }
  if (uri.empty()) {
    return absl::FailedPreconditionError(
        "no database configured: set --mysql_uri (env GT_MYSQL_URI) or --mysql_uri_file");
  }
  return uri;
}

int PortOr(int flag_value, int service_default) {
  return flag_value < 0 ? service_default : flag_value;
}

}  // namespace gt
