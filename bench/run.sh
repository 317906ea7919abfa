#!/usr/bin/env bash
# Benchmarks, side by side in one run (see BENCHMARKS.md):
#   UpdateMilestoneProgress through the gateway, direct to milestone-service,
#   and the floor (the same transaction on MariaDB alone, bench/floor.cc);
#   GetPlanTree / ListMilestones and reports on a 2,000-milestone plan;
#   resident memory of each service idle and after the 32-caller load.
#
#   bench/run.sh            quick mode (a few minutes)
#   bench/run.sh --full     more callers, longer runs
#
# Builds a Release tree in build-release/ (GT_BENCH_BUILD_DIR to reuse
# another), runs its own durable MariaDB (InnoDB, flush at commit) in a
# temporary directory, and writes bench/results/latest.jsonl plus the table
# printed at the end.
set -euo pipefail
# shellcheck source=scripts/lib/mariadb.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../scripts/lib/mariadb.sh"

mode=quick
[[ "${1:-}" == "--full" ]] && mode=full
if [[ "$mode" == quick ]]; then
  callers=(1 8 32) seconds=5
else
  callers=(1 8 32 128) seconds=15
fi
build="${GT_BENCH_BUILD_DIR:-$GT_ROOT/build-release}"
gt_install_deps
if [[ -z "${GT_BENCH_BUILD_DIR:-}" ]]; then
  cmake -S "$GT_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j "${GT_JOBS:-2}" --target plan-service milestone-service report-service \
  gateway gt-loadgen gt-floor gt-health-check >/dev/null

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-bench.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  (mdb_stop "$tmp/sock" "$tmp/mariadbd.pid" 30) || true
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

mdb_init "$tmp/mariadb"
port="$(gt_free_port)"
# Durable: the defaults (innodb_flush_log_at_trx_commit=1), bigger buffer pool.
mdb_start "$tmp/mariadb" "$tmp/sock" "$port" "$tmp/mariadbd.pid" --innodb-buffer-pool-size=1G \
  --max-connections=1000
mdb_wait "$tmp/sock" "$tmp/mariadbd.pid" "$(mdb_log_file "$tmp/mariadb")" 60
password="$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
mdb_create_user "$tmp/sock" gt "$password"
mdb_create_databases "$tmp/sock" gt_plan gt_milestone gt_gateway
uri() { printf 'mysql://gt:%s@127.0.0.1:%s/%s' "$password" "$port" "$1"; }

start() {  # name binary grpc_port metrics_port database [flags...]
  local name="$1" bin="$2" grpc="$3" metrics="$4" db="$5"
  shift 5
  GT_MYSQL_URI="$( [[ -n "$db" ]] && uri "$db" )" "$build/$bin" --grpc_port="$grpc" \
    --metrics_port="$metrics" --bind_address=127.0.0.1 --mysql_pool_size=64 "$@" \
    >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_${name//-/_}=$!"
  local deadline=$((SECONDS + 60))
  until "$build/common/gt-health-check" "127.0.0.1:$grpc" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { tail -20 "$tmp/$name.log"; gt_die "$name did not start"; }
    sleep 0.2
  done
}
p_plan=$(gt_free_port) p_ms=$(gt_free_port) p_rep=$(gt_free_port) p_gw=$(gt_free_port)
start plan-service plan-service/plan-service "$p_plan" "$(gt_free_port)" gt_plan
start milestone-service milestone-service/milestone-service "$p_ms" "$(gt_free_port)" gt_milestone \
  --plan_service_addr="127.0.0.1:$p_plan"
start report-service report-service/report-service "$p_rep" "$(gt_free_port)" "" \
  --plan_service_addr="127.0.0.1:$p_plan" --milestone_service_addr="127.0.0.1:$p_ms"
start gateway gateway/gateway "$p_gw" "$(gt_free_port)" gt_gateway \
  --plan_service_addr="127.0.0.1:$p_plan" --milestone_service_addr="127.0.0.1:$p_ms" \
  --report_service_addr="127.0.0.1:$p_rep" --rate_limit_per_second=1000000 \
  --rate_limit_burst=1000000 --max_streams_per_token=1000

# A plan of 2,000 milestones: 4 priorities x 5 outcomes x 10 activities x 10.
call="$GT_ROOT/scripts/gt-call"
"$call" --addr "127.0.0.1:$p_plan" PlanService/CreateOrganisation \
  '{"organisation_id": "bench", "organisation": {"display_name": "Bench Council"}}' >/dev/null
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
tree = {"plan": {"title": "Bench plan", "period_start": "2017-04-01", "period_end": "2018-03-31"},
        "priorities": []}
for p in range(1, 5):
    pr = {"code": str(p), "title": f"Priority {p}", "outcomes": []}
    for o in range(1, 6):
        oc = {"code": f"{p}.{o}", "title": f"Outcome {p}.{o}", "activities": []}
        for a in range(1, 11):
            oc["activities"].append({"code": f"{p}.{o}.{a}", "title": f"Activity {p}.{o}.{a}",
                                     "lead_member": "Cabinet Member", "deadline": "2018-03-31"})
        pr["outcomes"].append(oc)
    tree["priorities"].append(pr)
json.dump({"parent": "organisations/bench", "plan_id": "p", "tree": tree},
          open(f"{tmp}/import.json", "w"))
PY
"$call" --addr "127.0.0.1:$p_plan" --timeout 120 PlanService/ImportPlan "@$tmp/import.json" >"$tmp/tree.json"
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
tree = json.load(open(f"{tmp}/tree.json"))
requests = []
directorates = ["PLACE", "HAC", "CLC", "RES", "CSF"]
for pr in tree["priorities"]:
    for oc in pr["outcomes"]:
        for ac in oc["activities"]:
            for m in range(10):
                n = len(requests)
                requests.append({"milestone": {
                    "activity": ac["name"], "ordinal": m, "title": f"Milestone {n}",
                    "lead_officer": f"Officer {n % 40}", "directorate": directorates[n % 5],
                    "baseline_deadline": "2017-%02d-28" % (1 + n % 12)}})
json.dump({"parent": tree["plan"]["name"], "requests": requests},
          open(f"{tmp}/milestones.json", "w"))
PY
"$call" --addr "127.0.0.1:$p_ms" --timeout 120 MilestoneService/BatchCreateMilestones \
  "@$tmp/milestones.json" >/dev/null
token="$(GT_MYSQL_URI="$(uri gt_gateway)" "$build/gateway/gateway" --create_token \
  --organisation=bench --role=ADMIN --subject=bench 2>>"$tmp/gateway.log")"
plan="organisations/bench/plans/p"

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
declare -A idle
for s in plan_service milestone_service report_service gateway; do
  pid_var="pid_$s"
  idle[$s]="$(rss "${!pid_var}")"
done

mkdir -p "$GT_ROOT/bench/results"
out="$GT_ROOT/bench/results/latest.jsonl"
: >"$out"
record() {  # label json
  printf '{"label": "%s", "result": %s}\n' "$1" "$2" | tee -a "$out"
}
load() {  # label addr token call concurrency [secs]
  local r
  r="$("$build/bench/gt-loadgen" --target="$2" --token="$3" --call="$4" --plan="$plan" \
    --concurrency="$5" --seconds="${6:-$seconds}" --warmup_seconds=1)" || true
  record "$1" "$r"
}
for c in "${callers[@]}"; do
  record "floor c=$c" "$("$build/bench/gt-floor" --mysql_uri="$(uri gt_milestone)" --plan="$plan" \
    --concurrency="$c" --seconds="$seconds" --warmup_seconds=1)"
  load "direct c=$c" "127.0.0.1:$p_ms" "" update_progress "$c"
  load "gateway c=$c" "127.0.0.1:$p_gw" "$token" update_progress "$c"
done
declare -A loaded
for s in plan_service milestone_service report_service gateway; do
  pid_var="pid_$s"
  loaded[$s]="$(hwm "${!pid_var}")"
done
load "GetPlanTree c=8" "127.0.0.1:$p_gw" "$token" get_plan_tree 8
load "ListMilestones c=8" "127.0.0.1:$p_gw" "$token" list_milestones 8
load "end-of-year report c=2" "127.0.0.1:$p_gw" "$token" end_of_year 2
load "progress report c=2" "127.0.0.1:$p_gw" "$token" progress_report 2
for s in plan_service milestone_service report_service gateway; do
  record "rss $s" "{\"idle_kib\": ${idle[$s]}, \"peak_kib\": ${loaded[$s]}}"
done

/usr/bin/python3 - "$out" "$mode" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["label"]: r["result"] for r in rows}
print(f"\n## Results ({sys.argv[2]} mode)\n")
print("| what | ok/s | p50 ms | p99 ms | errors |")
print("|---|---:|---:|---:|---:|")
for label, r in by.items():
    if label.startswith("rss"):
        continue
    print(f"| {label} | {r.get('throughput', 0):.0f} | {r.get('p50_ms', 0):.2f} | "
          f"{r.get('p99_ms', 0):.2f} | {r.get('errors', '?')} |")
print("\n| ratio | value |\n|---|---:|")
for c in (1, 8, 32, 128):
    f, d, g = by.get(f"floor c={c}"), by.get(f"direct c={c}"), by.get(f"gateway c={c}")
    if f and d and g and f["throughput"] and d["throughput"]:
        print(f"| direct/floor c={c} | {d['throughput'] / f['throughput']:.2f} |")
        print(f"| gateway/direct c={c} | {g['throughput'] / d['throughput']:.2f} |")
print("\n| service | RSS idle MiB | peak RSS under load MiB |\n|---|---:|---:|")
for label, r in by.items():
    if label.startswith("rss "):
        print(f"| {label[4:]} | {r['idle_kib'] / 1024:.1f} | {r['peak_kib'] / 1024:.1f} |")
PY
