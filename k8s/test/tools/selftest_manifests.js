'use strict';
// Proves the manifest checks can fail: each case breaks one thing in a real
// build (as a reviewer's typo would) and expects the validator to say so.
// A case whose breakage goes unnoticed fails this test.
//
//   node selftest_manifests.js dev-all=FILE prod-all=FILE
const {Build, validateBuilds, loadBuilds} = require('./validate_manifests');
const {Problems} = require('./common');

const find = (b, kind, name) => b.objects.find((o) => o.kind === kind && o.metadata.name === name);
const container = (b, name) => find(b, 'Deployment', name).spec.template.spec.containers[0];

// [build, description, mutate(build), expected substring of a problem]
const CASES = [
  ['dev-all', 'misspelt field', (b) => {
    const c = container(b, 'plan-service');
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
  }, 'readinesProbe"\' does not exist in type \'IContainer\''],
  ['prod-all', 'bad quantity', (b) => { container(b, 'gateway').resources.limits.cpu = 'one'; }, 'format "quantity"'],
  ['prod-all', 'HTTP readiness probe', (b) => {
    container(b, 'report-service').readinessProbe = {httpGet: {path: '/healthz', port: 9103}};
  }, 'readinessProbe must be a native gRPC probe'],
  ['prod-all', 'writable root filesystem', (b) => {
    container(b, 'milestone-service').securityContext.readOnlyRootFilesystem = false;
  }, 'readOnlyRootFilesystem must be true'],
  ['dev-all', 'grace period too short', (b) => {
    find(b, 'Deployment', 'gateway').spec.template.spec.terminationGracePeriodSeconds = 20;
  }, 'terminationGracePeriodSeconds 20 must exceed'],
  ['prod-all', 'password in env', (b) => {
    container(b, 'plan-service').env.push({name: 'GT_MYSQL_URI', value: 'mysql://u:p@db:3306/gt_plan'});
  }, 'must not be an env value'],
  ['prod-all', 'report-service without the identity key', (b) => {
    const c = container(b, 'report-service');
    c.env = c.env.filter((e) => e.name !== 'GT_IDENTITY_KEY_FILE');
  }, 'GT_IDENTITY_KEY_FILE must be /etc/golden-thread/identity/key'],
  ['dev-all', 'a short dev identity key', (b) => {
    const s = b.objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('golden-thread-identity'));
    s.data.key = Buffer.from('short').toString('base64');
  }, 'of at least 32 characters'],
  ['prod-all', 'one replica in prod', (b) => { find(b, 'HorizontalPodAutoscaler', 'plan-service').spec.minReplicas = 1; },
    'at least 2 replicas'],
  ['dev-all', 'wrong database in dev URI', (b) => {
    const s = b.objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('plan-service-db'));
    s.data.uri = Buffer.from('mysql://gt_plan:x@mysql:3306/gt_milestone').toString('base64');
  }, 'must hold mysql://user:password@host:port/gt_plan'],
  ['prod-all', 'migration Job on another image', (b) => {
    find(b, 'Job', 'golden-thread-migrate').spec.template.spec.containers[0].image = 'golden-thread/plan-service:0.0.9';
  }, 'differs from the Deployment'],
  ['dev-all', 'no default deny', (b) => {
    b.objects = b.objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny-all'));
  }, 'default-deny-all must deny'],
  ['prod-all', 'report-service given the database', (b) => {
    const p = find(b, 'NetworkPolicy', 'allow-mysql-egress');
    p.spec.podSelector.matchExpressions[0].values.push('report-service');
  }, 'report-service -> externalMysql:3306/TCP is allowed, should be refused'],
  ['dev-all', 'dev MySQL open to every pod', (b) => { delete find(b, 'NetworkPolicy', 'mysql').spec.ingress[0].from; },
    'internet -> mysql:3306/TCP is allowed, should be refused'],
  ['prod-all', 'Prometheus cut off', (b) => {
    find(b, 'NetworkPolicy', 'allow-prometheus-scrape').spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] = 'observability';
  }, 'prometheus -> gateway:9100/TCP is refused, should be allowed'],
  ['prod-all', 'ServiceMonitor selects nothing', (b) => {
    find(b, 'ServiceMonitor', 'milestone-service').spec.selector.matchLabels['app.kubernetes.io/name'] = 'milestones';
  }, 'must select only Service/milestone-service'],
  ['prod-all', 'bad alert duration', (b) => {
    find(b, 'PrometheusRule', 'golden-thread').spec.groups[0].rules[0].for = '5 minutes';
  }, 'must match pattern'],
  ['prod-all', 'Service port renamed', (b) => { find(b, 'Service', 'plan-service').spec.ports[1].name = 'http-metrics'; },
    'Service port metrics must be 9101'],
];

function main(argv) {
  const builds = Object.fromEntries(loadBuilds(argv.slice(2)).map((b) => [b.name, b]));
  const P = new Problems();
  // The unmodified builds must pass, or every case would pass trivially.
  const clean = validateBuilds(Object.values(builds));
  if (clean.problems.list.length) {
    for (const p of clean.problems.list) P.add('unmodified build', p);
    return P.report();
  }
  // All broken builds are validated in one go (one TypeScript program).
  const broken = [];
  CASES.forEach(([name, what, mutate, expected], i) => {
    if (!builds[name]) {
      P.add(what, `build ${name} not given`);
      return;
    }
    const b = new Build(`case${i + 1}`, JSON.parse(JSON.stringify(builds[name].objects)), name);
    mutate(b);
    broken.push({b, what, expected});
  });
  const {problems} = validateBuilds(broken.map((x) => x.b));
  for (const {b, what, expected} of broken) {
    const mine = problems.list.filter((p) => p.startsWith(`${b.name} `) || p.startsWith(`${b.name}:`));
    if (!mine.some((p) => p.includes(expected))) {
      P.add(what, `not detected (expected a problem containing "${expected}"; got ${mine.length} other(s)` +
            `${mine.length ? `: ${mine[0]}` : ''})`);
    }
  }
  return P.report(`ok: all ${CASES.length} deliberate breakages were detected`);
}

process.exitCode = main(process.argv);
