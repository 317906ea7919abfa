'use strict';
// Every PromQL expression of the Grafana dashboards and the alert rules, one
// per line as  SOURCE<TAB>EXPR  (newlines in EXPR folded to spaces).
//
//   node promql_exprs.js [--raw] [--rate-interval=1m] [--range=1h]
//   node promql_exprs.js --check [--promtool=PATH] [--from=FILE]
//
// By default Grafana's variables are replaced so that each line is plain
// PromQL a Prometheus can evaluate: $__rate_interval/$__interval -> the rate
// interval (1m), $__range -> the range (1h), and every dashboard variable
// (used only inside =~"..." matchers) -> .* (Grafana's "All"). A variable
// query label_values(SELECTOR, LABEL) becomes count by (LABEL) (SELECTOR).
// --raw prints the expressions as written.
//
// --check parses every substituted expression with Prometheus' own PromQL
// grammar (@prometheus-io/lezer-promql), checks that it uses only metric names
// the services export (common.js KNOWN_METRICS) and, with promtool, that
// Prometheus itself accepts it (each becomes a recording rule in a temporary
// rules file for `promtool check rules`). --from checks the SOURCE<TAB>EXPR
// lines of FILE instead (used to prove the check can fail).
const fs = require('fs');
const os = require('os');
const path = require('path');
const {spawnSync} = require('child_process');
const {DASHBOARD_DIR, RULES_FILE, KNOWN_METRICS, readYamlFile, rel, Problems, YAML} = require('./common');
const {allPanels} = require('./dashboards');

function dashboardExprs() {
  const out = [];
  for (const f of fs.readdirSync(DASHBOARD_DIR).filter((x) => x.endsWith('.json')).sort()) {
    const file = path.join(DASHBOARD_DIR, f);
    const d = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const v of (d.templating && d.templating.list) || []) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : v.query.query;
      out.push({source: `${rel(file)} variable ${v.name}`, expr: q, variableQuery: true});
    }
    for (const p of allPanels(d)) {
      for (const t of p.targets || []) {
        out.push({source: `${rel(file)} panel ${p.id} "${p.title}" target ${t.refId}`, expr: t.expr});
      }
    }
  }
  return out;
}

function ruleExprs() {
  const out = [];
  for (const g of readYamlFile(RULES_FILE).groups) {
    for (const r of g.rules) {
      out.push({source: `${rel(RULES_FILE)} group ${g.name} ${r.alert ? 'alert' : 'record'} ${r.alert || r.record}`,
                expr: r.expr});
    }
  }
  return out;
}

function labelValuesToPromQL(q) {
  const m = /^\s*label_values\(\s*(.+)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s.exec(q);
  if (!m) throw new Error(`unsupported variable query: ${q}`);
  return `count by (${m[2]}) (${m[1]})`;
}

function substitute(expr, {rateInterval, range}) {
  return expr
    .replace(/\$\{?__rate_interval\}?|\$\{?__interval\}?/g, rateInterval)
    .replace(/\$\{?__range\}?/g, range)
    .replace(/\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]/g, '.*');
}

function collect(opts) {
  return [...dashboardExprs(), ...ruleExprs()].map((e) => {
    let expr = e.expr;
    if (!opts.raw) {
      if (e.variableQuery) expr = labelValuesToPromQL(expr);
      expr = substitute(expr, opts);
    }
    return {source: e.source, expr: expr.replace(/\s*\n\s*/g, ' ').trim()};
  });
}

// Metric names of an expression, from the PromQL syntax tree; errors if it
// does not parse.
function analyse(parser, expr) {
  const tree = parser.parse(expr);
  const errors = [];
  const metrics = new Set();
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push(`syntax error at ${n.from}: "${expr.slice(Math.max(0, n.from - 15), n.from + 15)}"`);
      if (n.name === 'VectorSelector') {
        const ident = n.node.getChild('Identifier');
        if (ident) metrics.add(expr.slice(ident.from, ident.to));
      }
      if (n.name === 'UnquotedLabelMatcher' || n.name === 'QuotedLabelMatcher') {
        const text = expr.slice(n.from, n.to);
        const m = /^__name__\s*(=~|!=|!~|=)\s*"([^"]*)"$/.exec(text);
        if (m) metrics.add(m[1] === '=' ? m[2] : `{__name__${m[1]}"${m[2]}"}`);
      }
    },
  });
  return {errors, metrics};
}

async function check(exprs, promtool) {
  const {parser} = await import('@prometheus-io/lezer-promql');
  const P = new Problems();
  const used = new Set();
  for (const e of exprs) {
    const {errors, metrics} = analyse(parser, e.expr);
    for (const err of errors) P.add(e.source, `${err} in ${e.expr}`);
    P.check(metrics.size > 0, e.source, `selects no metric: ${e.expr}`);
    for (const m of metrics) {
      used.add(m);
      P.check(KNOWN_METRICS.has(m), e.source, `metric ${m} is not one the services export`);
    }
  }
  if (promtool) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-promql-'));
    try {
      const file = path.join(dir, 'exprs.rules.yml');
      const rules = exprs.map((e, i) => ({record: `gt_check:expr_${i}`, expr: e.expr}));
      fs.writeFileSync(file, YAML.stringify({groups: [{name: 'every-expression', rules}]}, {lineWidth: 0}));
      const r = spawnSync(promtool, ['check', 'rules', file], {encoding: 'utf8'});
      if (r.error) {
        P.add('promtool', r.error.message);
      } else if (r.status !== 0) {
        const out = `${r.stdout}${r.stderr}`;
        // Map "group ..., rule N" back to the source.
        const named = out.replace(/rule (\d+)/g, (all, n) => {
          const e = exprs[Number(n) - 1];
          return e ? `${all} (${e.source})` : all;
        });
        P.add('promtool check rules', named.trim());
      }
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  }
  const unused = [...KNOWN_METRICS].filter((m) => !used.has(m) && !/_(sum|count)$/.test(m));
  return P.report(`ok: ${exprs.length} expressions parse${promtool ? ' (lezer-promql and promtool)' : ''}, ` +
                  `${used.size} metric names, all exported by the services` +
                  (unused.length ? `; not used anywhere: ${unused.join(', ')}` : ''));
}

async function main(argv) {
  const opts = {raw: false, rateInterval: '1m', range: '1h', check: false, promtool: null, from: null};
  for (const a of argv.slice(2)) {
    if (a === '--raw') opts.raw = true;
    else if (a === '--check') opts.check = true;
    else if (a.startsWith('--rate-interval=')) opts.rateInterval = a.split('=')[1];
    else if (a.startsWith('--range=')) opts.range = a.split('=')[1];
    else if (a.startsWith('--promtool=')) opts.promtool = a.split('=')[1];
    else if (a.startsWith('--from=')) opts.from = a.slice('--from='.length);
    else {
      console.error('usage: node promql_exprs.js [--raw] [--rate-interval=1m] [--range=1h] | --check [--promtool=PATH] [--from=FILE]');
      return 2;
    }
  }
  if (opts.check && opts.raw) {
    console.error('--check works on substituted expressions; drop --raw');
    return 2;
  }
  const exprs = opts.from ?
    fs.readFileSync(opts.from, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
      const [source, expr] = l.split('\t');
      return {source, expr};
    }) : collect(opts);
  if (opts.check) return check(exprs, opts.promtool);
  process.stdout.write(exprs.map((e) => `${e.source}\t${e.expr}\n`).join(''));
  return 0;
}

module.exports = {analyse, collect, substitute, labelValuesToPromQL};

if (require.main === module) {
  main(process.argv).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e.stack || String(e));
    process.exitCode = 1;
  });
}
