'use strict';
// The e2e Prometheus configuration (k8s/test/prometheus.yml) must scrape each
// service as job <service name> on 127.0.0.1:<metrics port> every second, and
// load the suite's rules file: the same job labels the ServiceMonitors give.
const path = require('path');
const {TEST_DIR, RULES_FILE, SERVICES, readYamlFile, Problems} = require('./common');

const file = path.join(TEST_DIR, 'prometheus.yml');
const cfg = readYamlFile(file);
const P = new Problems();
P.check(cfg.global && cfg.global.scrape_interval === '1s', file, 'global.scrape_interval must be 1s');
P.check((cfg.rule_files || []).some((r) => path.resolve(TEST_DIR, r) === RULES_FILE), file,
    'rule_files must load components/monitoring/rules/goldenthread.rules.yml');
const jobs = cfg.scrape_configs || [];
P.check(jobs.length === Object.keys(SERVICES).length, file, `expected ${Object.keys(SERVICES).length} scrape jobs`);
for (const [svc, f] of Object.entries(SERVICES)) {
  const job = jobs.find((j) => j.job_name === svc);
  if (!P.check(job, file, `no scrape job ${svc}`)) continue;
  const targets = (job.static_configs || []).flatMap((s) => s.targets || []);
  P.check(targets.length === 1 && targets[0] === `127.0.0.1:${f.metrics}`, file,
      `job ${svc} must scrape 127.0.0.1:${f.metrics}, scrapes ${targets.join(', ')}`);
  P.check((job.metrics_path || '/metrics') === '/metrics', file, `job ${svc} must scrape /metrics`);
}
process.exitCode = P.report(`ok: ${path.basename(file)} scrapes ${jobs.map((j) => j.job_name).join(', ')} every 1s`);
