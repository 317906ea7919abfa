#!/usr/bin/env bash
# THE RUN COMMAND: builds Golden Thread and runs it on this machine.
#
#   scripts/run.sh
#
# 1. installs missing Debian packages (scripts/install-deps.sh);
# 2. builds (cmake + Ninja into build/, at most GT_JOBS=2 jobs);
# 3. starts a private MariaDB (data in .local/mariadb, 127.0.0.1:13306 or
#    GT_MYSQL_PORT), creates the app user "gt" (its password generated once,
#    in .local/secrets/mysql-password) and the databases;
# 4. for each service that has been built: applies its migrations
#    (--migrate_only), starts it in the background and waits until its gRPC
#    health status is SERVING;
# 5. loads demo data with scripts/load-demo.sh, if that exists;
# 6. prints where everything is.
#
# Running it again restarts the services (with the newly built binaries) and
# keeps MariaDB and its data. scripts/stop.sh stops everything.
#
# Environment: GT_MYSQL_PORT (13306), GT_START_TIMEOUT (seconds a service may
# take to become healthy, 60), GT_STOP_GRACE (seconds a service may take to
# drain when restarted, 10), GT_SKIP_DEPS=1, GT_SKIP_BUILD=1, GT_JOBS (2).
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/services.sh"

mysql_port="${GT_MYSQL_PORT:-13306}"
start_timeout="${GT_START_TIMEOUT:-60}"
stop_grace="${GT_STOP_GRACE:-10}"
[[ "$mysql_port" =~ ^[0-9]+$ ]] || gt_die "GT_MYSQL_PORT must be a port number, got '$mysql_port'"

gt_lock "$GT_RUN_DIR/lock" 0
gt_install_deps
gt_build

# Which services have been built. Today that may be only some of them.
present=()
for entry in "${GT_SERVICES[@]}"; do
  if [[ -x "$GT_ROOT/$(gt_service_field "$entry" 2)" ]]; then
    present+=("$entry")
  fi
done
(( ${#present[@]} > 0 )) \
  || gt_die "no service binary was built (looked for build/*/{plan-service,milestone-service,report-service,gateway})"

mkdir -p "$GT_LOG_DIR" "$GT_RUN_DIR" "$GT_SECRETS_DIR"
chmod 700 "$GT_SECRETS_DIR"

# Never two of anything: stop what a previous run started before starting.
gt_stop_services "$stop_grace"
# Anything still listening on a service port is not ours: say so before
# starting anything, rather than fail half-way.
for entry in "${present[@]}"; do
  for port in "$(gt_service_field "$entry" 3)" "$(gt_service_field "$entry" 4)"; do
    if gt_port_in_use "$port"; then
      gt_die "cannot start $(gt_service_field "$entry" 1): port $port is taken by a process run.sh did not start"
    fi
  done
done

# ---- MariaDB ---------------------------------------------------------------
socket="$(gt_mysql_socket)"
mysql_log="$(mdb_log_file "$GT_MYSQL_DATADIR")"
mysql_pid="$(gt_read_pid "$GT_MYSQL_PIDFILE")"
running_port="$(gt_read_pid "$GT_MYSQL_PORTFILE")"
if [[ -n "$mysql_pid" ]] && gt_pid_runs "$mysql_pid" "$MDB_MARIADBD" \
    && [[ "$running_port" == "$mysql_port" ]] && mdb_ping "$socket"; then
  gt_log "MariaDB already running (pid $mysql_pid, 127.0.0.1:$mysql_port)"
else
  if [[ -n "$mysql_pid" ]] && gt_pid_runs "$mysql_pid" "$MDB_MARIADBD"; then
    gt_log "restarting MariaDB (was on port ${running_port:-?}, want $mysql_port)"
    gt_stop_mysql
  fi
  if gt_port_in_use "$mysql_port"; then
    gt_die "port $mysql_port is taken by a process run.sh did not start; set GT_MYSQL_PORT to a free port"
  fi
  mdb_init "$GT_MYSQL_DATADIR"
  gt_log "starting MariaDB on 127.0.0.1:$mysql_port (data: ${GT_MYSQL_DATADIR#"$GT_ROOT"/})"
  mdb_start "$GT_MYSQL_DATADIR" "$socket" "$mysql_port" "$GT_MYSQL_PIDFILE"
  mdb_wait "$socket" "$GT_MYSQL_PIDFILE" "$mysql_log" 60 || gt_die "MariaDB did not start"
  printf '%s\n' "$mysql_port" >"$GT_MYSQL_PORTFILE"
fi

if [[ ! -s "$GT_MYSQL_PASSWORD_FILE" ]]; then
  (umask 077 && od -An -tx1 -N18 /dev/urandom | tr -d ' \n' >"$GT_MYSQL_PASSWORD_FILE.tmp")
  mv "$GT_MYSQL_PASSWORD_FILE.tmp" "$GT_MYSQL_PASSWORD_FILE"
fi
chmod 600 "$GT_MYSQL_PASSWORD_FILE"
mysql_password="$(<"$GT_MYSQL_PASSWORD_FILE")"
if [[ ! -s "$GT_IDENTITY_KEY_PATH" ]]; then
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$GT_IDENTITY_KEY_PATH.tmp")
  mv "$GT_IDENTITY_KEY_PATH.tmp" "$GT_IDENTITY_KEY_PATH"
fi
chmod 600 "$GT_IDENTITY_KEY_PATH"
export GT_IDENTITY_KEY_FILE="$GT_IDENTITY_KEY_PATH"
# Idempotent: creates the user, or resets its password to the one on file.
# All privileges on the gt_* databases only (the backslash escapes LIKE's "_").
# shellcheck disable=SC2016  # backquotes are SQL identifier quotes
mdb_create_user "$socket" "$GT_MYSQL_USER" "$mysql_password" '`gt\_%`.*'
mdb_create_databases "$socket" "${GT_DATABASES[@]}"

# ---- services --------------------------------------------------------------
for entry in "${present[@]}"; do
  name="$(gt_service_field "$entry" 1)"
  bin="$GT_ROOT/$(gt_service_field "$entry" 2)"
  grpc_port="$(gt_service_field "$entry" 3)"
  metrics_port="$(gt_service_field "$entry" 4)"
  db="$(gt_service_field "$entry" 5)"
  log="$(gt_service_logfile "$name")"
  pidfile="$(gt_service_pidfile "$name")"

  # The URI carries the password, so it goes in the environment (the flag's
  # fallback), not on a command line that every local user can read in ps.
  service_env=()
  if [[ -n "$db" ]]; then
    service_env=("GT_MYSQL_URI=mysql://$GT_MYSQL_USER:$mysql_password@127.0.0.1:$mysql_port/$db")
  fi
  # Listen on loopback only (defence in depth: the backends also believe
  # only identities sealed with the identity key, GT_IDENTITY_KEY_FILE).
  service_env+=("GT_BIND_ADDRESS=${GT_BIND_ADDRESS:-127.0.0.1}")
  flags=(--grpc_port="$grpc_port" --metrics_port="$metrics_port")

  # One log per run (the previous one kept as .prev), so that the tail shown
  # on failure is this run's.
  [[ ! -e "$log" ]] || mv -f "$log" "$log.prev"
  printf '===== %s %s =====\n' "$(date -u +%FT%TZ)" "$name" >"$log"
  if [[ -n "$db" ]]; then
    gt_log "$name: applying migrations to $db"
    if ! env "${service_env[@]}" "$bin" "${flags[@]}" --migrate_only </dev/null >>"$log" 2>&1; then
      gt_tail_log "$log"
      gt_die "$name: migrations failed (log: $log)"
    fi
  fi

  gt_log "$name: starting on gRPC 127.0.0.1:$grpc_port, metrics :$metrics_port"
  gt_spawn "$pidfile" "$log" env "${service_env[@]}" "$bin" "${flags[@]}"
  pid="$(gt_read_pid "$pidfile")"
  if ! gt_wait_healthy "$name" "$grpc_port" "$pid" "$log" "$start_timeout"; then
    gt_stop_pid "$pid" "$name" "$stop_grace"
    rm -f "$pidfile"
    gt_die "$name did not become healthy; it has been stopped. Fix it and run scripts/run.sh again (scripts/stop.sh stops the rest)"
  fi
  gt_log "$name: SERVING (pid $pid)"
done

# ---- demo data -------------------------------------------------------------
if [[ -x "$GT_ROOT/scripts/load-demo.sh" ]]; then
  gt_log "loading demo data (scripts/load-demo.sh)"
  "$GT_ROOT/scripts/load-demo.sh" </dev/null || gt_die "scripts/load-demo.sh failed"
fi

# ---- an API token for the demo organisation -------------------------------
# The first ADMIN token of an organisation is made on the command line (it is
# printed once; only its hash is stored). Kept for the newcomer in
# .local/secrets so the examples below work as they are.
token_file="$GT_SECRETS_DIR/th-admin-token"
if [[ -x "$GT_ROOT/build/gateway/gateway" && -x "$GT_ROOT/scripts/load-demo.sh" && ! -s "$token_file" ]]; then
  (umask 077 && GT_MYSQL_URI="mysql://$GT_MYSQL_USER:$mysql_password@127.0.0.1:$mysql_port/gt_gateway" \
    "$GT_ROOT/build/gateway/gateway" --create_token --organisation=th --role=ADMIN \
    --subject=newcomer >"$token_file.tmp" 2>>"$GT_LOG_DIR/gateway.log") \
    || gt_die "could not create the demo ADMIN token (log: .local/logs/gateway.log)"
  mv "$token_file.tmp" "$token_file"
  gt_log "demo ADMIN token for organisation th written to ${token_file#"$GT_ROOT"/}"
fi

# ---- where everything is ---------------------------------------------------
rel() { printf '%s' "${1#"$GT_ROOT"/}"; }
{
  echo
  echo "Golden Thread is running."
  echo
  printf '  %-18s %-17s %-31s %s\n' SERVICE gRPC METRICS LOG
  for entry in "${present[@]}"; do
    name="$(gt_service_field "$entry" 1)"
    printf '  %-18s 127.0.0.1:%-7s http://127.0.0.1:%-14s %s\n' "$name" \
      "$(gt_service_field "$entry" 3)" "$(gt_service_field "$entry" 4)/metrics" \
      "$(rel "$(gt_service_logfile "$name")")"
  done
  printf '  %-18s 127.0.0.1:%-7s %-31s %s\n' MariaDB "$mysql_port" "(user $GT_MYSQL_USER)" "$(rel "$mysql_log")"
  for entry in "${GT_SERVICES[@]}"; do
    [[ -x "$GT_ROOT/$(gt_service_field "$entry" 2)" ]] \
      || printf '  %-18s (not built yet)\n' "$(gt_service_field "$entry" 1)"
  done
  echo
  echo "  MySQL password: $(rel "$GT_MYSQL_PASSWORD_FILE"); e.g."
  echo "    mariadb -h 127.0.0.1 -P $mysql_port -u $GT_MYSQL_USER -p\"\$(cat $(rel "$GT_MYSQL_PASSWORD_FILE"))\" gt_plan"
  echo
  echo "Stop everything:  scripts/stop.sh"
  echo
  echo "Call the API (scripts/gt-call --help; scripts/gt-call --list shows every method):"
  if [[ -x "$GT_ROOT/build/gateway/gateway" ]]; then
    echo "  through the gateway, with the demo organisation's ADMIN token:"
    echo "  export GT_TOKEN=\"\$(cat ${token_file#"$GT_ROOT"/})\""
    echo "  scripts/gt-call --addr 127.0.0.1:50050 --token \"\$GT_TOKEN\" PlanService/ListPlans '{\"parent\": \"organisations/th\"}'"
    echo "  scripts/gt-call --addr 127.0.0.1:50050 --token \"\$GT_TOKEN\" MilestoneService/CountOverdue '{\"parent\": \"organisations/th/plans/2007-08\", \"as_of\": \"2008-03-31\", \"group_by\": \"BY_DIRECTORATE\"}'"
    echo "  straight to a backend, as an operator (gt-call seals with .local/secrets/identity-key):"
  fi
  if [[ -x "$GT_ROOT/build/plan-service/plan-service" ]]; then
    echo "  scripts/gt-call --addr 127.0.0.1:50051 grpc.health.v1.Health/Check '{}'"
    echo "  scripts/gt-call --addr 127.0.0.1:50051 PlanService/ListOrganisations '{}'"
    echo "  scripts/gt-call --addr 127.0.0.1:50051 PlanService/ListPlans '{\"parent\": \"organisations/th\"}'"
  fi
  if [[ -x "$GT_ROOT/build/milestone-service/milestone-service" ]]; then
    echo "  scripts/gt-call --addr 127.0.0.1:50052 MilestoneService/WatchMilestoneUpdates '{\"parent\": \"organisations/th/plans/2017-18\"}'"
  fi
}
