# shellcheck shell=bash
# Helpers shared by the scripts in scripts/. Sourced, never executed.
#
# After sourcing, GT_ROOT is the repository root (found from this file's own
# path, so the scripts work from any directory) and the shell is in it.

GT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export GT_ROOT
cd "$GT_ROOT" || exit 1

# The one Python that has Debian's grpcio and protobuf; a pyenv or venv
# python3 earlier on PATH does not.
GT_PYTHON="${GT_PYTHON:-/usr/bin/python3}"

# Never more than two compile jobs by default: the reference machine has two
# cores and a gRPC translation unit takes ~1 GB.
GT_JOBS="${GT_JOBS:-2}"

gt_prog="$(basename "$0")"

gt_log() { printf '%s: %s\n' "$gt_prog" "$*" >&2; }
gt_die() { printf '%s: ERROR: %s\n' "$gt_prog" "$*" >&2; exit 1; }

# gt_tail_log FILE [LINES] — show the end of a log so a failure explains itself.
gt_tail_log() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(%s is empty or missing)\n' "$file" >&2
  fi
}

# gt_now — seconds since the epoch, as an integer (bash 5 builtin, no fork).
gt_now() { printf '%s' "${EPOCHSECONDS:-$(date +%s)}"; }

# gt_short_pause — the interval between two polls of a condition. Polling is
# the point: every wait in these scripts is "until the condition holds or the
# deadline passes", never a fixed sleep that hopes something is ready.
gt_short_pause() { sleep 0.1; }

# gt_pid_alive PID — true when PID is a running (not zombie) process.
gt_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # A zombie still answers kill -0; look at its state.
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# gt_pid_runs PID EXE — true when PID is alive and runs EXE (an absolute
# path), so a stale pid file whose pid now belongs to something else is never
# signalled. EXE may be the process's executable (a binary replaced by a
# rebuild shows as "EXE (deleted)") or, for a script, its first argument
# after the interpreter.
gt_pid_runs() {
  local pid="$1" exe="$2" actual want arg0="" arg1=""
  gt_pid_alive "$pid" || return 1
  want="$(readlink -f "$exe" 2>/dev/null || printf '%s' "$exe")"
  actual="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  actual="${actual% (deleted)}"
  [[ -n "$actual" && ( "$actual" == "$want" || "$actual" == "$exe" ) ]] && return 0
  { IFS= read -r -d '' arg0 && IFS= read -r -d '' arg1; } <"/proc/$pid/cmdline" 2>/dev/null || true
  [[ "$arg0" == "$exe" || "$arg1" == "$exe" || "$arg1" == "$want" ]]
}

# gt_read_pid FILE — print the pid stored in FILE (empty when none).
gt_read_pid() {
  local file="$1" pid=""
  if [[ -r "$file" ]]; then
    read -r pid <"$file" || true
  fi
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s' "$pid"
  return 0
}

# gt_wait_pid_exit PID SECONDS — wait until PID is gone; false on timeout.
gt_wait_pid_exit() {
  local pid="$1" deadline=$(( $(gt_now) + $2 ))
  while gt_pid_alive "$pid"; do
    (( $(gt_now) < deadline )) || return 1
    gt_short_pause
  done
}

# gt_stop_pid PID NAME GRACE — SIGTERM, wait up to GRACE seconds, then SIGKILL.
gt_stop_pid() {
  local pid="$1" name="$2" grace="$3"
  gt_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! gt_wait_pid_exit "$pid" "$grace"; then
    gt_log "$name (pid $pid) did not stop within ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    gt_wait_pid_exit "$pid" 10 || gt_die "$name (pid $pid) survived SIGKILL"
  fi
}

# gt_spawn PIDFILE LOGFILE CMD... — start CMD in the background in its own
# session (so Ctrl-C in the terminal that ran the script, or the terminal
# closing, does not reach it), stdin from /dev/null, stdout and stderr appended
# to LOGFILE. The process writes its own pid to PIDFILE before exec, so the
# pid is exact however setsid forks. Waits until PIDFILE exists.
gt_spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ are for the inner shell.
  setsid bash -c 'echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec "$@"' \
    "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  local deadline=$(( $(gt_now) + 10 ))
  until [[ -s "$pidfile" ]]; do
    (( $(gt_now) < deadline )) || gt_die "could not start $1 (no pid file $pidfile)"
    gt_short_pause
  done
}

# gt_lock FILE SECONDS — hold an exclusive lock on FILE (fd 9) until this
# script exits, so that run.sh and stop.sh never run at the same time; waits
# up to SECONDS for it. gt_spawn keeps fd 9 from the processes it starts.
gt_lock() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  flock -w "$2" 9 || gt_die "another scripts/run.sh or scripts/stop.sh is running (lock $1)"
}

# gt_port_in_use PORT — true when something accepts TCP connections on
# 127.0.0.1:PORT.
gt_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# gt_free_port — print a TCP port on 127.0.0.1 that was free a moment ago.
# Taken below the kernel's range for outgoing connections' local ports (a
# port from bind(0) lies in it, and a connection to MariaDB may take it
# before the service listens), never the same one twice for one script (the
# ports given are listed in a file named after the script's shell).
gt_free_port() {
  local given="${TMPDIR:-/tmp}/gt-ports-given-$$"
  "$GT_PYTHON" - "$given" <<'PY'
import random, socket, sys
given_file = sys.argv[1]
try:
    low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
except (OSError, ValueError):
    low, high = 32768, 60999
first, last = (10000, low - 1) if low - 10000 > 1000 else (high + 1, 65535)
try:
    given = set(int(p) for p in open(given_file).read().split())
except OSError:
    given = set()
for _ in range(5000):
    port = random.randint(first, last)
    if port in given:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    with open(given_file, "a") as f:
        f.write(f"{port}\n")
    print(port)
    sys.exit(0)
sys.exit("no free TCP port on 127.0.0.1")
PY
}

# gt_build — configure build/ when it is new, then build with GT_JOBS jobs.
# GT_SKIP_BUILD=1 skips it (for a build you have just made yourself).
gt_build() {
  if [[ "${GT_SKIP_BUILD:-0}" == 1 ]]; then
    gt_log "GT_SKIP_BUILD=1: not building"
    return 0
  fi
  if [[ ! -f build/build.ninja ]]; then
    gt_log "configuring build/ (cmake, Ninja, RelWithDebInfo)"
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      || gt_die "cmake configure failed (see the output above)"
  fi
  gt_log "building (cmake --build build -j$GT_JOBS)"
  cmake --build build -j"$GT_JOBS" || gt_die "build failed (see the output above)"
}

# gt_install_deps — run scripts/install-deps.sh unless GT_SKIP_DEPS=1.
gt_install_deps() {
  if [[ "${GT_SKIP_DEPS:-0}" == 1 ]]; then
    gt_log "GT_SKIP_DEPS=1: not checking Debian packages"
    return 0
  fi
  bash "$GT_ROOT/scripts/install-deps.sh" || gt_die "installing dependencies failed"
}
