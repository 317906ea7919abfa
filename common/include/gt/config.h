#pragma once

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// Flags every service shares. Each falls back to an environment variable
// (shown in its help) so containers can be configured either way; a flag on
// the command line wins.
ABSL_DECLARE_FLAG(int, grpc_port);
ABSL_DECLARE_FLAG(int, metrics_port);
ABSL_DECLARE_FLAG(std::string, bind_address);
ABSL_DECLARE_FLAG(std::string, mysql_uri);
ABSL_DECLARE_FLAG(std::string, mysql_uri_file);
ABSL_DECLARE_FLAG(int, mysql_pool_size);
ABSL_DECLARE_FLAG(bool, migrate_only);
ABSL_DECLARE_FLAG(int, database_wait_seconds);
ABSL_DECLARE_FLAG(int, shutdown_grace_seconds);
ABSL_DECLARE_FLAG(int, shutdown_delay_seconds);
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(std::string, identity_key_file);
ABSL_DECLARE_FLAG(bool, insecure_identity);

namespace gt {

std::string EnvOr(const char* name, const std::string& fallback);
int EnvIntOr(const char* name, int fallback);

// --mysql_uri, or the contents of --mysql_uri_file (a mounted Secret), so a
// password never has to appear on a command line.
absl::StatusOr<std::string> ResolveMysqlUri();

// A port flag left at -1 takes the service's default.
int PortOr(int flag_value, int service_default);

}  // namespace gt
