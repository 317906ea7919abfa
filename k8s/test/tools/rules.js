'use strict';
// The alert rules live in one place, the PrometheusRule of the monitoring
// component; rules/goldenthread.rules.yml is its spec.groups for plain
// Prometheus and promtool.
//
//   node rules.js sync    rewrite the rules file from the PrometheusRule
//   node rules.js check   exit 1 unless both hold exactly the same groups
//   node rules.js check PROMETHEUSRULE RULESFILE   the same for other files
const fs = require('fs');
const util = require('util');
const common = require('./common');
const {readYamlFile, rel, YAML} = common;

let PROMETHEUS_RULE = common.PROMETHEUS_RULE;
let RULES_FILE = common.RULES_FILE;

const header = () => `# GENERATED from ${rel(common.PROMETHEUS_RULE)} (spec.groups) by
#   node k8s/test/tools/rules.js sync
# Do not edit: change the PrometheusRule and regenerate. The k8s_prometheus_rules
# test fails when the two differ.
`;

function groupsOfPrometheusRule() {
  const pr = readYamlFile(PROMETHEUS_RULE);
  if (pr.kind !== 'PrometheusRule' || !pr.spec || !Array.isArray(pr.spec.groups)) {
    throw new Error(`${rel(PROMETHEUS_RULE)}: not a PrometheusRule with spec.groups`);
  }
  return pr.spec.groups;
}

function render(groups) {
  return header() + YAML.stringify({groups}, {lineWidth: 0, blockQuote: 'literal'});
}

function main(argv) {
  const mode = argv[2];
  if (argv.length === 5) {
    [PROMETHEUS_RULE, RULES_FILE] = argv.slice(3);
  }
  const groups = groupsOfPrometheusRule();
  if (mode === 'sync') {
    fs.writeFileSync(RULES_FILE, render(groups));
    console.log(`wrote ${rel(RULES_FILE)}`);
    return 0;
  }
  if (mode === 'check') {
    if (!fs.existsSync(RULES_FILE)) {
      console.error(`FAIL ${rel(RULES_FILE)} is missing; run: node k8s/test/tools/rules.js sync`);
      return 1;
    }
    const plain = readYamlFile(RULES_FILE);
    const keys = Object.keys(plain);
    if (keys.length !== 1 || keys[0] !== 'groups') {
      console.error(`FAIL ${rel(RULES_FILE)}: top level must be exactly {groups}, got ${keys}`);
      return 1;
    }
    if (!util.isDeepStrictEqual(plain.groups, groups)) {
      // Name the first rule that differs, to make the failure actionable.
      let where = 'the group list';
      for (let i = 0; i < Math.max(plain.groups.length, groups.length); i++) {
        const a = plain.groups[i];
        const b = groups[i];
        if (util.isDeepStrictEqual(a, b)) continue;
        where = `group ${i} (${(b || a).name})`;
        const ra = (a && a.rules) || [];
        const rb = (b && b.rules) || [];
        for (let j = 0; j < Math.max(ra.length, rb.length); j++) {
          if (!util.isDeepStrictEqual(ra[j], rb[j])) {
            where += `, rule ${j} (${(rb[j] || ra[j]).alert || (rb[j] || ra[j]).record})`;
            break;
          }
        }
        break;
      }
      console.error(`FAIL ${rel(RULES_FILE)} differs from ${rel(PROMETHEUS_RULE)} at ${where}; ` +
                    'run: node k8s/test/tools/rules.js sync');
      return 1;
    }
    if (fs.readFileSync(RULES_FILE, 'utf8') !== render(groups)) {
      console.error(`FAIL ${rel(RULES_FILE)} holds the same rules but was edited by hand; ` +
                    'run: node k8s/test/tools/rules.js sync');
      return 1;
    }
    console.log(`ok: ${rel(RULES_FILE)} == spec.groups of ${rel(PROMETHEUS_RULE)} ` +
                `(${groups.length} groups, ${groups.reduce((n, g) => n + g.rules.length, 0)} rules)`);
    return 0;
  }
  console.error('usage: node rules.js sync|check');
  return 2;
}

process.exitCode = main(process.argv);
