# shellcheck shell=bash
# A private MariaDB server for run.sh and test.sh. Sourced, never executed.
#
# Everything here runs Debian's mariadbd directly on a data directory we own:
# no systemd, no /etc/mysql, no system server (a system mariadbd on 3306, if
# the Debian package started one, is never used). The administrator is the OS
# user running the script, authenticated over the Unix socket (no password);
# applications get their own user with a password, over TCP on 127.0.0.1.
#
#   mdb_init DATADIR                      create the data directory (once)
#   mdb_start DATADIR SOCKET PORT PIDFILE [MARIADBD_ARG...]
#                                         start mariadbd in the background
#   mdb_wait SOCKET PIDFILE LOG SECONDS   wait until it answers ping
#   mdb_sql SOCKET [DATABASE]             run SQL from stdin as the admin
#   mdb_create_user SOCKET USER PASSWORD [SCOPE]
#                                         user@127.0.0.1 and user@localhost,
#                                         ALL on SCOPE (default *.*)
#   mdb_create_databases SOCKET DB...     utf8mb4 databases, if missing
#   mdb_stop SOCKET PIDFILE [SECONDS]     shutdown, kill as a fallback, wait
#   mdb_socket_path DIR                   a socket path short enough for Unix
#   gt_free_port                          (from common.sh) a free TCP port
#
# The server log is DATADIR/mariadbd.log.

if ! declare -F gt_log >/dev/null; then
  # shellcheck source=scripts/lib/common.sh
  source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
fi

MDB_MARIADBD="$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)"

# The admin account: mariadb-install-db gives the installing OS user (root, or
# whoever runs the script) unix_socket authentication.
mdb_admin_user() { id -un; }

mdb_log_file() { printf '%s/mariadbd.log' "$1"; }

# mdb_socket_path DIR — DIR/mariadbd.sock, or a path under /tmp derived from
# DIR when that would pass the ~107-byte limit of a Unix socket path.
mdb_socket_path() {
  local dir="$1" path="$1/mariadbd.sock"
  if (( ${#path} > 100 )); then
    path="/tmp/gt-mariadb-$(printf '%s' "$dir" | md5sum | cut -c1-12).sock"
  fi
  printf '%s' "$path"
}

# mdb_init DATADIR — a new data directory, unless DATADIR already exists.
# Built in DATADIR.init and renamed, so an interrupted init never leaves a
# half-made directory that a later run would mistake for a good one.
mdb_init() {
  local datadir="$1" tmp="$1.init" user
  if [[ -d "$datadir/mysql" ]]; then
    return 0
  fi
  [[ ! -e "$datadir" ]] || gt_die "$datadir exists but is not a MariaDB data directory; move it away"
  command -v mariadb-install-db >/dev/null 2>&1 \
    || gt_die "mariadb-install-db not found; run scripts/install-deps.sh"
  user="$(mdb_admin_user)"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$datadir")"
  if ! mariadb-install-db --no-defaults --user="$user" --datadir="$tmp" \
      --auth-root-authentication-method=socket --skip-test-db \
      >"$tmp.log" 2>&1; then
    gt_tail_log "$tmp.log"
    gt_die "mariadb-install-db failed for $datadir"
  fi
  mv "$tmp.log" "$tmp/install.log"
  mv "$tmp" "$datadir"
}

# mdb_start DATADIR SOCKET PORT PIDFILE [MARIADBD_ARG...] — start mariadbd in
# the background (own session; pid in PIDFILE). Does not wait: see mdb_wait.
mdb_start() {
  local datadir="$1" socket="$2" port="$3" pidfile="$4"
  shift 4
  local log user_arg=()
  log="$(mdb_log_file "$datadir")"
  # mariadbd refuses to run as root unless told so explicitly.
  (( EUID != 0 )) || user_arg=(--user=root)
  mkdir -p "$(dirname "$socket")" "$(dirname "$pidfile")"
  rm -f "$socket"
  printf '\n===== %s starting mariadbd on 127.0.0.1:%s =====\n' "$(date -u +%FT%TZ)" "$port" >>"$log"
  gt_spawn "$pidfile" "$log" "$MDB_MARIADBD" --no-defaults "${user_arg[@]}" \
    --datadir="$datadir" --socket="$socket" --port="$port" \
    --bind-address=127.0.0.1 --skip-name-resolve \
    --pid-file="$datadir/mariadbd.pid" --log-error="$log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    "$@"
}

# mdb_ping SOCKET — true when the server answers on SOCKET.
mdb_ping() {
  mariadb-admin --no-defaults --socket="$1" --user="$(mdb_admin_user)" \
    --connect-timeout=2 ping >/dev/null 2>&1
}

# mdb_wait SOCKET PIDFILE LOG SECONDS — until the server answers ping. Fails
# at once, showing the log, if the process dies; fails after SECONDS if not.
mdb_wait() {
  local socket="$1" pidfile="$2" log="$3" deadline=$(( $(gt_now) + $4 )) pid
  pid="$(gt_read_pid "$pidfile")"
  until mdb_ping "$socket"; do
    if [[ -z "$pid" ]] || ! gt_pid_alive "$pid"; then
      gt_tail_log "$log"
      gt_log "mariadbd exited during start-up (log: $log)"
      return 1
    fi
    if (( $(gt_now) >= deadline )); then
      gt_tail_log "$log"
      gt_log "mariadbd did not answer ping within $4s (log: $log)"
      return 1
    fi
    gt_short_pause
  done
}

# mdb_sql SOCKET [DATABASE] — run the SQL on stdin as the admin.
mdb_sql() {
  mariadb --no-defaults --socket="$1" --user="$(mdb_admin_user)" \
    --batch --skip-column-names ${2:+"--database=$2"}
}

# mdb_quote STRING — STRING as a SQL string literal.
mdb_quote() {
  local s="${1//\\/\\\\}"
  printf "'%s'" "${s//\'/\'\'}"
}

# mdb_create_user SOCKET USER PASSWORD [SCOPE] — create the user for TCP
# (127.0.0.1) and socket (localhost) connections, or reset its password when
# it exists, and grant it ALL on SCOPE (default *.*, which lets tests create
# and drop their own databases).
mdb_create_user() {
  local socket="$1" user pass scope="${4:-*.*}" host sql=""
  user="$(mdb_quote "$2")"
  pass="$(mdb_quote "$3")"
  for host in "'127.0.0.1'" "'localhost'"; do
    sql+="CREATE USER IF NOT EXISTS ${user}@${host} IDENTIFIED BY ${pass};
ALTER USER ${user}@${host} IDENTIFIED BY ${pass};
GRANT ALL PRIVILEGES ON ${scope} TO ${user}@${host};
"
  done
  mdb_sql "$socket" <<<"$sql" || gt_die "could not create MySQL user $2"
}

# mdb_create_databases SOCKET DB... — create each database (utf8mb4) if missing.
mdb_create_databases() {
  local socket="$1" db sql=""
  shift
  for db in "$@"; do
    [[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || gt_die "bad database name: $db"
    sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
"
  done
  mdb_sql "$socket" <<<"$sql" || gt_die "could not create databases: $*"
}

# mdb_stop SOCKET PIDFILE [SECONDS] — stop the server started with PIDFILE:
# mariadb-admin shutdown (a clean InnoDB shutdown), or SIGTERM (also clean)
# when the admin cannot connect; SIGKILL if it has not exited within SECONDS
# (default 60). Waits for the exit.
mdb_stop() {
  local socket="$1" pidfile="$2" grace="${3:-60}" pid
  pid="$(gt_read_pid "$pidfile")"
  if [[ -z "$pid" ]] || ! gt_pid_runs "$pid" "$MDB_MARIADBD"; then
    rm -f "$pidfile"
    return 0
  fi
  if ! mariadb-admin --no-defaults --socket="$socket" --user="$(mdb_admin_user)" \
      --connect-timeout=2 shutdown >/dev/null 2>&1; then
    gt_log "mariadb-admin shutdown failed; sending SIGTERM to mariadbd (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if ! gt_wait_pid_exit "$pid" "$grace"; then
    gt_log "mariadbd (pid $pid) did not exit within ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    gt_wait_pid_exit "$pid" 10 || gt_die "mariadbd (pid $pid) survived SIGKILL"
  fi
  rm -f "$pidfile"
}
