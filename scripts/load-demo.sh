#!/usr/bin/env bash
# Loads the five council documents of tests/fixtures/seeds as demo data into
# the suite run.sh started: organisation "th" (London Borough of Tower
# Hamlets) with the plans they describe. Safe to run again: existing plans are
# replaced, their milestones' history kept.
set -euo pipefail
# shellcheck source=scripts/lib/services.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/services.sh"

plan_addr="127.0.0.1:50051"
milestone_addr="127.0.0.1:50052"
load="$GT_ROOT/build/common/importers/gt-load"
seeds="$GT_ROOT/tests/fixtures/seeds"
[[ -x "$load" ]] || gt_die "build/common/importers/gt-load is missing; build first"
if [[ ! -x "$GT_ROOT/build/milestone-service/milestone-service" ]]; then
  gt_die "milestone-service is not built; the demo needs plan-service and milestone-service"
fi

# The organisation is made directly on plan-service: organisations are an
# operator's job, not any token's.
out="$("$GT_ROOT/scripts/gt-call" --addr "$plan_addr" PlanService/CreateOrganisation \
  '{"organisation_id": "th", "organisation": {"display_name": "London Borough of Tower Hamlets"}}' 2>&1)" \
  || grep -q ALREADY_EXISTS <<<"$out" || gt_die "creating organisation th failed: $out"

run_load() {
  local plan="$1" effective="$2"
  shift 2
  gt_log "demo: plan $plan (statuses as of $effective)"
  "$load" --plan_service="$plan_addr" --milestone_service="$milestone_addr" \
    --organisation=th --plan_id="$plan" --effective="$effective" --replace "$@" 2>/dev/null \
    || gt_die "loading $plan failed"
}
# Year-end 2007/08: completed and overdue appendices merged into one plan.
run_load 2007-08 2008-03-31 "$seeds/000_0fbffd0030868d04.txt" "$seeds/001_438444c0e1c0bfc6.txt"
run_load 2012-13 2012-04-01 "$seeds/002_35223a6a9f2d723a.txt"
run_load 2017-18 2017-09-30 "$seeds/003_ec2567edfe30a260.txt"
run_load 2019-22 2019-04-01 "$seeds/004_7f0182a806b988ca.txt"
