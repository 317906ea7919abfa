# shellcheck shell=bash disable=SC2034  # variables used by the scripts that source this
# The services of the suite, and how run.sh starts and stop.sh stops them.
# Sourced, never executed.

# shellcheck source=scripts/lib/mariadb.sh
source "$(dirname "${BASH_SOURCE[0]}")/mariadb.sh"

# name|binary (relative to the repo root)|gRPC port|metrics port|database
# In start order: backends before the report-service that reads them, and the
# gateway, which forwards to all of them, last. stop.sh goes in reverse.
GT_SERVICES=(
  "plan-service|build/plan-service/plan-service|50051|9101|gt_plan"
  "milestone-service|build/milestone-service/milestone-service|50052|9102|gt_milestone"
  "report-service|build/report-service/report-service|50053|9103|"
  "gateway|build/gateway/gateway|50050|9100|gt_gateway"
)
# Every database any service uses; run.sh creates them all.
GT_DATABASES=(gt_plan gt_milestone gt_gateway)

# Where run.sh keeps its state (all under .local/, which git ignores).
GT_LOCAL="$GT_ROOT/.local"
GT_LOG_DIR="$GT_LOCAL/logs"
GT_RUN_DIR="$GT_LOCAL/run"
GT_SECRETS_DIR="$GT_LOCAL/secrets"
GT_MYSQL_DATADIR="$GT_LOCAL/mariadb"
GT_MYSQL_PIDFILE="$GT_RUN_DIR/mariadbd.pid"
GT_MYSQL_PORTFILE="$GT_RUN_DIR/mariadbd.port"
GT_MYSQL_PASSWORD_FILE="$GT_SECRETS_DIR/mysql-password"
# The identity key: the gateway seals the identities it forwards with it, the
# backends believe only sealed ones, operators' tools (gt-call, gt-load) seal
# their direct calls with it. Made by run.sh on first run.
GT_IDENTITY_KEY_PATH="$GT_SECRETS_DIR/identity-key"
if [[ -s "$GT_IDENTITY_KEY_PATH" ]]; then
  export GT_IDENTITY_KEY_FILE="$GT_IDENTITY_KEY_PATH"
fi
GT_MYSQL_USER="gt"

# gt_mysql_socket — the socket of run.sh's MariaDB.
gt_mysql_socket() {
  local socket
  socket="$(mdb_socket_path "$GT_RUN_DIR")"
  printf '%s' "$socket"
}

# gt_service_field ENTRY N — field N (1-based) of a GT_SERVICES entry.
gt_service_field() {
  local IFS='|' fields
  read -r -a fields <<<"$1"
  printf '%s' "${fields[$(($2 - 1))]:-}"
}

gt_service_pidfile() { printf '%s/%s.pid' "$GT_RUN_DIR" "$1"; }
gt_service_logfile() { printf '%s/%s.log' "$GT_LOG_DIR" "$1"; }

# gt_health_ok PORT — one probe of the grpc.health.v1 status of the whole
# server on 127.0.0.1:PORT. Uses build/common/gt-health-check; until that
# exists, the same check through scripts/gt-call.
gt_health_ok() {
  local port="$1" probe="$GT_ROOT/build/common/gt-health-check"
  if [[ -x "$probe" ]]; then
    "$probe" "127.0.0.1:$port" --timeout_ms=1000 >/dev/null 2>&1
  else
    "$GT_ROOT/scripts/gt-call" --addr "127.0.0.1:$port" --timeout 1 \
      grpc.health.v1.Health/Check '{}' 2>/dev/null | grep -q '"status": "SERVING"'
  fi
}

# gt_wait_healthy NAME PORT PID LOG SECONDS — poll the health status until
# SERVING. Fails at once if the process exits, or after SECONDS.
gt_wait_healthy() {
  local name="$1" port="$2" pid="$3" log="$4" deadline=$(( $(gt_now) + $5 ))
  until gt_health_ok "$port"; do
    if ! gt_pid_alive "$pid"; then
      gt_tail_log "$log"
      gt_log "$name exited during start-up (log: $log)"
      return 1
    fi
    if (( $(gt_now) >= deadline )); then
      gt_tail_log "$log"
      gt_log "$name was not SERVING on 127.0.0.1:$port within $5s (log: $log)"
      return 1
    fi
    gt_short_pause
  done
}

# gt_stop_services GRACE — stop every service run.sh started, gateway first:
# SIGTERM, up to GRACE seconds to drain, then SIGKILL.
gt_stop_services() {
  local grace="$1" i entry name bin pidfile pid
  for (( i = ${#GT_SERVICES[@]} - 1; i >= 0; i-- )); do
    entry="${GT_SERVICES[$i]}"
    name="$(gt_service_field "$entry" 1)"
    bin="$GT_ROOT/$(gt_service_field "$entry" 2)"
    pidfile="$(gt_service_pidfile "$name")"
    pid="$(gt_read_pid "$pidfile")"
    if [[ -n "$pid" ]] && gt_pid_runs "$pid" "$bin"; then
      gt_log "stopping $name (pid $pid)"
      gt_stop_pid "$pid" "$name" "$grace"
    fi
    rm -f "$pidfile"
  done
}

# gt_stop_mysql — stop run.sh's MariaDB, if it is running.
gt_stop_mysql() {
  local pid
  pid="$(gt_read_pid "$GT_MYSQL_PIDFILE")"
  if [[ -n "$pid" ]] && gt_pid_alive "$pid"; then
    gt_log "stopping MariaDB (pid $pid)"
  fi
  mdb_stop "$(gt_mysql_socket)" "$GT_MYSQL_PIDFILE" 60
  rm -f "$GT_MYSQL_PORTFILE"
}
