#!/usr/bin/env bash
# Stops what scripts/run.sh started: the services (gateway first; SIGTERM,
# up to GT_STOP_GRACE seconds, default 10, to drain, then SIGKILL) and then
# MariaDB (a clean shutdown). Data in .local/ is kept.
#
#   scripts/stop.sh              services and MariaDB
#   scripts/stop.sh --services   services only; MariaDB keeps running
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/services.sh"

services_only=0
case "${1:-}" in
  "") ;;
  --services) services_only=1 ;;
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) printf 'usage: %s [--services]\n' "$0" >&2; exit 2 ;;
esac

grace="${GT_STOP_GRACE:-10}"
[[ "$grace" =~ ^[0-9]+$ ]] || gt_die "GT_STOP_GRACE must be a whole number of seconds, got '$grace'"

gt_lock "$GT_RUN_DIR/lock" 300
gt_stop_services "$grace"
if (( services_only == 0 )); then
  gt_stop_mysql
fi
gt_log "stopped"
