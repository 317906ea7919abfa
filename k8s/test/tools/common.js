'use strict';
// Shared helpers of the k8s test tools: paths, YAML loading, error collection.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const TEST_DIR = path.resolve(__dirname, '..');
const K8S_DIR = path.resolve(TEST_DIR, '..');
const MONITORING_DIR = path.join(K8S_DIR, 'components', 'monitoring');
const PROMETHEUS_RULE = path.join(MONITORING_DIR, 'prometheusrule.yaml');
const RULES_FILE = path.join(MONITORING_DIR, 'rules', 'goldenthread.rules.yml');
const DASHBOARD_DIR = path.join(MONITORING_DIR, 'dashboards');

// The services of the suite: the facts every manifest and rule must agree on.
const SERVICES = {
  'gateway': {grpc: 50050, metrics: 9100, db: 'gt_gateway', component: 'gateway'},
  'plan-service': {grpc: 50051, metrics: 9101, db: 'gt_plan', component: 'backend'},
  'milestone-service': {grpc: 50052, metrics: 9102, db: 'gt_milestone', component: 'backend'},
  'report-service': {grpc: 50053, metrics: 9103, db: null, component: 'backend'},
};

// Metric names the services export (DESIGN + the suite's fixed facts). Rules
// and dashboards may use only these, histogram series of the histograms, and
// Prometheus' own `up`.
const COUNTERS_AND_GAUGES = [
  'grpc_server_started_total',
  'grpc_server_handled_total',
  'goldenthread_milestone_updates_total',
  'goldenthread_milestones_overdue',
  'goldenthread_milestone_last_update_timestamp_seconds',
  'goldenthread_milestones_total',
  'goldenthread_db_pool_connections',
  'goldenthread_gateway_auth_failures_total',
  // The reporting round (issue 18), milestone-service, computed at scrape
  // for periods in state OPEN or IN_REVIEW only: due updates by state
  // (MISSING, SUBMITTED, RETURNED, APPROVED) per period and directorate, and
  // each such period's due date (start of the day, UTC, Unix seconds).
  'goldenthread_updates_due',
  'goldenthread_period_due_date_seconds',
];
const HISTOGRAMS = [
  'grpc_server_handling_seconds',
  'goldenthread_db_pool_wait_seconds',
  'goldenthread_db_query_seconds',
  'goldenthread_gateway_upstream_seconds',
];
const SYNTHETIC = ['up'];
const KNOWN_METRICS = new Set([
  ...COUNTERS_AND_GAUGES,
  ...HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
  ...SYNTHETIC,
]);

function readYamlAll(text, origin) {
  const docs = YAML.parseAllDocuments(text, {uniqueKeys: true});
  const out = [];
  for (const d of docs) {
    if (d.errors.length) {
      throw new Error(`${origin}: ${d.errors.map((e) => e.message).join('; ')}`);
    }
    const v = d.toJS({maxAliasCount: -1});
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function readYamlFile(file) {
  const docs = readYamlAll(fs.readFileSync(file, 'utf8'), file);
  if (docs.length !== 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

function rel(file) {
  return path.relative(path.resolve(K8S_DIR, '..'), file);
}

// Collects failures so that one run reports all of them.
class Problems {
  constructor() { this.list = []; }
  add(where, msg) { this.list.push(`${where}: ${msg}`); }
  check(cond, where, msg) { if (!cond) this.add(where, msg); return !!cond; }
  report(okMessage) {
    if (this.list.length) {
      for (const p of this.list) console.error(`FAIL ${p}`);
      console.error(`${this.list.length} problem(s)`);
      return 1;
    }
    if (okMessage) console.log(okMessage);
    return 0;
  }
}

module.exports = {
  TEST_DIR, K8S_DIR, MONITORING_DIR, PROMETHEUS_RULE, RULES_FILE, DASHBOARD_DIR,
  SERVICES, KNOWN_METRICS, HISTOGRAMS, readYamlAll, readYamlFile, rel, Problems, YAML,
};
