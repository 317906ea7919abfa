'use strict';
// Validates the output of `kubectl kustomize` for each overlay/component
// combination: Kubernetes schemas (see schema.js), then the suite's own rules
// (security context, probes, labels, references, replicas, Secrets as files,
// monitoring, and the traffic the network policies allow and refuse).
//
//   node validate_manifests.js NAME=FILE...        NAME: dev|prod[-all]
//   node validate_manifests.js --schema-only NAME=FILE...
//
// A NAME starting with "dev" is checked as the dev overlay, "prod" as prod;
// "-all" means the network-policies and monitoring components are included.
const fs = require('fs');
const path = require('path');
const util = require('util');
const {SERVICES, RULES_FILE, DASHBOARD_DIR, readYamlAll, readYamlFile, Problems} = require('./common');
const {validateWithModels, validateWithTypes} = require('./schema');
const {Cluster, matchesSelector} = require('./netpol');

const NAMESPACE = {dev: 'golden-thread-dev', prod: 'golden-thread'};
const DB_SERVICES = Object.keys(SERVICES).filter((s) => SERVICES[s].db);
// Every service mounts the identity key (issue 16): the gateway seals with
// it, the backends check with it.
const IDENTITY_SECRET = 'golden-thread-identity';
const IDENTITY_FILE = '/etc/golden-thread/identity/key';
const BASE_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance',
  'app.kubernetes.io/component', 'app.kubernetes.io/part-of'];
const VERSION_LABEL = 'app.kubernetes.io/version';
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];
// Which backends each service calls (GT_*_ADDR it must be given).
const CALLS = {
  'gateway': ['plan-service', 'milestone-service', 'report-service'],
  'plan-service': [],
  'milestone-service': ['plan-service'],
  'report-service': ['plan-service', 'milestone-service'],
};
const ADDR_ENV = {
  'plan-service': 'GT_PLAN_SERVICE_ADDR',
  'milestone-service': 'GT_MILESTONE_SERVICE_ADDR',
  'report-service': 'GT_REPORT_SERVICE_ADDR',
};

const id = (o) => `${o.kind}/${o.metadata && o.metadata.name}`;
const labelsOf = (o) => (o.metadata && o.metadata.labels) || {};
const podSpec = (w) => w.spec.template.spec;

class Build {
  // profile: dev|prod, with "-all" when the optional components are included.
  constructor(name, objects, profile = name) {
    this.name = name;
    this.objects = objects;
    this.env = profile.startsWith('dev') ? 'dev' : 'prod';
    this.full = profile.endsWith('-all');
  }
  all(kind) { return this.objects.filter((o) => o.kind === kind); }
  get(kind, name) { return this.objects.find((o) => o.kind === kind && o.metadata.name === name); }
  // Generated ConfigMaps/Secrets carry a hash suffix in the build.
  generated(kind, name) {
    return this.objects.find((o) => o.kind === kind &&
      (o.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(o.metadata.name)));
  }
}

function decodeSecret(secret, key) {
  if (secret.stringData && key in secret.stringData) return secret.stringData[key];
  if (secret.data && key in secret.data) return Buffer.from(secret.data[key], 'base64').toString('utf8');
  return undefined;
}

function envValue(build, container, name) {
  const e = (container.env || []).find((x) => x.name === name);
  if (!e) return undefined;
  if ('value' in e) return e.value;
  const ref = e.valueFrom && e.valueFrom.configMapKeyRef;
  if (ref) {
    const cm = build.get('ConfigMap', ref.name);
    return cm && cm.data ? cm.data[ref.key] : undefined;
  }
  return undefined;
}

function checkLabels(b, P) {
  for (const o of b.objects) {
    const where = `${b.name} ${id(o)}`;
    const l = labelsOf(o);
    for (const k of BASE_LABELS) P.check(l[k], where, `missing label ${k}`);
    P.check(l['app.kubernetes.io/part-of'] === undefined || l['app.kubernetes.io/part-of'] === 'golden-thread',
        where, 'app.kubernetes.io/part-of must be golden-thread');
    if (WORKLOAD_KINDS.includes(o.kind) || ['Service', 'ServiceAccount', 'PodDisruptionBudget',
      'HorizontalPodAutoscaler'].includes(o.kind)) {
      P.check(l[VERSION_LABEL], where, `missing label ${VERSION_LABEL}`);
    }
    if (WORKLOAD_KINDS.includes(o.kind)) {
      const tl = o.spec.template.metadata.labels || {};
      for (const k of [...BASE_LABELS, VERSION_LABEL]) P.check(tl[k], where, `pod template lacks label ${k}`);
      const sel = o.spec.selector;
      if (sel) {
        P.check(matchesSelector(sel, tl), where, 'selector does not match its own pod template');
        P.check(!(VERSION_LABEL in (sel.matchLabels || {})), where, 'version label must not be in the selector');
      }
    }
  }
}

function checkNamespaces(b, P) {
  const ns = NAMESPACE[b.env];
  const nsObj = b.get('Namespace', ns);
  if (P.check(nsObj, b.name, `no Namespace ${ns}`)) {
    P.check(labelsOf(nsObj)['pod-security.kubernetes.io/enforce'] === 'restricted', `${b.name} Namespace/${ns}`,
        'must enforce the restricted Pod Security Standard');
  }
  for (const o of b.objects) {
    if (o.kind === 'Namespace') continue;
    P.check(o.metadata.namespace === ns, `${b.name} ${id(o)}`, `namespace ${o.metadata.namespace}, expected ${ns}`);
  }
}

function checkPodSecurity(b, P) {
  for (const w of b.objects.filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
    const where = `${b.name} ${id(w)}`;
    const spec = podSpec(w);
    const psc = spec.securityContext || {};
    P.check(psc.runAsNonRoot === true, where, 'pod securityContext.runAsNonRoot must be true');
    P.check(psc.seccompProfile && psc.seccompProfile.type === 'RuntimeDefault', where,
        'pod seccompProfile must be RuntimeDefault');
    P.check(!spec.hostNetwork && !spec.hostPID && !spec.hostIPC, where, 'no host namespaces');
    P.check(!(spec.volumes || []).some((v) => v.hostPath), where, 'no hostPath volumes');
    P.check(spec.automountServiceAccountToken === false, where, 'automountServiceAccountToken must be false');
    const sa = spec.serviceAccountName;
    if (P.check(sa, where, 'serviceAccountName must be set')) {
      const saObj = b.get('ServiceAccount', sa);
      if (P.check(saObj, where, `ServiceAccount ${sa} is not in the build`)) {
        P.check(saObj.automountServiceAccountToken === false, `${b.name} ServiceAccount/${sa}`,
            'automountServiceAccountToken must be false');
      }
    }
    for (const c of [...(spec.initContainers || []), ...spec.containers]) {
      const cw = `${where} container ${c.name}`;
      const sc = c.securityContext || {};
      P.check(sc.allowPrivilegeEscalation === false, cw, 'allowPrivilegeEscalation must be false');
      P.check(sc.readOnlyRootFilesystem === true, cw, 'readOnlyRootFilesystem must be true');
      P.check(sc.capabilities && (sc.capabilities.drop || []).includes('ALL') && !(sc.capabilities.add || []).length,
          cw, 'capabilities: drop ALL, add none');
      P.check(sc.privileged !== true, cw, 'must not be privileged');
      P.check((sc.runAsNonRoot ?? psc.runAsNonRoot) === true, cw, 'runAsNonRoot must be true');
      const uid = sc.runAsUser ?? psc.runAsUser;
      P.check(Number.isInteger(uid) && uid > 0, cw, 'runAsUser must be a non-zero uid');
      const r = c.resources || {};
      for (const kind of ['requests', 'limits']) {
        for (const res of ['cpu', 'memory']) {
          P.check(r[kind] && r[kind][res] !== undefined, cw, `resources.${kind}.${res} must be set`);
        }
      }
      P.check(!/:latest$/.test(c.image) && /:[^/]+$/.test(c.image), cw, `image ${c.image} needs a pinned tag`);
    }
  }
}

function checkReferences(b, P) {
  const externalSecrets =
      b.env === 'prod' ? DB_SERVICES.map((s) => `${s}-db`).concat([IDENTITY_SECRET]) : [];
  const referenced = new Set();
  for (const w of b.objects.filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
    const where = `${b.name} ${id(w)}`;
    const spec = podSpec(w);
    for (const v of spec.volumes || []) {
      if (v.secret) {
        referenced.add(v.secret.secretName);
        P.check(b.get('Secret', v.secret.secretName) || externalSecrets.includes(v.secret.secretName), where,
            `volume ${v.name}: Secret ${v.secret.secretName} is neither in the build nor a documented external Secret`);
      }
      if (v.configMap) P.check(b.get('ConfigMap', v.configMap.name), where, `ConfigMap ${v.configMap.name} missing`);
    }
    for (const c of spec.containers) {
      const mounts = (c.volumeMounts || []).map((m) => m.name);
      const claims = ((w.spec.volumeClaimTemplates) || []).map((t) => t.metadata.name);
      for (const m of mounts) {
        P.check((spec.volumes || []).some((v) => v.name === m) || claims.includes(m), where, `mount of unknown volume ${m}`);
      }
      for (const e of c.env || []) {
        const ref = e.valueFrom && (e.valueFrom.configMapKeyRef || e.valueFrom.secretKeyRef);
        if (!ref) continue;
        const kind = e.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret';
        const obj = b.get(kind, ref.name);
        if (P.check(obj, where, `env ${e.name}: ${kind} ${ref.name} missing`) && kind === 'ConfigMap') {
          P.check(obj.data && ref.key in obj.data, where, `env ${e.name}: key ${ref.key} not in ConfigMap ${ref.name}`);
        }
      }
      for (const e of c.envFrom || []) {
        if (e.configMapRef) P.check(b.get('ConfigMap', e.configMapRef.name), where, `envFrom ConfigMap ${e.configMapRef.name} missing`);
      }
    }
  }
  if (b.env === 'prod') {
    for (const s of externalSecrets) P.check(referenced.has(s), b.name, `external Secret ${s} is documented but not used`);
    P.check(b.all('Secret').length === 0, b.name, 'prod must not generate Secrets: database URIs come from outside git');
  }
}

function checkServices(b, P) {
  const cfg = b.generated('ConfigMap', 'golden-thread-config');
  P.check(cfg, b.name, 'ConfigMap golden-thread-config missing');
  for (const [svc, f] of Object.entries(SERVICES)) {
    const where = `${b.name} ${svc}`;
    const service = b.get('Service', svc);
    const dep = b.get('Deployment', svc);
    if (!P.check(service, where, 'Service missing') || !P.check(dep, where, 'Deployment missing')) continue;
    P.check(labelsOf(dep)['app.kubernetes.io/component'] === f.component, where, `component label must be ${f.component}`);
    // Service: ports named grpc and metrics, selecting exactly this Deployment.
    const port = (n) => (service.spec.ports || []).find((p) => p.name === n);
    P.check(port('grpc') && port('grpc').port === f.grpc, where, `Service port grpc must be ${f.grpc}`);
    P.check(port('metrics') && port('metrics').port === f.metrics, where, `Service port metrics must be ${f.metrics}`);
    const selected = b.objects.filter((o) => WORKLOAD_KINDS.includes(o.kind) &&
      matchesSelector({matchLabels: service.spec.selector}, o.spec.template.metadata.labels));
    P.check(selected.length === 1 && selected[0] === dep, where,
        `Service selector must match only Deployment/${svc}, matches ${selected.map(id).join(', ') || 'nothing'}`);
    // The container.
    const c = podSpec(dep).containers.find((x) => x.name === svc);
    if (!P.check(c, where, `no container named ${svc}`)) continue;
    P.check(new RegExp(`(^|/)${svc}:[^/]+$`).test(c.image), where, `image ${c.image} is not ${svc}'s`);
    const cport = (n) => (c.ports || []).find((p) => p.name === n);
    P.check(cport('grpc') && cport('grpc').containerPort === f.grpc, where, `containerPort grpc must be ${f.grpc}`);
    P.check(cport('metrics') && cport('metrics').containerPort === f.metrics, where, `containerPort metrics must be ${f.metrics}`);
    P.check(envValue(b, c, 'GT_GRPC_PORT') === String(f.grpc), where, `GT_GRPC_PORT must be ${f.grpc}`);
    P.check(envValue(b, c, 'GT_METRICS_PORT') === String(f.metrics), where, `GT_METRICS_PORT must be ${f.metrics}`);
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      const p = c[probe];
      P.check(p && p.grpc && p.grpc.port === f.grpc, where, `${probe} must be a native gRPC probe on ${f.grpc}`);
    }
    // Shutdown: the pod must outlive delay + grace.
    const delay = Number(envValue(b, c, 'GT_SHUTDOWN_DELAY_SECONDS'));
    const grace = Number(envValue(b, c, 'GT_SHUTDOWN_GRACE_SECONDS'));
    P.check(delay === 5, where, `GT_SHUTDOWN_DELAY_SECONDS must be 5, is ${delay}`);
    P.check(Number.isFinite(grace) && grace > 0, where, 'GT_SHUTDOWN_GRACE_SECONDS must be set');
    const tgps = podSpec(dep).terminationGracePeriodSeconds;
    P.check(tgps > delay + grace, where, `terminationGracePeriodSeconds ${tgps} must exceed delay ${delay} + grace ${grace}`);
    // Backends it calls, by ConfigMap, pointing at the right Service and port.
    for (const callee of Object.keys(ADDR_ENV)) {
      const v = envValue(b, c, ADDR_ENV[callee]);
      if (CALLS[svc].includes(callee)) {
        P.check(v === `${callee}:${SERVICES[callee].grpc}`, where, `${ADDR_ENV[callee]} must be ${callee}:${SERVICES[callee].grpc}, is ${v}`);
      } else {
        P.check(v === undefined, where, `${ADDR_ENV[callee]} set but ${svc} does not call ${callee}`);
      }
    }
    // Database: a URI only from a Secret mounted as a file.
    P.check(!(c.env || []).some((e) => e.name === 'GT_MYSQL_URI'), where, 'GT_MYSQL_URI (a password) must not be an env value');
    P.check(![...(c.args || []), ...(c.command || [])].some((a) => /^--mysql_uri(=|$)/.test(a)), where,
        '--mysql_uri must not be passed: use --mysql_uri_file');
    checkDbMount(b, P, where, dep, c, svc);
    checkIdentityMount(b, P, where, dep, c);
    // Disruption and scaling.
    const pdb = b.get('PodDisruptionBudget', svc);
    if (P.check(pdb, where, 'PodDisruptionBudget missing')) {
      P.check(matchesSelector(pdb.spec.selector, dep.spec.template.metadata.labels), where, 'PDB does not select the pods');
      P.check(pdb.spec.maxUnavailable !== undefined && pdb.spec.minAvailable === undefined, where,
          'PDB should use maxUnavailable so one-replica installs can still drain nodes');
    }
    const hpa = b.get('HorizontalPodAutoscaler', svc);
    if (b.env === 'dev') {
      P.check(!hpa, where, 'dev has no autoscalers');
      P.check(dep.spec.replicas === 1, where, `dev runs one replica, not ${dep.spec.replicas}`);
    } else {
      P.check(dep.spec.replicas === undefined, where, 'replicas must be left to the HPA');
      if (P.check(hpa, where, 'HorizontalPodAutoscaler missing')) {
        const t = hpa.spec.scaleTargetRef;
        P.check(t.kind === 'Deployment' && t.name === svc && t.apiVersion === 'apps/v1', where, 'HPA must target the Deployment');
        P.check(hpa.spec.minReplicas >= 2, where, `prod needs at least 2 replicas, HPA minReplicas is ${hpa.spec.minReplicas}`);
        P.check(hpa.spec.maxReplicas >= hpa.spec.minReplicas, where, 'HPA maxReplicas below minReplicas');
      }
    }
  }
}

function isIdentitySecret(name) {
  return name === IDENTITY_SECRET || new RegExp(`^${IDENTITY_SECRET}-[a-z0-9]{10}$`).test(name);
}

// The identity key: GT_IDENTITY_KEY_FILE names a file in a read-only mount of
// the identity Secret, which holds a key of at least 32 characters when the
// build carries it.
function checkIdentityMount(b, P, where, workload, c) {
  const file = envValue(b, c, 'GT_IDENTITY_KEY_FILE');
  if (!P.check(file === IDENTITY_FILE, where, `GT_IDENTITY_KEY_FILE must be ${IDENTITY_FILE}`)) return;
  const mount = (c.volumeMounts || []).find((m) => path.posix.dirname(file) === m.mountPath.replace(/\/$/, ''));
  if (!P.check(mount, where, `nothing is mounted at ${path.posix.dirname(file)}`)) return;
  P.check(mount.readOnly === true, where, 'the identity Secret must be mounted read-only');
  const vol = (podSpec(workload).volumes || []).find((v) => v.name === mount.name);
  if (!P.check(vol && vol.secret && isIdentitySecret(vol.secret.secretName), where,
      `${file} must come from the Secret ${IDENTITY_SECRET}`)) return;
  const secret = b.get('Secret', vol.secret.secretName);
  if (secret) {
    const key = decodeSecret(secret, path.posix.basename(file));
    P.check(key !== undefined && key.trim().length >= 32, where,
        `Secret ${vol.secret.secretName} must hold key \`key\` of at least 32 characters`);
  }
}

function checkDbMount(b, P, where, workload, c, svc) {
  const file = envValue(b, c, 'GT_MYSQL_URI_FILE');
  const db = SERVICES[svc].db;
  if (!db) {
    P.check(file === undefined, where, `${svc} has no database but is given GT_MYSQL_URI_FILE`);
    P.check(!(podSpec(workload).volumes || []).some((v) => v.secret && !isIdentitySecret(v.secret.secretName)),
        where, `${svc} has no database: no Secret volume but the identity key`);
    return;
  }
  if (!P.check(file, where, 'GT_MYSQL_URI_FILE must be set')) return;
  const mount = (c.volumeMounts || []).find((m) => path.posix.dirname(file) === m.mountPath.replace(/\/$/, ''));
  if (!P.check(mount, where, `nothing is mounted at ${path.posix.dirname(file)}`)) return;
  P.check(mount.readOnly === true, where, 'the database Secret must be mounted read-only');
  const vol = (podSpec(workload).volumes || []).find((v) => v.name === mount.name);
  if (!P.check(vol && vol.secret, where, `${file} must come from a Secret volume`)) return;
  const secretName = vol.secret.secretName;
  P.check(secretName === `${svc}-db` || new RegExp(`^${svc}-db-[a-z0-9]{10}$`).test(secretName), where,
      `the database Secret of ${svc} must be ${svc}-db, is ${secretName}`);
  const key = path.posix.basename(file);
  const secret = b.get('Secret', secretName);
  if (secret) {
    const uri = decodeSecret(secret, key);
    if (P.check(uri !== undefined, where, `Secret ${secretName} has no key ${key}`)) {
      const m = /^mysql:\/\/([^:@/]+):([^@/]+)@([^:/]+):(\d+)\/([A-Za-z0-9_]+)$/.exec(uri);
      P.check(m && m[5] === db, where, `Secret ${secretName} must hold mysql://user:password@host:port/${db}`);
      if (m && b.env === 'dev') P.check(m[3] === 'mysql' && m[4] === '3306', where, 'dev URI must point at mysql:3306');
    }
  }
}

function checkMigrationJob(b, P) {
  const job = b.get('Job', 'golden-thread-migrate');
  if (!P.check(job, b.name, 'migration Job golden-thread-migrate missing')) return;
  const where = `${b.name} Job/golden-thread-migrate`;
  const containers = podSpec(job).containers;
  P.check(util.isDeepStrictEqual(containers.map((c) => c.name).sort(), [...DB_SERVICES].sort()), where,
      `must run exactly the database-owning services ${DB_SERVICES.join(', ')}`);
  P.check(['OnFailure', 'Never'].includes(podSpec(job).restartPolicy), where, 'restartPolicy must be OnFailure or Never');
  for (const c of containers) {
    const dep = b.get('Deployment', c.name);
    P.check(util.isDeepStrictEqual(c.args, ['--migrate_only']), where, `${c.name}: args must be [--migrate_only]`);
    if (dep) {
      P.check(c.image === podSpec(dep).containers[0].image, where,
          `${c.name}: image ${c.image} differs from the Deployment's ${podSpec(dep).containers[0].image}`);
    }
    if (SERVICES[c.name]) checkDbMount(b, P, `${where} container ${c.name}`, job, c, c.name);
  }
}

function checkDatabase(b, P) {
  const sts = b.get('StatefulSet', 'mysql');
  if (b.env === 'prod') {
    P.check(b.all('StatefulSet').length === 0, b.name, 'prod uses an external MySQL: no StatefulSet');
    return;
  }
  if (!P.check(sts, b.name, 'dev needs the mysql StatefulSet')) return;
  const where = `${b.name} StatefulSet/mysql`;
  P.check(/^mysql:8(\.|$)/.test(podSpec(sts).containers[0].image), where, 'must run MySQL 8');
  P.check((sts.spec.volumeClaimTemplates || []).some((t) => t.metadata.name === 'data'), where, 'needs a volumeClaimTemplate "data"');
  const svc = b.get('Service', sts.spec.serviceName);
  P.check(svc && svc.spec.clusterIP === 'None' && svc.spec.ports.some((p) => p.port === 3306), where,
      'needs a headless governing Service on 3306');
  const env = podSpec(sts).containers[0].env || [];
  P.check(!env.some((e) => e.name === 'MYSQL_ROOT_PASSWORD' && 'value' in e), where, 'root password must not be inline');
}

function checkMonitoring(b, P) {
  const sms = b.all('ServiceMonitor');
  if (!b.full) {
    P.check(sms.length === 0 && b.all('PrometheusRule').length === 0 && b.all('NetworkPolicy').length === 0, b.name,
        'components must be opt-in: no ServiceMonitor, PrometheusRule or NetworkPolicy in a plain overlay');
    return;
  }
  for (const svc of Object.keys(SERVICES)) {
    const where = `${b.name} ServiceMonitor/${svc}`;
    const sm = sms.find((s) => s.metadata.name === svc);
    if (!P.check(sm, where, 'missing')) continue;
    const selected = b.all('Service').filter((s) => s.metadata.namespace === sm.metadata.namespace &&
      matchesSelector(sm.spec.selector, labelsOf(s)));
    P.check(selected.length === 1 && selected[0].metadata.name === svc, where,
        `must select only Service/${svc}, selects ${selected.map(id).join(', ') || 'nothing'}`);
    P.check(sm.spec.endpoints.every((e) => e.port === 'metrics' && (e.path || '/metrics') === '/metrics'), where,
        'endpoints must scrape port "metrics" at /metrics');
    // job = value of the jobLabel label on the Service (default: Service name).
    const job = sm.spec.jobLabel ? labelsOf(selected[0] || {})[sm.spec.jobLabel] : (selected[0] || {metadata: {}}).metadata.name;
    P.check(job === svc, where, `job label would be "${job}", the rules and dashboards expect "${svc}"`);
  }
  const pr = b.get('PrometheusRule', 'golden-thread');
  if (P.check(pr, b.name, 'PrometheusRule golden-thread missing')) {
    P.check(util.isDeepStrictEqual(pr.spec.groups, readYamlFile(RULES_FILE).groups), b.name,
        'built PrometheusRule differs from rules/goldenthread.rules.yml');
  }
  const files = fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort();
  const cms = b.all('ConfigMap').filter((c) => labelsOf(c).grafana_dashboard === '1');
  P.check(cms.length === files.length, b.name, `expected ${files.length} dashboard ConfigMaps, found ${cms.length}`);
  for (const cm of cms) {
    const keys = Object.keys(cm.data || {});
    P.check(keys.length === 1 && files.includes(keys[0]), `${b.name} ${id(cm)}`, `must hold exactly one of ${files.join(', ')}`);
    for (const k of keys) {
      try {
        P.check(JSON.parse(cm.data[k]).uid, `${b.name} ${id(cm)}`, `${k} has no uid`);
      } catch (e) {
        P.add(`${b.name} ${id(cm)}`, `${k} is not JSON: ${e.message}`);
      }
    }
  }
}

function checkNetworkPolicies(b, P) {
  if (!b.full) return;
  const ns = NAMESPACE[b.env];
  const policies = b.all('NetworkPolicy');
  const deny = policies.find((p) => p.metadata.name === 'default-deny-all');
  P.check(deny && Object.keys(deny.spec.podSelector).length === 0 &&
      util.isDeepStrictEqual([...deny.spec.policyTypes].sort(), ['Egress', 'Ingress']) &&
      !deny.spec.ingress && !deny.spec.egress, b.name, 'default-deny-all must deny all ingress and egress');
  const nsLabels = labelsOf(b.get('Namespace', ns));
  const cluster = new Cluster({[ns]: nsLabels, 'monitoring': {}, 'kube-system': {}, 'other': {}}, policies);
  const pods = {};
  for (const w of b.objects.filter((o) => WORKLOAD_KINDS.includes(o.kind))) {
    const ports = {};
    for (const c of podSpec(w).containers) for (const p of c.ports || []) if (p.name) ports[p.name] = p.containerPort;
    pods[w.metadata.name] = {namespace: ns, labels: w.spec.template.metadata.labels, ports};
  }
  for (const p of policies) {
    const sel = p.spec.podSelector;
    if (Object.keys(sel).length === 0) continue;
    P.check(Object.values(pods).some((pod) => matchesSelector(sel, pod.labels)) ||
        (b.env === 'prod' && p.metadata.name === 'mysql'), `${b.name} NetworkPolicy/${p.metadata.name}`, 'selects no pod');
  }
  const ext = {
    internet: {external: true, ip: '203.0.113.10'},
    externalMysql: {external: true, ip: '10.20.0.5'},
    prometheus: {namespace: 'monitoring', labels: {'app.kubernetes.io/name': 'prometheus'}},
    otherMonitoring: {namespace: 'monitoring', labels: {'app.kubernetes.io/name': 'grafana'}},
    dns: {namespace: 'kube-system', labels: {'k8s-app': 'kube-dns'}},
    stranger: {namespace: ns, labels: {'app.kubernetes.io/name': 'debug-shell'}},
    otherNs: {namespace: 'other', labels: {'app.kubernetes.io/name': 'plan-service'}},
  };
  const ep = (n) => pods[n] || ext[n];
  const mysql = b.env === 'dev' ? 'mysql' : 'externalMysql';
  const expect = [];
  const allow = (s, d, port, proto) => expect.push([true, s, d, port, proto]);
  const deny_ = (s, d, port, proto) => expect.push([false, s, d, port, proto]);
  allow('internet', 'gateway', 50050);
  allow('otherNs', 'gateway', 50050);
  // Anything else started in the namespace (a debug pod) gets nothing.
  deny_('stranger', 'gateway', 50050);
  for (const [svc, callees] of Object.entries(CALLS)) {
    for (const callee of Object.keys(ADDR_ENV)) {
      if (callee === svc) continue;
      (callees.includes(callee) ? allow : deny_)(svc, callee, SERVICES[callee].grpc);
    }
    allow('prometheus', svc, SERVICES[svc].metrics);
    deny_('otherMonitoring', svc, SERVICES[svc].metrics);
    deny_('internet', svc, SERVICES[svc].metrics);
    allow(svc, 'dns', 53, 'UDP');
    allow(svc, 'dns', 53, 'TCP');
    deny_(svc, 'internet', 443);
    (SERVICES[svc].db ? allow : deny_)(svc, mysql, 3306);
    if (svc !== 'gateway') {
      deny_('prometheus', svc, SERVICES[svc].grpc);
      deny_('internet', svc, SERVICES[svc].grpc);
      deny_('stranger', svc, SERVICES[svc].grpc);
      deny_('otherNs', svc, SERVICES[svc].grpc);
    }
  }
  allow('golden-thread-migrate', mysql, 3306);
  allow('golden-thread-migrate', 'dns', 53, 'UDP');
  deny_('golden-thread-migrate', 'plan-service', 50051);
  deny_('golden-thread-migrate', 'internet', 443);
  if (b.env === 'dev') {
    deny_('stranger', 'mysql', 3306);
    deny_('internet', 'mysql', 3306);
    deny_('mysql', 'internet', 443);
  }
  for (const [want, s, d, port, proto = 'TCP'] of expect) {
    const got = cluster.allowed(ep(s), ep(d), port, proto);
    P.check(got === want, `${b.name} network`, `${s} -> ${d}:${port}/${proto} is ${got ? 'allowed' : 'refused'}, ` +
        `should be ${want ? 'allowed' : 'refused'}`);
  }
  return expect.length;
}

// Validates builds ([Build]); returns {problems: Problems, lines: [summary]}.
function validateBuilds(builds, {schemaOnly = false} = {}) {
  const P = new Problems();
  const lines = [];
  const typeErrors = validateWithTypes(builds.map((b) => ({name: b.name, objects: b.objects})));
  for (const b of builds) {
    if (!P.check(b.objects.length > 0, b.name, 'empty build')) continue;
    for (const e of [...validateWithModels(b.objects), ...typeErrors.get(b.name)]) {
      P.add(`${b.name} ${id(b.objects[e.index])}`, e.message);
    }
    if (schemaOnly) continue;
    checkNamespaces(b, P);
    checkLabels(b, P);
    checkPodSecurity(b, P);
    checkReferences(b, P);
    checkServices(b, P);
    checkMigrationJob(b, P);
    checkDatabase(b, P);
    checkMonitoring(b, P);
    const flows = checkNetworkPolicies(b, P);
    const kinds = {};
    for (const o of b.objects) kinds[o.kind] = (kinds[o.kind] || 0) + 1;
    lines.push(`${b.name}: ${b.objects.length} objects (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})` +
               (flows ? `; ${flows} network flows checked` : ''));
  }
  return {problems: P, lines};
}

function loadBuilds(pairs) {
  return pairs.map((a) => {
    const eq = a.indexOf('=');
    if (eq < 1) throw new Error(`argument ${a}: expected NAME=FILE`);
    const file = a.slice(eq + 1);
    return new Build(a.slice(0, eq), readYamlAll(fs.readFileSync(file, 'utf8'), file));
  });
}

function main(argv) {
  const args = argv.slice(2);
  const schemaOnly = args[0] === '--schema-only';
  const builds = loadBuilds(schemaOnly ? args.slice(1) : args);
  if (builds.length === 0) {
    console.error('usage: node validate_manifests.js [--schema-only] NAME=FILE...');
    return 2;
  }
  const {problems, lines} = validateBuilds(builds, {schemaOnly});
  for (const l of lines) console.log(l);
  return problems.report(`ok: ${builds.map((b) => b.name).join(', ')} valid` +
                         (schemaOnly ? ' (schemas only)' : ' (schemas and suite rules)'));
}

module.exports = {Build, validateBuilds, loadBuilds};

if (require.main === module) {
  process.exitCode = main(process.argv);
}
