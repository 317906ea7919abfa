#!/usr/bin/env bash
# THE TEST COMMAND: builds Golden Thread and runs every test registered with
# CTest against a throwaway MariaDB.
#
#   scripts/test.sh [CTEST_ARG...]      e.g. scripts/test.sh -R plan
#
# 1. installs missing Debian packages (scripts/install-deps.sh);
# 2. builds (cmake + Ninja into build/, at most GT_JOBS=2 jobs);
# 3. starts MariaDB on a free port with its data in a temporary directory and
#    exports GT_TEST_MYSQL_URI=mysql://gt_test:PASSWORD@127.0.0.1:PORT/ (a user
#    that may create and drop databases: each test binary makes its own);
# 4. runs ctest --test-dir build --output-on-failure -j1 [CTEST_ARG...];
# 5. stops MariaDB and deletes the temporary directory, whatever happened.
# Exits with ctest's status. Works unattended (CI=true, no stdin, fresh clone).
#
# Environment: GT_SKIP_DEPS=1, GT_SKIP_BUILD=1, GT_JOBS (2).
set -euo pipefail
# shellcheck source=scripts/lib/mariadb.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/mariadb.sh"

started="$(gt_now)"
gt_install_deps
gt_build

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-test.XXXXXX")"
datadir="$tmp/mariadb"
socket="$(mdb_socket_path "$tmp")"
pidfile="$tmp/mariadbd.pid"
log="$(mdb_log_file "$datadir")"
ctest_pid=""

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$ctest_pid" ]] && gt_pid_alive "$ctest_pid"; then
    pkill -TERM -P "$ctest_pid" 2>/dev/null || true
    gt_stop_pid "$ctest_pid" ctest 10
  fi
  (mdb_stop "$socket" "$pidfile" 30) || status=1
  rm -rf "$tmp" "${TMPDIR:-/tmp}/gt-ports-given-$$"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mdb_init "$datadir"
# A throwaway server: durability is traded for speed (flush the redo log about
# once a second rather than at every commit), and a smaller buffer pool.
# Otherwise configured exactly as run.sh's (utf8mb4, 127.0.0.1 only).
port=""
for attempt in 1 2 3; do
  port="$(gt_free_port)"
  mdb_start "$datadir" "$socket" "$port" "$pidfile" \
    --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=64M
  if mdb_wait "$socket" "$pidfile" "$log" 60 2>/dev/null; then
    break
  fi
  # Another process may have taken the port between our pick and the bind.
  if (( attempt < 3 )) && grep -q 'Address already in use' "$log"; then
    gt_log "port $port was taken meanwhile; trying another"
    mdb_stop "$socket" "$pidfile" 10
    continue
  fi
  gt_tail_log "$log"
  gt_die "MariaDB for the tests did not start (log above)"
done

password="$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
mdb_create_user "$socket" gt_test "$password"
export GT_TEST_MYSQL_URI="mysql://gt_test:$password@127.0.0.1:$port/"
# The identity key every service process of the tests checks seals with (and
# the tests seal their direct calls with).
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$tmp/identity-key")
export GT_IDENTITY_KEY_FILE="$tmp/identity-key"
gt_log "MariaDB for tests on 127.0.0.1:$port (GT_TEST_MYSQL_URI exported)"

# In the background and waited for, so that a signal to this script is acted
# on at once (bash defers traps until a foreground command returns); the trap
# then stops ctest and the test it is running.
ctest_log="$tmp/ctest.log"
ctest --test-dir build --output-on-failure --no-tests=error -j1 --output-log "$ctest_log" "$@" </dev/null &
ctest_pid=$!
status=0
wait "$ctest_pid" || status=$?
ctest_pid=""

summary="$(grep -E '^[0-9]+% tests passed' "$ctest_log" | tail -n 1 || true)"
if grep -q 'No tests were found' "$ctest_log"; then
  summary="WARNING: ctest found no tests"
fi
elapsed=$(( $(gt_now) - started ))
if (( status == 0 )); then
  printf '\ntest.sh: PASS (%s) in %ss\n' "${summary:-ctest passed}" "$elapsed"
else
  printf '\ntest.sh: FAIL, ctest exit status %s (%s) in %ss\n' "$status" "${summary:-see the output above}" "$elapsed"
fi
exit "$status"
