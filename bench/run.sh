#!/usr/bin/env bash
# Benchmarks, side by side in one run (see BENCHMARKS.md):
#   UpdateMilestoneProgress through the gateway, direct to milestone-service,
#   and the floor (the same transaction on MariaDB alone, bench/floor.cc);
#   GetPlanTree / ListMilestones and reports on a 2,000-milestone plan;
#   resident memory of each service idle and after the 32-caller load.
#
#   bench/run.sh            quick mode (a few minutes)
#   bench/run.sh --large    quick mode, then again in a database of 1 M
#                           milestones and 5 M history rows (1,000 plans)
#   bench/run.sh --full     more callers, longer runs, and the large database
#   bench/run.sh --proxy    only the proxies: direct, gateway and nginx at 32
#                           callers, three rounds of 8 s, each with the CPU
#                           time the proxy (and milestone-service) spent a call
#
# Builds a Release tree in build-release/ (GT_BENCH_BUILD_DIR to reuse
# another), runs its own durable MariaDB (InnoDB, flush at commit) in a
# temporary directory, and writes bench/results/latest.jsonl plus the table
# printed at the end.
set -euo pipefail
# shellcheck source=scripts/lib/mariadb.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../scripts/lib/mariadb.sh"

mode=quick
large=0
for arg in "$@"; do
  case "$arg" in
    --full) mode=full large=1 ;;
    --large) large=1 ;;
    --proxy) mode=proxy ;;
    *) gt_die "usage: bench/run.sh [--full] [--large] [--proxy]" ;;
  esac
done
case "$mode" in
  quick) callers=(1 8 32) seconds=4 ;;
  full) callers=(1 8 32 128) seconds=15 ;;
  proxy) callers=(32) seconds=8 ;;
esac
build="${GT_BENCH_BUILD_DIR:-$GT_ROOT/build-release}"
gt_install_deps
if [[ -z "${GT_BENCH_BUILD_DIR:-}" ]]; then
  cmake -S "$GT_ROOT" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j "${GT_JOBS:-2}" --target plan-service milestone-service report-service \
  gateway gt-loadgen gt-floor gt-health-check gateway_forward_bench >/dev/null

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-bench.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  (mdb_stop "$tmp/sock" "$tmp/mariadbd.pid" 30) || true
  rm -rf "$tmp" "${TMPDIR:-/tmp}/gt-ports-given-$$"
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
# Development mode for identities: the load generator's direct calls carry
# plain x-gt-* headers, which sealing-enforcing backends refuse. The seal
# costs one HMAC-SHA256 a call at the gateway and one at the backend (a few
# microseconds), not measured here yet.
export GT_INSECURE_IDENTITY=1

m_ms=$(gt_free_port)
start() {  # name binary grpc_port metrics_port database [flags...]
  local name="$1" bin="$2" grpc="$3" metrics="$4" db="$5"
  shift 5
  GT_MYSQL_URI="$( [[ -n "$db" ]] && uri "$db" )" "$build/$bin" --grpc_port="$grpc" \
    --metrics_port="$metrics" --bind_address=127.0.0.1 "$@" \
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
start milestone-service milestone-service/milestone-service "$p_ms" "$m_ms" gt_milestone \
  --plan_service_addr="127.0.0.1:$p_plan"
start report-service report-service/report-service "$p_rep" "$(gt_free_port)" "" \
  --plan_service_addr="127.0.0.1:$p_plan" --milestone_service_addr="127.0.0.1:$p_ms"
# The gateway without its access log, as nginx runs below (access_log off);
# a second one with it (the default) measures what the log costs.
gateway_flags=(--plan_service_addr="127.0.0.1:$p_plan" --milestone_service_addr="127.0.0.1:$p_ms"
  --report_service_addr="127.0.0.1:$p_rep" --rate_limit_per_second=1000000
  --rate_limit_burst=1000000 --max_streams_per_token=1000)
start gateway gateway/gateway "$p_gw" "$(gt_free_port)" gt_gateway "${gateway_flags[@]}" \
  --log_calls=false
p_gw_logged=$(gt_free_port)
start gateway-logged gateway/gateway "$p_gw_logged" "$(gt_free_port)" gt_gateway \
  "${gateway_flags[@]}" --log_calls=true

# Plans of 300, 2,000 and 10,000 milestones (ten per activity, activities
# spread over 4 priorities x 5 outcomes): about 12,300 milestones in all, the
# "small database". Updates and reads use the 2,000-milestone plan.
call="$GT_ROOT/scripts/gt-call"
"$call" --addr "127.0.0.1:$p_plan" PlanService/CreateOrganisation \
  '{"organisation_id": "bench", "organisation": {"display_name": "Bench Council"}}' >/dev/null
make_plan() {  # plan_id milestones
  /usr/bin/python3 - "$tmp" "$1" "$2" <<'PY'
import json, sys
tmp, plan_id, milestones = sys.argv[1], sys.argv[2], int(sys.argv[3])
tree = {"plan": {"title": f"Bench plan {plan_id}", "period_start": "2017-04-01",
                 "period_end": "2018-03-31"}, "priorities": []}
outcomes = []
for p in range(1, 5):
    pr = {"code": str(p), "title": f"Priority {p}", "outcomes": []}
    for o in range(1, 6):
        oc = {"code": f"{p}.{o}", "title": f"Outcome {p}.{o}", "activities": []}
        pr["outcomes"].append(oc)
        outcomes.append(oc)
    tree["priorities"].append(pr)
for a in range(milestones // 10):
    oc = outcomes[a % len(outcomes)]
    code = f"{oc['code']}.{len(oc['activities']) + 1}"
    oc["activities"].append({"code": code, "title": f"Activity {code}",
                             "lead_member": "Cabinet Member", "deadline": "2018-03-31"})
json.dump({"parent": "organisations/bench", "plan_id": plan_id, "tree": tree},
          open(f"{tmp}/import-{plan_id}.json", "w"))
PY
  "$call" --addr "127.0.0.1:$p_plan" --timeout 300 PlanService/ImportPlan \
    "@$tmp/import-$1.json" >"$tmp/tree-$1.json"
  /usr/bin/python3 - "$tmp" "$1" <<'PY'
import json, sys
tmp, plan_id = sys.argv[1], sys.argv[2]
tree = json.load(open(f"{tmp}/tree-{plan_id}.json"))
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
for i in range(0, len(requests), 2500):
    json.dump({"parent": tree["plan"]["name"], "requests": requests[i:i + 2500]},
              open(f"{tmp}/milestones-{plan_id}-{i // 2500}.json", "w"))
PY
  local f
  for f in "$tmp/milestones-$1-"*.json; do
    "$call" --addr "127.0.0.1:$p_ms" --timeout 300 MilestoneService/BatchCreateMilestones "@$f" \
      >/dev/null
  done
}
plan_sizes=(300 2000 10000)
[[ "$mode" != proxy ]] || plan_sizes=()
for n in "${plan_sizes[@]}"; do
  make_plan "m$n" "$n"
done
# The update load gets a 2,000-milestone plan of its own, so the reports'
# plans keep a council's amount of history.
make_plan u2000 2000
token="$(GT_MYSQL_URI="$(uri gt_gateway)" "$build/gateway/gateway" --create_token \
  --organisation=bench --role=ADMIN --subject=bench 2>>"$tmp/gateway.log")"
plan="organisations/bench/plans/u2000"
plan_of() { printf "organisations/bench/plans/m%s" "$1"; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
declare -A idle
sleep 11  # idle: past the services' periodic malloc_trim after the loading
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
load() {  # label addr token call concurrency [plan]
  local r
  r="$("$build/bench/gt-loadgen" --target="$2" --token="$3" --call="$4" --plan="${6:-$plan}" \
    --concurrency="$5" --seconds="$seconds" --warmup_seconds=1)" || true
  record "$1" "$r"
}
# The tables of bench/results/latest.jsonl, printed at the end.
summarise() {
/usr/bin/python3 - "$out" "$mode" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["label"]: r["result"] for r in rows}
print(f"\n## Results ({sys.argv[2]} mode)\n")
print("| what | ok/s | p50 ms | p99 ms | errors | CPU µs a call: proxy | milestone-service "
      "| MariaDB | load generator |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, r in by.items():
    if label.startswith("rss") or "throughput" not in r:
        continue
    print(f"| {label} | {r.get('throughput', 0):,.0f} | {r.get('p50_ms', 0):.2f} | "
          f"{r.get('p99_ms', 0):.2f} | {r.get('errors', '?')} | {r.get('proxy_cpu_us', '')} | "
          f"{r.get('milestone_cpu_us', '')} | {r.get('mariadb_cpu_us', '')} | "
          f"{r.get('loadgen_cpu_us', '')} |")
for label, r in by.items():
    if "scrape_ms" in r:
        print(f"\n{label}: {r['scrape_ms']} ms for the whole /metrics, "
              f"{float(r['query_s']) * 1000:.1f} ms of it the database query")
    if label == "seeding":
        print(f"\nseeding the large database: {r['seconds']} s")
if any("report" in label for label in by):
    print("\n| report (2 callers) | small db p50 ms | large db p50 ms | large/small |")
    print("|---|---:|---:|---:|")
for n in (300, 2000, 10000):
    for kind in ("end-of-year report", "progress report"):
        small = by.get(f"{kind}, {n} milestones")
        big = by.get(f"{kind}, {n} milestones, large database")
        if small and small.get("p50_ms"):
            b = f"{big['p50_ms']:.1f} | {big['p50_ms'] / small['p50_ms']:.2f}" \
                if big and big.get("p50_ms") else "| "
            print(f"| {kind}, {n} milestones | {small['p50_ms']:.1f} | {b} |")
if any(label.startswith("floor") or label.startswith("nginx c=") for label in by):
    print("\n| ratio | value |\n|---|---:|")
for c in (1, 8, 32, 128):
    for suffix in ("", " #1", " #2", " #3"):  # --proxy runs rounds
        f, d, g = (by.get(f"{what} c={c}{suffix}") for what in ("floor", "direct", "gateway"))
        if f and d and g and f["throughput"] and d["throughput"]:
            print(f"| direct/floor c={c} | {d['throughput'] / f['throughput']:.2f} |")
        if d and g and d["throughput"]:
            print(f"| gateway/direct c={c}{suffix} | {g['throughput'] / d['throughput']:.2f} |")
        n = by.get(f"nginx c={c}{suffix}")
        if g and n and n.get("throughput"):
            print(f"| gateway/nginx c={c}{suffix} | {g['throughput'] / n['throughput']:.2f} |")
            if g.get("proxy_cpu_us") and n.get("proxy_cpu_us"):
                print(f"| gateway/nginx CPU a call c={c}{suffix} | "
                      f"{g['proxy_cpu_us'] / n['proxy_cpu_us']:.2f} |")
if any(label.startswith("rss ") for label in by):
    print("\n| service | RSS idle MiB | peak RSS under load MiB |\n|---|---:|---:|")
for label, r in by.items():
    if label.startswith("rss "):
        print(f"| {label[4:]} | {r['idle_kib'] / 1024:.1f} | {r['peak_kib'] / 1024:.1f} |")
PY
}

# The proxy anchor: the same milestone-service behind nginx's grpc_pass (no
# authentication, no authorisation: a plain HTTP/2 proxy), for the gateway to
# be compared with.
if ! command -v nginx >/dev/null; then
  gt_log "installing nginx-light for the proxy anchor"
  sudo=""; (( EUID == 0 )) || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi
p_nginx=$(gt_free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  upstream milestones { server 127.0.0.1:$p_ms; keepalive 64; }
  server {
    listen 127.0.0.1:$p_nginx http2;
    location / { grpc_pass grpc://milestones; }
  }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
pids_nginx=$!
sleep 0.5  # its workers

# CPU time (user + system, every thread) of processes, in clock ticks; and a
# process's children (nginx's workers).
cpu_ticks() {
  local t=0 pid
  for pid in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$t"
}
children() { awk -v p="$1" '$4 == p {print $1}' /proc/[0-9]*/stat 2>/dev/null || true; }
nginx_workers="$(children "$pids_nginx")"
# An update load as load() does it, plus the CPU time a call cost the proxy
# (the processes given; none for direct calls) and milestone-service: the
# proxies' cost side by side, steadier than their throughput on a shared
# machine.
update_load() {  # label addr token concurrency [proxy pid...]
  local label="$1" addr="$2" tok="$3" c="$4" r b0 p0
  shift 4
  local pid_db
  pid_db=$(cat "$tmp/mariadbd.pid")
  b0=$(cpu_ticks "$pid_milestone_service") p0=$(cpu_ticks "$@") d0=$(cpu_ticks "$pid_db")
  r="$("$build/bench/gt-loadgen" --target="$addr" --token="$tok" --call=update_progress \
    --plan="$plan" --concurrency="$c" --seconds="$seconds" --warmup_seconds=1)" || true
  record "$label" "$(/usr/bin/python3 - "$r" "$(($(cpu_ticks "$@") - p0))" \
    "$(($(cpu_ticks "$pid_milestone_service") - b0))" "$(($(cpu_ticks "$pid_db") - d0))" \
    "$(getconf CLK_TCK)" "$seconds" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
proxy, backend, db, hz, seconds = (float(a) for a in sys.argv[2:])
calls = r.get("throughput", 0) * (seconds + 1)  # the warm-up second too
if calls:
    if proxy:
        r["proxy_cpu_us"] = round(proxy / hz * 1e6 / calls, 1)
    r["milestone_cpu_us"] = round(backend / hz * 1e6 / calls, 1)
    r["mariadb_cpu_us"] = round(db / hz * 1e6 / calls, 1)
    r["loadgen_cpu_us"] = round(r.get("cpu_s", 0) * 1e6 / calls, 1)
print(json.dumps(r))
PY
)"
}

if [[ "$mode" == proxy ]]; then
  # What gRPC itself costs a forwarded call: bare forwarders (no token, no
  # authorisation, no metrics) from gateway/bench/forward_bench.cc: the async
  # API on one completion-queue thread; the same with gRPC's default health
  # service beside it (a callback service: its two polling threads take turns
  # with the forwarder's); and the callback API.
  bare() {  # name flags...
    local p
    p=$(gt_free_port)
    "$build/gateway/gateway_forward_bench" --serve="127.0.0.1:$p" --upstream="127.0.0.1:$p_ms" \
      "${@:2}" &
    pids+=($!)
    eval "pid_bare_$1=$! p_bare_$1=$p"
  }
  bare async --variant=async --cq_threads=1
  bare async_health --variant=async --cq_threads=1 --health
  bare callback --variant=callback
  sleep 0.5
  for round in 1 2 3; do
    update_load "direct c=32 #$round" "127.0.0.1:$p_ms" "" 32
    update_load "gateway c=32 #$round" "127.0.0.1:$p_gw" "$token" 32 "$pid_gateway"
    # shellcheck disable=SC2086
    update_load "nginx c=32 #$round" "127.0.0.1:$p_nginx" "" 32 $nginx_workers
    update_load "bare async proxy c=32 #$round" "127.0.0.1:$p_bare_async" "" 32 "$pid_bare_async"
    update_load "bare async proxy + callback health c=32 #$round" "127.0.0.1:$p_bare_async_health" \
      "" 32 "$pid_bare_async_health"
    update_load "bare callback proxy c=32 #$round" "127.0.0.1:$p_bare_callback" "" 32 \
      "$pid_bare_callback"
  done
  summarise
  exit 0
fi

# Reads and reports first, on plans whose history is what a council's would
# be (the creation rows; five rows a milestone in the large database): the
# update load below writes hundreds of thousands of rows into one plan.
load "GetPlanTree c=8" "127.0.0.1:$p_gw" "$token" get_plan_tree 8 "$(plan_of 2000)"
load "ListMilestones c=8" "127.0.0.1:$p_gw" "$token" list_milestones 8 "$(plan_of 2000)"
reports() {  # label suffix
  local n
  for n in "${plan_sizes[@]}"; do
    load "end-of-year report, $n milestones$1" "127.0.0.1:$p_gw" "$token" end_of_year 2 \
      "$(plan_of "$n")"
    load "progress report, $n milestones$1" "127.0.0.1:$p_gw" "$token" progress_report 2 \
      "$(plan_of "$n")"
  done
}
reports ""

for c in "${callers[@]}"; do
  record "floor c=$c" "$("$build/bench/gt-floor" --mysql_uri="$(uri gt_milestone)" --plan="$plan" \
    --concurrency="$c" --seconds="$seconds" --warmup_seconds=1)"
  update_load "direct c=$c" "127.0.0.1:$p_ms" "" "$c"
  update_load "gateway c=$c" "127.0.0.1:$p_gw" "$token" "$c" "$pid_gateway"
  # shellcheck disable=SC2086
  update_load "nginx c=$c" "127.0.0.1:$p_nginx" "" "$c" $nginx_workers
done
update_load "gateway c=32, access log on" "127.0.0.1:$p_gw_logged" "$token" 32 "$pid_gateway_logged"
declare -A loaded
for s in plan_service milestone_service report_service gateway; do
  pid_var="pid_$s"
  loaded[$s]="$(hwm "${!pid_var}")"
done
load "end-of-year report, the 2000-milestone plan after the update load" "127.0.0.1:$p_gw" \
  "$token" end_of_year 2
for s in plan_service milestone_service report_service gateway; do
  record "rss $s" "{\"idle_kib\": ${idle[$s]}, \"peak_kib\": ${loaded[$s]}}"
done

scrape() {  # label: time of one /metrics scrape of milestone-service (the overdue gauge)
  local start end
  start=$(date +%s%N)
  curl -sf "http://127.0.0.1:$m_ms/metrics" >"$tmp/scrape.txt"
  end=$(date +%s%N)
  local db_s
  db_s=$(awk '/^goldenthread_milestone_scrape_seconds / {print $2}' "$tmp/scrape.txt")
  record "$1" "{\"scrape_ms\": $(( (end - start) / 1000000 )), \"query_s\": ${db_s:-0}}"
}
scrape "overdue scrape, small database"

if (( large )); then
  # 1,000 other plans of 1,000 milestones each, and five history rows per
  # milestone, written straight into milestone-service's tables (seeding a
  # database this size through the API would take the whole run). Portable
  # SQL: a digits table cross-joined, no MariaDB-only sequence engine.
  gt_log "seeding 1,000,000 milestones and 5,000,000 history rows"
  seed="$tmp/seed.sql"
  cat >"$seed" <<'SQL'
CREATE TABLE IF NOT EXISTS bench_digits (d INT PRIMARY KEY);
INSERT IGNORE INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
INSERT INTO milestones (org_id, plan_id, activity_id, outcome_id, priority_id, priority_position,
  outcome_position, activity_position, ordinal, title, lead_officer, directorate,
  baseline_deadline, current_deadline, status, percent_complete, latest_comment, completed_date,
  revision_count, progress_effective_at, deadline_effective_at, version, create_time, update_time)
SELECT CONCAT('big', n DIV 100000), CONCAT('plan-', n DIV 1000), n DIV 10, n DIV 100, n DIV 1000,
  0, (n DIV 100) % 10, (n DIV 10) % 10, n % 10, CONCAT('Milestone ', n), CONCAT('Officer ', n % 50),
  ELT(1 + n % 5, 'PLACE', 'HAC', 'CLC', 'RES', 'CSF'),
  DATE_ADD('2017-01-01', INTERVAL n % 700 DAY), DATE_ADD('2017-01-01', INTERVAL n % 700 DAY),
  1 + n % 4, n % 100, 'seeded', NULL, 0, '2017-06-30', '1000-01-01', 1, UTC_TIMESTAMP(6),
  UTC_TIMESTAMP(6)
FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d AS n
      FROM bench_digits a, bench_digits b, bench_digits c, bench_digits e, bench_digits f,
           bench_digits g) numbers;
INSERT INTO milestone_updates (org_id, plan_id, milestone_id, kind, status, percent_complete,
  comment, previous_deadline, new_deadline, reason, effective_at, recorded_at, request_id,
  recorded_by)
SELECT m.org_id, m.plan_id, m.milestone_id, 1, 1 + k.d % 4, 20 * k.d, 'seeded history', NULL,
  NULL, '', DATE_ADD('2017-04-01', INTERVAL 30 * k.d DAY), UTC_TIMESTAMP(6), '', 'seed'
FROM milestones m JOIN bench_digits k ON k.d < 5 WHERE m.org_id LIKE 'big%';
SQL
  start_ns=$(date +%s%N)
  mariadb --no-defaults --socket="$tmp/sock" gt_milestone <"$seed"
  record "seeding" "{\"seconds\": $(( ($(date +%s%N) - start_ns) / 1000000000 ))}"
  scrape "overdue scrape, 1M milestones, first (every plan counted)"
  scrape "overdue scrape, 1M milestones, nothing changed"
  reports ", large database"
  load "gateway c=32, large database" "127.0.0.1:$p_gw" "$token" update_progress 32
  scrape "overdue scrape, 1M milestones, after updates to one plan"
fi

summarise
