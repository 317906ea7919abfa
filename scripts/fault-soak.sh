#!/usr/bin/env bash
# The fault suite at soak strength (not part of the test command): the same
# tests/faults/fault_test.cc that CI runs, with MariaDB killed 100 times under
# 16-way load and milestone-service and the gateway each stopped with SIGTERM
# 20 times. Every check of the CI run holds after each run of faults: every
# acknowledged update in history exactly once, none written though refused,
# the update counter equal to history, no CANCELLED or other non-retryable
# answer. Takes about 10-15 minutes on the reference machine.
#
#   scripts/fault-soak.sh [GTEST_FILTER]      e.g. scripts/fault-soak.sh '*MariaDb*'
#
# Environment: GT_FAULT_DB_KILLS (100), GT_FAULT_SIGTERMS (20),
# GT_FAULT_CALLERS (16), GT_SUITE_BIN_DIR (service binaries to test instead
# of build/'s), GT_SKIP_DEPS=1, GT_SKIP_BUILD=1.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/common.sh"

gt_install_deps
gt_build
export GT_FAULT_DB_KILLS="${GT_FAULT_DB_KILLS:-100}"
export GT_FAULT_SIGTERMS="${GT_FAULT_SIGTERMS:-20}"
filter="${1:-*MariaDbKilled*:*GracefulSigterm*}"
gt_log "fault soak: $GT_FAULT_DB_KILLS MariaDB kills, $GT_FAULT_SIGTERMS SIGTERMs of each service (filter $filter)"
exec build/tests/fault_test --gtest_filter="$filter"
