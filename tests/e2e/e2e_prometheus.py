"""End-to-end check of the monitoring: the real services, a real Prometheus,
and every PromQL expression of the Grafana dashboards and alert rules.

  /usr/bin/python3 tests/e2e/e2e_prometheus.py --source-dir=REPO \
      --plan-service=BIN --milestone-service=BIN [--report-service=BIN] \
      --gateway=BIN --gt-load=BIN --health-check=BIN [--prometheus=BIN]

Registered with CTest as e2e_prometheus (tests/CMakeLists.txt). Needs
GT_TEST_MYSQL_URI (a MariaDB/MySQL user that may CREATE DATABASE), Debian's
prometheus package (2.42), python3-grpcio and node (k8s/test/promql_exprs.sh).

1. makes three fresh databases (plan, milestone, gateway; dropped at the end);
2. starts the services that were built on free ports (gateway last), waits
   for SERVING (gt-health-check);
3. starts Prometheus with a generated config (scrape and rule evaluation every
   1 s, job = service name, the free metrics ports as targets,
   k8s/components/monitoring/rules/goldenthread.rules.yml as rule_files,
   TSDB in a temporary directory), waits until every job has up == 1 -- before
   any traffic, so that every counter is seen at its start value;
4. creates organisation th, loads the 2007/08 and 2017/18 demo plans with
   gt-load (many overdue milestones), posts progress updates through the
   gateway with an ADMIN token, makes failing calls (bad argument, unknown
   milestone and plan, no token, malformed token) and a report call; then
   waits until every job has been scraped after the traffic, so that rate()
   has two samples around it;
5. evaluates every expression of `k8s/test/promql_exprs.sh` with
   /api/v1/query and prints SOURCE, status and result count. Each must answer
   "success"; each must have a result unless MAY_BE_EMPTY says why it need
   not; the per-service ones must name every running service (EVERY_JOB);
   EXPECT says what the traffic must show (e.g. overdue milestones > 0 for both
   plans, updates > 0, errors > 0 on gateway and backends); a label in the
   outermost `by (...)` that no series carries, or a grpc_code / grpc_type /
   job value filtered on that no series has, fails (a label the services do
   not export); and that check is itself shown able to fail;
6. checks /api/v1/rules: every group of the rules file loaded, every rule
   evaluated with health "ok" and no lastError.
Everything started is stopped with SIGTERM (and killed by the kernel if this
process dies: PR_SET_PDEATHSIG), the databases dropped, whatever happens; the
logs and every query's answer (results.jsonl) are kept in the temporary
directory when the test fails. Exit status 0 only when every check passed.
Normally about 10-15 s.

Grafana variables are replaced by promql_exprs.sh itself, called with
--rate-interval=30s --range=5m: $__rate_interval and $__interval become 30s
(with 1 s scrapes, many samples and the whole of this test's traffic fall
inside it), $__range 5m, and every dashboard variable ($namespace,
$organisation, $plan, $job, $datasource, ...) ".*", Grafana's "All";
label_values(M, L) variable queries become count by (L) (M).
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

RATE_INTERVAL = "30s"
RANGE = "5m"
TOTAL_DEADLINE = 120  # seconds for every wait together; a run normally takes 10-15 s
DUMP_DIR = tempfile.gettempdir()
JOBS_ORDER = ["plan-service", "milestone-service", "report-service", "gateway"]

# Expressions that may legitimately be empty after this test's traffic, by a
# substring of their SOURCE, with the reason. Every other expression must
# return at least one series.
MAY_BE_EMPTY = {
    # Alert conditions: they have a threshold, and a healthy suite is below it.
    "alert GoldenThreadHighErrorRatio": "alert condition (> 5% server errors)",
    "alert GoldenThreadHighLatencyP99": "alert condition (p99 > 1 s)",
    "alert GoldenThreadTargetDown": "alert condition (up == 0)",
    "alert GoldenThreadOverdueMilestonesRising": "compares with 1 day ago (offset 1d): a fresh Prometheus has no such data",
    "alert GoldenThreadPlanWithoutUpdates": "alert condition (last update > 100 days ago): this test's are seconds old",
}

PLANS = ["2007-08", "2017-18"]

# What ListDueUpdates says 2017-18-q2 is missing, by directorate (traffic()).
DUE_MISSING = {}


def same_as_due_missing(result):
    """The alert's series, one per directorate, against ListDueUpdates."""
    got = {}
    for s in result:
        if s["metric"].get("period") == "2017-18-q2" and s["metric"].get("organisation") == "th":
            got[s["metric"].get("directorate", "")] = int(float(s["value"][1]))
    return bool(DUE_MISSING) and got == DUE_MISSING


def positive(series):
    try:
        v = float(series["value"][1])
    except (KeyError, ValueError, TypeError):
        return False
    return v > 0 and v == v


def by_label(result, label):
    return {s["metric"].get(label) for s in result}


# What the traffic must have made visible, beyond a non-empty result, by a
# substring of the SOURCE: (what is expected, check(result, jobs) -> bool).
EXPECT = {
    'panel 4 "Progress updates, last 24 h"':
        ("a value > 0 (4 progress updates were posted)", lambda r, j: any(map(positive, r))),
    'panel 11 "Progress updates per hour by status"':
        ("ON_TARGET and DELAYED > 0", lambda r, j: {"ON_TARGET", "DELAYED"} <= by_label(filter(positive, r), "status")),
    'panel 2 "Overdue milestones"':
        ("a value > 0", lambda r, j: any(map(positive, r))),
    'panel 7 "Overdue milestones by plan"':
        ("plans %s each > 0" % " and ".join(PLANS), lambda r, j: set(PLANS) <= by_label(filter(positive, r), "plan")),
    'panel 9 "Overdue milestones by plan and directorate"':
        ("series for plans %s" % " and ".join(PLANS), lambda r, j: set(PLANS) <= by_label(r, "plan")),
    'panel 8 "Overdue milestones by directorate"':
        ("at least 2 directorates > 0", lambda r, j: len([s for s in r if positive(s)]) >= 2),
    'panel 13 "Completion by plan"':
        ("a series for each loaded plan %s (a plan with no COMPLETED milestone is 0%%, not absent)" % " and ".join(PLANS),
         lambda r, j: set(PLANS) <= by_label(r, "plan")),
    'panel 14 "Days since the last progress update, by active plan"':
        ("a series for each plan %s" % " and ".join(PLANS), lambda r, j: set(PLANS) <= by_label(r, "plan")),
    'panel 3 "Requests per second by service"':
        ("every service > 0", lambda r, j: set(j) <= by_label(filter(positive, r), "job")),
    'panel 6 "Calls by code"':
        ("gateway NotFound, InvalidArgument and OK > 0",
         lambda r, j: {"NotFound", "InvalidArgument", "OK"} <= {s["metric"].get("grpc_code") for s in r
                                                              if positive(s) and s["metric"].get("job") == "gateway"}),
    'panel 9 "Errors per second by method and code"':
        ("> 0 for the gateway and every backend it forwarded failing calls to",
         lambda r, j: {x for x in j if x != "gateway"} | {"gateway"} <= by_label(filter(positive, r), "job")),
    'panel 8 "Requests per second by method"':
        ("UpdateMilestoneProgress > 0 on gateway and milestone-service",
         lambda r, j: {"gateway", "milestone-service"} <= {s["metric"].get("job") for s in r if positive(s)
                                                           and s["metric"].get("grpc_method") == "UpdateMilestoneProgress"}),
    'panel 5 "Unary latency by service (p50, p99)"':
        ("a number > 0 for every service", lambda r, j: set(j) <= by_label(filter(positive, r), "job")),
    'panel 10 "p99 latency by method"':
        ("a number > 0 for UpdateMilestoneProgress on gateway and milestone-service",
         lambda r, j: {"gateway", "milestone-service"} <= {s["metric"].get("job") for s in r if positive(s)
                                                           and s["metric"].get("grpc_method") == "UpdateMilestoneProgress"}),
    'panel 17 "Authentication failures by reason"':
        ("a reason > 0 (calls without and with a bad token were made)", lambda r, j: any(map(positive, r))),
    "alert GoldenThreadUpdatesMissingAfterDue":
        ("one series per directorate of 2017-18-q2 with exactly the count ListDueUpdates gives as MISSING",
         lambda r, j: same_as_due_missing(r)),
    'panel 18 "Upstream p99 by backend"':
        ("a number > 0 for every backend", lambda r, j: {x for x in j if x != "gateway"} <= by_label(filter(positive, r), "backend")),
}

# Expressions whose result must name every running service (label job).
EVERY_JOB = [
    'panel 2 "Targets up"',
    'panel 3 "Requests per second by service"',
    'panel 5 "Unary latency by service (p50, p99)" target A',
    'panel 5 "Unary latency by service (p50, p99)" target B',
    'panel 6 "Calls by code"',
    'panel 8 "Requests per second by method"',
    'panel 10 "p99 latency by method"',
    'service-health.json variable job',
]

started_at = time.monotonic()
failures = []


def log(msg):
    print("[%5.1fs] %s" % (time.monotonic() - started_at, msg), flush=True)


def fail(msg):
    failures.append(msg)
    print("FAIL: %s" % msg, flush=True)


class Abort(Exception):
    """A step failed that the rest cannot do without."""


def deadline_in(seconds):
    return min(time.monotonic() + seconds, started_at + TOTAL_DEADLINE)


def free_ports(n):
    """n distinct ports free on 127.0.0.1, below the kernel's range for
    outgoing connections (a port from bind(0) lies in it, and a connection
    to MariaDB may take it before the service listens)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = map(int, f.read().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    first, last = (10000, low - 1) if low - 10000 > 1000 else (high + 1, 65535)
    ports = []
    while len(ports) < n:
        port = random.randint(first, last)
        if port in ports:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
    return ports


def parse_mysql_uri(uri):
    m = re.match(r"^mysql://([^:@/]+)(?::([^@/]*))?@([^:/]+)(?::(\d+))?/?(.*)$", uri)
    if not m:
        raise Abort("GT_TEST_MYSQL_URI is not mysql://user:password@host:port/: %r" % uri)
    return {"user": urllib.parse.unquote(m.group(1)),
            "password": urllib.parse.unquote(m.group(2) or ""),
            "host": m.group(3), "port": int(m.group(4) or 3306)}


class Databases:
    """Fresh databases on GT_TEST_MYSQL_URI's server, through the mariadb client
    (the password in MYSQL_PWD, never on a command line)."""

    def __init__(self, uri):
        self.server = parse_mysql_uri(uri)
        self.client = shutil.which("mariadb") or shutil.which("mysql")
        if not self.client:
            raise Abort("the mariadb (or mysql) client is missing: apt-get install mariadb-client")
        self.created = []

    def sql(self, statement):
        s = self.server
        env = dict(os.environ, MYSQL_PWD=s["password"])
        p = subprocess.run([self.client, "--protocol=tcp", "-h", s["host"], "-P", str(s["port"]),
                            "-u", s["user"], "-e", statement],
                           env=env, capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            raise Abort("SQL failed (%s): %s" % (statement, p.stderr.strip()))

    def create(self, name):
        self.sql("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % name)
        self.created.append(name)
        s = self.server
        return "mysql://%s:%s@%s:%d/%s" % (urllib.parse.quote(s["user"], safe=""),
                                           urllib.parse.quote(s["password"], safe=""),
                                           s["host"], s["port"], name)

    def drop_all(self):
        for name in self.created:
            try:
                self.sql("DROP DATABASE IF EXISTS `%s`" % name)
            except Exception as e:  # keep cleaning up
                fail("could not drop database %s: %s" % (name, e))
        self.created = []


def die_with_parent():
    """In the child: SIGTERM when the test process dies (even by SIGKILL)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Processes:
    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []  # (name, Popen, log path)

    def start(self, name, argv, env=None):
        path = os.path.join(self.tmp, name + ".log")
        with open(path, "wb") as out:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 env=env, start_new_session=True, preexec_fn=die_with_parent)
        self.procs.append((name, p, path))
        return p

    def tail(self, name, lines=25):
        for n, _, path in self.procs:
            if n == name:
                try:
                    with open(path, errors="replace") as f:
                        text = f.read().splitlines()[-lines:]
                except OSError:
                    text = []
                print("---- last lines of %s's log ----" % name)
                print("\n".join(text))
                print("----")

    def alive(self, name):
        return any(n == name and p.poll() is None for n, p, _ in self.procs)

    def stop_all(self, grace=15):
        """SIGTERM to all (gateway and Prometheus first), then wait; SIGKILL late ones."""
        for name, p, _ in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        end = time.monotonic() + grace
        for name, p, _ in reversed(self.procs):
            try:
                p.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                fail("%s (pid %d) did not stop within %ds of SIGTERM; killed" % (name, p.pid, grace))
                p.kill()
                p.wait()
        self.procs = []


def wait_serving(procs, health_check, name, port, seconds=30):
    end = deadline_in(seconds)
    while True:
        r = subprocess.run([health_check, "127.0.0.1:%d" % port, "--timeout_ms=500"],
                           capture_output=True)
        if r.returncode == 0:
            return
        if not procs.alive(name):
            procs.tail(name)
            raise Abort("%s exited during start-up" % name)
        if time.monotonic() > end:
            procs.tail(name)
            raise Abort("%s was not SERVING on 127.0.0.1:%d within %ds" % (name, port, seconds))
        time.sleep(0.2)


class Grpc:
    """Calls any method by name with a JSON-able dict, with the stubs
    scripts/gt_call.py generates (Debian's python3-grpcio)."""

    def __init__(self, source_dir):
        sys.path.insert(0, os.path.join(source_dir, "scripts"))
        import gt_call  # noqa: E402
        self.gt_call = gt_call
        self.files = gt_call.load_stubs()
        import grpc
        self.grpc = grpc
        self.channels = {}

    def call(self, addr, method, request, token=None, timeout=15):
        """Returns (code name, response dict or error details)."""
        from google.protobuf import json_format
        service, m = self.gt_call.resolve_method(self.files, method)
        req_cls = self.gt_call.message_class(m.input_type)
        resp_cls = self.gt_call.message_class(m.output_type)
        if addr not in self.channels:
            self.channels[addr] = self.grpc.insecure_channel(addr)
        stub = self.channels[addr].unary_unary("/%s/%s" % (service.full_name, m.name),
                                               request_serializer=req_cls.SerializeToString,
                                               response_deserializer=resp_cls.FromString)
        md = [("authorization", "Bearer " + token)] if token else self.gt_call.operator_seal()
        try:
            resp = stub(json_format.Parse(json.dumps(request), req_cls()), metadata=md, timeout=timeout)
            return "OK", json_format.MessageToDict(resp, preserving_proto_field_name=True)
        except self.grpc.RpcError as e:
            return e.code().name, e.details()

    def close(self):
        for c in self.channels.values():
            c.close()
        self.channels = {}


class Prometheus:
    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:  # 400/422 carry a JSON error body
            try:
                return json.load(e)
            except Exception:
                return {"status": "error", "error": "HTTP %d" % e.code}

    def query(self, expr):
        return self.get("/api/v1/query", query=expr)


def write_prometheus_config(path, rules_file, targets):
    lines = ["global:", "  scrape_interval: 1s", "  scrape_timeout: 1s", "  evaluation_interval: 1s",
             "rule_files:", "  - %s" % json.dumps(rules_file), "scrape_configs:"]
    for job, port in targets:
        lines += ["  - job_name: %s" % job, "    static_configs:",
                  "      - targets: [\"127.0.0.1:%d\"]" % port]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def poll(what, seconds, check):
    """Calls check() until it returns a true value; returns it, or None at the deadline."""
    end = deadline_in(seconds)
    last = None
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > end:
            log("gave up waiting for %s" % what)
            return None
        time.sleep(0.5)


def load_expressions(source_dir):
    p = subprocess.run(["bash", os.path.join(source_dir, "k8s/test/promql_exprs.sh"),
                        "--rate-interval=" + RATE_INTERVAL, "--range=" + RANGE],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise Abort("k8s/test/promql_exprs.sh failed: %s" % p.stderr.strip())
    exprs = []
    for line in p.stdout.splitlines():
        if line.strip():
            source, _, expr = line.partition("\t")
            if not expr or "$" in expr:
                raise Abort("promql_exprs.sh printed a line that is not SOURCE<TAB>EXPR with variables replaced: %r" % line)
            exprs.append((source, expr))
    if len(exprs) < 30:
        raise Abort("promql_exprs.sh printed only %d expressions" % len(exprs))
    return exprs


def short_source(source):
    return re.sub(r"^k8s/components/monitoring/(dashboards/|rules/)", "", source)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--plan-service", required=True)
    ap.add_argument("--milestone-service", required=True)
    ap.add_argument("--report-service", default="")
    ap.add_argument("--gateway", required=True)
    ap.add_argument("--gt-load", required=True)
    ap.add_argument("--health-check", required=True)
    ap.add_argument("--prometheus", default=shutil.which("prometheus") or "/usr/bin/prometheus")
    args = ap.parse_args()
    src = os.path.abspath(args.source_dir)
    rules_file = os.path.join(src, "k8s/components/monitoring/rules/goldenthread.rules.yml")

    uri = os.environ.get("GT_TEST_MYSQL_URI", "")
    if not uri:
        raise Abort("GT_TEST_MYSQL_URI is not set: run through scripts/test.sh, or point it at a "
                    "server where the user may CREATE DATABASE")
    for what, path in [("plan-service", args.plan_service), ("milestone-service", args.milestone_service),
                       ("gateway", args.gateway), ("gt-load", args.gt_load),
                       ("gt-health-check", args.health_check), ("prometheus", args.prometheus)] + \
            ([("report-service", args.report_service)] if args.report_service else []):
        if not os.access(path, os.X_OK):
            raise Abort("%s is not an executable: %s%s" % (
                what, path, " (apt-get install prometheus)" if what == "prometheus" else ""))

    exprs = load_expressions(src)
    tmp = tempfile.mkdtemp(prefix="gt-e2e-prometheus.")
    if not os.environ.get("GT_IDENTITY_KEY_FILE"):
        # The services, gt-load and the direct calls below share one identity
        # key; scripts/test.sh exports one, a run by hand makes its own.
        key_file = os.path.join(tmp, "identity-key")
        with open(key_file, "w") as f:
            f.write(os.urandom(32).hex())
        os.environ["GT_IDENTITY_KEY_FILE"] = key_file
    procs = Processes(tmp)
    dbs = Databases(uri)
    try:
        return run(args, src, rules_file, exprs, tmp, procs, dbs)
    finally:
        log("stopping services and Prometheus")
        procs.stop_all()
        dbs.drop_all()
        if failures:
            print("logs kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, src, rules_file, exprs, tmp, procs, dbs):
    global DUMP_DIR
    DUMP_DIR = tmp  # results.jsonl: every query's answer, kept when the test fails
    tag = "gt_e2e_%d_%05d" % (os.getpid(), random.randrange(100000))
    uris = {"plan-service": dbs.create(tag + "_plan"),
            "milestone-service": dbs.create(tag + "_milestone"),
            "gateway": dbs.create(tag + "_gateway")}
    log("databases %s_{plan,milestone,gateway} created" % tag)

    services = {"plan-service": args.plan_service, "milestone-service": args.milestone_service,
                "gateway": args.gateway}
    if args.report_service:
        services["report-service"] = args.report_service
    jobs = [j for j in JOBS_ORDER if j in services]
    ports = free_ports(2 * len(jobs) + 1)
    grpc_port = {j: ports[2 * i] for i, j in enumerate(jobs)}
    metrics_port = {j: ports[2 * i + 1] for i, j in enumerate(jobs)}
    prom_port = ports[-1]
    addr = {j: "127.0.0.1:%d" % grpc_port[j] for j in jobs}
    backend_flags = {
        "milestone-service": ["--plan_service_addr=" + addr["plan-service"]],
        "report-service": ["--plan_service_addr=" + addr["plan-service"],
                           "--milestone_service_addr=" + addr["milestone-service"]],
        "gateway": ["--plan_service_addr=" + addr["plan-service"],
                    "--milestone_service_addr=" + addr["milestone-service"]] +
                   (["--report_service_addr=" + addr["report-service"]] if "report-service" in jobs else []),
    }
    for job in jobs:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GT_")}
        env["GT_IDENTITY_KEY_FILE"] = os.environ["GT_IDENTITY_KEY_FILE"]
        if job in uris:
            env["GT_MYSQL_URI"] = uris[job]
        procs.start(job, [services[job], "--grpc_port=%d" % grpc_port[job],
                          "--metrics_port=%d" % metrics_port[job], "--bind_address=127.0.0.1",
                          "--shutdown_delay_seconds=0", "--shutdown_grace_seconds=5"]
                    + backend_flags.get(job, []), env=env)
        wait_serving(procs, args.health_check, job, grpc_port[job])
        log("%s SERVING on %s (metrics :%d)" % (job, addr[job], metrics_port[job]))

    config = os.path.join(tmp, "prometheus.yml")
    write_prometheus_config(config, rules_file, [(j, metrics_port[j]) for j in jobs])
    tsdb = os.path.join(tmp, "tsdb")
    procs.start("prometheus", [args.prometheus, "--config.file=" + config, "--storage.tsdb.path=" + tsdb,
                               "--web.listen-address=127.0.0.1:%d" % prom_port, "--log.level=warn"])
    prom = Prometheus(prom_port)

    def all_up():
        if not procs.alive("prometheus"):
            procs.tail("prometheus")
            raise Abort("Prometheus exited")
        try:
            r = prom.query("up")
        except (urllib.error.URLError, ConnectionError, OSError):
            return None
        up = {s["metric"].get("job"): s["value"][1] for s in r.get("data", {}).get("result", [])}
        return all(up.get(j) == "1" for j in jobs) and up
    if not poll("every job up == 1", 30, all_up):
        r = prom.get("/api/v1/targets")
        for t in r.get("data", {}).get("activeTargets", []):
            log("target %s %s: %s %s" % (t["labels"].get("job"), t["scrapeUrl"], t["health"], t.get("lastError", "")))
        raise Abort("not every job was up in Prometheus within 30 s")
    log("Prometheus on 127.0.0.1:%d: every job up (%s)" % (prom_port, ", ".join(jobs)))

    # The traffic once Prometheus has scraped every counter at its start value,
    # so that rate() and increase() see them move.
    g = Grpc(src)
    try:
        traffic(args, g, addr, jobs, uris, src)
    finally:
        g.close()

    traffic_end = time.time()

    # rate() needs two samples of a moved counter in its window: one from
    # before the traffic (every job was up before it began) and one from a
    # scrape that started after it ended, on every job.
    def scraped_after_traffic():
        r = prom.query("timestamp(up)")
        ts = {x["metric"].get("job"): float(x["value"][1]) for x in r.get("data", {}).get("result", [])}
        return all(ts.get(j, 0) > traffic_end + 0.05 for j in jobs)
    if not poll("a scrape of every job after the traffic", 20, scraped_after_traffic):
        raise Abort("Prometheus did not scrape every job within 20 s after the traffic")

    def traffic_visible():
        r1 = prom.query("sum(rate(goldenthread_milestone_updates_total[%s])) > 0" % RATE_INTERVAL)
        r2 = prom.query('sum by (job) (rate(grpc_server_handled_total{grpc_code!="OK"}[%s])) > 0' % RATE_INTERVAL)
        ok1 = r1.get("status") == "success" and r1["data"]["result"]
        return ok1 and set(jobs) <= {x["metric"].get("job") for x in r2.get("data", {}).get("result", [])}
    if not poll("the traffic to show as rates", 10, traffic_visible):
        fail("the progress updates and failing calls do not show as rates on every job: "
             "sum(rate(goldenthread_milestone_updates_total[%s])) and "
             "sum by (job) (rate(grpc_server_handled_total{grpc_code!=\"OK\"}[%s]))" % (RATE_INTERVAL, RATE_INTERVAL))
    log("every job scraped after the traffic; its rates are visible")

    evaluate(prom, exprs, jobs)
    check_the_checks(prom, jobs)
    check_rules(prom, rules_file)
    return 0


def traffic(args, g, addr, jobs, uris, src):
    code, resp = g.call(addr["plan-service"], "PlanService/CreateOrganisation",
                        {"organisation_id": "th",
                         "organisation": {"display_name": "London Borough of Tower Hamlets"}})
    if code != "OK":
        raise Abort("CreateOrganisation th on plan-service: %s %s" % (code, resp))
    seeds = os.path.join(src, "tests/fixtures/seeds")
    for plan, effective, files in [("2007-08", "2008-03-31", ["000_0fbffd0030868d04.txt", "001_438444c0e1c0bfc6.txt"]),
                                   ("2017-18", "2017-09-30", ["003_ec2567edfe30a260.txt"])]:
        p = subprocess.run([args.gt_load, "--plan_service=" + addr["plan-service"],
                            "--milestone_service=" + addr["milestone-service"], "--organisation=th",
                            "--plan_id=" + plan, "--effective=" + effective, "--replace"]
                           + [os.path.join(seeds, f) for f in files],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise Abort("gt-load of plan %s failed (%d): %s" % (plan, p.returncode, p.stderr.strip()[-2000:]))
        log("plan %s loaded" % plan)

    env = {k: v for k, v in os.environ.items() if not k.startswith("GT_")}
    env["GT_MYSQL_URI"] = uris["gateway"]
    p = subprocess.run([args.gateway, "--create_token", "--organisation=th", "--role=ADMIN", "--subject=e2e"],
                       env=env, capture_output=True, text=True, timeout=30)
    token = p.stdout.strip().splitlines()[-1] if p.returncode == 0 and p.stdout.strip() else ""
    if not token:
        raise Abort("gateway --create_token failed (%d): %s" % (p.returncode, p.stderr.strip()[-2000:]))

    gw = addr["gateway"]
    code, resp = g.call(gw, "MilestoneService/ListMilestones",
                        {"parent": "organisations/th/plans/2017-18", "page_size": 10}, token)
    if code != "OK" or not resp.get("milestones"):
        raise Abort("ListMilestones of 2017-18 through the gateway: %s %s" % (code, resp))
    open_ms = [m for m in resp["milestones"] if m.get("status") not in ("COMPLETED", "CANCELLED", "DEFERRED")]
    if len(open_ms) < 3:
        open_ms = resp["milestones"]
    updates = 0
    for i, m in enumerate(open_ms[:4]):
        req = {"name": m["name"], "status": "ON_TARGET" if i % 2 == 0 else "DELAYED",
               "percent_complete": 40 + 10 * i, "comment": "e2e: progress %d" % i,
               "request_id": "e2e-%d-%d" % (os.getpid(), i)}
        code, resp = g.call(gw, "MilestoneService/UpdateMilestoneProgress", req, token)
        if code != "OK":
            fail("UpdateMilestoneProgress %s through the gateway: %s %s" % (m["name"], code, resp))
        else:
            updates += 1
    log("%d progress updates posted through the gateway" % updates)

    # A monitoring round: 2017-18's second quarter opened (due long ago), so
    # that the due-updates gauges, the round's panels and the missing-after-
    # due alert have data; what ListDueUpdates says is missing is what the
    # alert must count (checked in EXPECT).
    period = "organisations/th/plans/2017-18/periods/2017-18-q2"
    code, resp = g.call(gw, "MilestoneService/CreatePeriod",
                        {"parent": "organisations/th/plans/2017-18", "period_id": "2017-18-q2",
                         "period": {"title": "Quarter 2 2017/18", "start_date": "2017-07-01",
                                    "as_of": "2017-09-30", "due_date": "2017-10-14"}}, token)
    if code != "OK":
        raise Abort("CreatePeriod through the gateway: %s %s" % (code, resp))
    code, resp = g.call(gw, "MilestoneService/OpenPeriod", {"name": period}, token)
    if code != "OK":
        raise Abort("OpenPeriod through the gateway: %s %s" % (code, resp))
    code, resp = g.call(gw, "MilestoneService/ListDueUpdates",
                        {"parent": period, "states": ["MISSING"], "page_size": 1}, token)
    if code != "OK" or not resp.get("counts"):
        raise Abort("ListDueUpdates through the gateway: %s %s" % (code, str(resp)[:300]))
    for c in resp["counts"]:
        DUE_MISSING[c.get("directorate", "")] = int(c["milestones"])
    log("period 2017-18-q2 open: %d updates missing in %d directorates"
        % (sum(DUE_MISSING.values()), len(DUE_MISSING)))

    # Calls that must fail, each with its code.
    failing = [
        ("MilestoneService/UpdateMilestoneProgress",
         {"name": open_ms[0]["name"], "status": "ON_TARGET", "percent_complete": 150}, token, "INVALID_ARGUMENT"),
        ("MilestoneService/GetMilestone",
         {"name": "organisations/th/plans/2017-18/milestones/999999"}, token, "NOT_FOUND"),
        ("PlanService/GetPlan", {"name": "organisations/th/plans/no-such-plan"}, token, "NOT_FOUND"),
        ("PlanService/ListPlans", {"parent": "organisations/th"}, None, "UNAUTHENTICATED"),
        ("PlanService/ListPlans", {"parent": "organisations/th"}, "gt_not_a_real_token", "UNAUTHENTICATED"),
    ]
    for method, req, tok, want in failing:
        code, resp = g.call(gw, method, req, tok)
        if code != want:
            fail("%s %s through the gateway: want %s, got %s %s" % (method, req, want, code, resp))
    log("%d failing calls made through the gateway" % len(failing))

    # A few successful reads on every backend through the gateway.
    for method, req in [("PlanService/ListPlans", {"parent": "organisations/th"}),
                        ("MilestoneService/CountOverdue",
                         {"parent": "organisations/th/plans/2007-08", "as_of": "2008-03-31",
                          "group_by": "BY_DIRECTORATE"})]:
        code, resp = g.call(gw, method, req, token)
        if code != "OK":
            fail("%s through the gateway: %s %s" % (method, code, resp))
    if "report-service" in jobs:
        code, resp = g.call(gw, "ReportService/GetEndOfYearReport",
                            {"plan": "organisations/th/plans/2007-08", "as_of": "2008-03-31"}, token, timeout=30)
        if code != "OK":
            fail("ReportService/GetEndOfYearReport through the gateway: %s %s" % (code, str(resp)[:300]))
        code, resp = g.call(gw, "ReportService/GetEndOfYearReport",
                            {"plan": "organisations/th/plans/no-such-plan"}, token)
        if code == "OK":
            fail("ReportService/GetEndOfYearReport of a missing plan answered OK")


def evaluate(prom, exprs, jobs):
    rows = []
    for source, expr in exprs:
        r = prom.query(expr)
        status = r.get("status")
        result = r.get("data", {}).get("result", []) if status == "success" else []
        n = len(result) if isinstance(result, list) else 1
        problem = ""
        if status != "success":
            problem = "query failed: %s: %s" % (r.get("errorType"), r.get("error"))
        elif n == 0 and not any(k in source for k in MAY_BE_EMPTY):
            problem = "empty result, but the test created the data it is about"
        else:
            problems = []
            if any(k in source for k in EVERY_JOB):
                missing = [j for j in jobs if j not in by_label(result, "job")]
                if missing:
                    problems.append("no series for job %s" % ", ".join(missing))
            for k, (what, check) in EXPECT.items():
                if k in source and not check(result, jobs):
                    problems.append("expected %s; got %s" % (what, summarise(result)))
            problems += label_problems(prom, expr, result)
            problem = "; ".join(problems)
        rows.append((source, expr, status, n, problem))
        with open(os.path.join(DUMP_DIR, "results.jsonl"), "a") as f:
            f.write(json.dumps({"source": source, "expr": expr, "response": r}) + "\n")

    width = max(len(short_source(s)) for s, *_ in rows)
    print()
    print("%-*s  %7s  %6s  %s" % (width, "EXPRESSION (source)", "STATUS", "SERIES", "CHECK"))
    for source, expr, status, n, problem in rows:
        note = "FAIL: " + problem if problem else (
            "ok (may be empty: %s)" % next(v for k, v in MAY_BE_EMPTY.items() if k in source)
            if n == 0 else "ok")
        print("%-*s  %7s  %6d  %s" % (width, short_source(source), status, n, note))
    print()
    for source, expr, status, n, problem in rows:
        if problem:
            fail("%s: %s\n      expr: %s" % (source, problem, expr))
    log("%d expressions evaluated, %d with a result" % (len(rows), sum(1 for r in rows if r[3])))


def check_the_checks(prom, jobs):
    """The label checks must be able to fail: a label no series carries, and
    gRPC codes spelled as in C++ rather than as the services export them."""
    bad = [
        ('sum by (job, grpc_status) (rate(grpc_server_handled_total{job=~".*"}[%s]))' % RATE_INTERVAL,
         "grouped by label grpc_status"),
        ('sum by (job) (rate(grpc_server_handled_total{grpc_code=~"UNAVAILABLE|Internal"}[%s]))' % RATE_INTERVAL,
         "value UNAVAILABLE never exported"),
        ('sum by (job) (rate(grpc_server_handled_total{job="gateway",grpc_code="NotFound"}[%s]))' % RATE_INTERVAL,
         None),
    ]
    for expr, want in bad:
        r = prom.query(expr)
        problems = "; ".join(label_problems(prom, expr, r.get("data", {}).get("result", [])))
        if want and want not in problems:
            fail("self-check: %s should be flagged with %r, got %r" % (expr, want, problems))
        if not want and problems:
            fail("self-check: %s should pass, got %r" % (expr, problems))


def summarise(result, limit=6):
    items = ["{%s} %s" % (",".join('%s="%s"' % kv for kv in sorted(s["metric"].items())), s["value"][1])
             for s in result if positive(s)][:limit]
    return "%d series (%d > 0)%s" % (len(result), len([s for s in result if positive(s)]),
                                     ": " + "; ".join(items) if items else "")


# Label values the services must export for every method from start-up
# (grpc-ecosystem convention): checked against what an expression filters on.
ENUM_LABELS = {"grpc_code", "grpc_type", "job"}
label_values_cache = {}


def label_problems(prom, expr, result):
    """Labels an expression groups by that no series carries, and grpc_code /
    grpc_type / job values it filters on that no series has."""
    problems = []
    # The outermost aggregation's by() labels are on every series of the
    # result; one that is on none is a label the services do not export
    # (namespace excepted: the Prometheus Operator adds it, not the services).
    outer = re.match(r"^\s*\(?\s*(?:sum|max|min|avg|count|histogram_quantile\([^,]+,\s*sum)\s*by\s*\(([^)]*)\)",
                     expr)
    if outer and result:
        for label in [x.strip() for x in outer.group(1).split(",") if x.strip()]:
            if label not in ("namespace", "le") and not any(label in s["metric"] for s in result):
                problems.append("grouped by label %s, which no series carries" % label)
    for sel in re.finditer(r"([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}", expr):
        metric = sel.group(1)
        for mm in re.finditer(r"(\w+)\s*(=~|!~|!=|=)\s*\"([^\"]*)\"", sel.group(2)):
            label, op, value = mm.groups()
            if label not in ENUM_LABELS or not re.match(r"^[\w-]+(\|[\w-]+)*$", value):
                continue
            if label == "job":
                known = set(JOBS_ORDER)
            else:
                key = (metric, label)
                if key not in label_values_cache:
                    r = prom.get("/api/v1/label/%s/values" % label, **{"match[]": metric})
                    label_values_cache[key] = set(r.get("data") or [])
                known = label_values_cache[key]
            unknown = [v for v in value.split("|") if v not in known]
            if unknown:
                problems.append("%s{%s%s...}: value%s %s never exported (exported: %s)" % (
                    metric, label, op, "s" if len(unknown) > 1 else "", ", ".join(unknown),
                    ", ".join(sorted(known)) or "none"))
    return problems


def check_rules(prom, rules_file):
    def evaluated():
        r = prom.get("/api/v1/rules")
        groups = r.get("data", {}).get("groups", [])
        done = groups and all(not rule.get("lastEvaluation", "").startswith("0001-")
                              for grp in groups for rule in grp.get("rules", []))
        return done and groups
    groups = poll("every rule to be evaluated", 15, evaluated) or prom.get("/api/v1/rules").get("data", {}).get("groups", [])
    if not groups:
        fail("/api/v1/rules: no rule group loaded")
        return
    with open(rules_file) as f:
        want = re.findall(r"^\s*-\s*name:\s*(\S+)", f.read(), re.M)
    missing = [g for g in want if g not in {grp["name"] for grp in groups}]
    if missing:
        fail("/api/v1/rules: rule groups of %s not loaded: %s" % (rules_file, ", ".join(missing)))
    for grp in groups:
        rules = grp.get("rules", [])
        bad = [r for r in rules if r.get("health") != "ok" or r.get("lastError")]
        for r in bad:
            fail("rule group %s, %s: health %s, lastError %s" % (grp["name"], r.get("name"), r.get("health"),
                                                               r.get("lastError")))
        print("rule group %-26s %d rules, %s" % (grp["name"], len(rules),
                                                 "all health ok" if not bad else "%d not ok" % len(bad)))


def on_signal(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    status = 1
    try:
        main()
        status = 1 if failures else 0
    except Abort as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception as e:  # a bug in the test itself still fails, with its trace
        import traceback
        traceback.print_exc()
        fail("unexpected %s: %s" % (type(e).__name__, e))
    log("%s (%d failure%s)" % ("PASSED" if not failures else "FAILED", len(failures),
                                "" if len(failures) == 1 else "s"))
    for f in failures:
        print("  - " + f.splitlines()[0])
    sys.exit(1 if failures else status)
