#!/usr/bin/env bash
# Installs the Debian packages Golden Thread needs to build, test and run.
#
# Idempotent and quick when everything is present: each package is checked
# with dpkg-query, and apt-get (update + install) runs only for missing ones.
#
#   scripts/install-deps.sh           install what is missing
#   scripts/install-deps.sh --check   only report; exit 1 when something is missing
#
# Installing mariadb-server may make Debian start a system mariadbd on 3306.
# Nothing here uses it: run.sh and test.sh always start their own mariadbd on
# their own port and data directory. It is harmless and left alone.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

packages=(
  # build
  cmake ninja-build g++ pkg-config git
  # C++ libraries and code generators
  libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev grpc-proto
  libmysqlcppconn-dev prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  libabsl-dev libssl-dev
  # database, metrics
  mariadb-server mariadb-client prometheus
  # tools: scripts/gt-call (python3-grpcio), web UI and its browser tests
  python3 python3-grpcio python3-protobuf curl ca-certificates nodejs npm chromium
  # style gate (scripts/check-style.sh)
  clang-format clang-tidy
)

check_only=0
case "${1:-}" in
  "") ;;
  --check) check_only=1 ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) printf 'usage: %s [--check]\n' "$0" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 \
  || gt_die "dpkg-query not found: this script supports Debian 12 (bookworm) only. Needed packages: ${packages[*]}"

# is_installed PKG — installed itself, or provided by an installed package
# (e.g. NodeSource's nodejs provides and conflicts with Debian's npm).
provided=""
is_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] && return 0
  if [[ -z "$provided" ]]; then
    # One line per installed package: its Provides, names only, space-separated.
    provided=" $(dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null \
      | awk -F'\t' '$1 == "install ok installed" && $2 != "" { print $2 }' \
      | sed -e 's/([^)]*)//g' -e 's/,/ /g' | tr -s ' \n' '  ') "
  fi
  [[ "$provided" == *" $1 "* ]]
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if (( ${#missing[@]} == 0 )); then
  gt_log "all ${#packages[@]} Debian packages are installed"
  exit 0
fi
gt_log "missing Debian packages: ${missing[*]}"
(( check_only == 0 )) || exit 1

sudo=()
if (( EUID != 0 )); then
  command -v sudo >/dev/null 2>&1 \
    || gt_die "not root and no sudo; as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
  || gt_die "apt-get update failed"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null \
  || gt_die "apt-get install failed for: ${missing[*]}"

still=()
provided=""
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still+=("$pkg")
done
(( ${#still[@]} == 0 )) || gt_die "still not installed after apt-get: ${still[*]}"
gt_log "installed: ${missing[*]}"
