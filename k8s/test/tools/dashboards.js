'use strict';
// Checks the Grafana dashboards in components/monitoring/dashboards/:
// valid JSON, unique uids, schemaVersion set, a `datasource` template variable
// (type datasource, query prometheus) that every panel, target and query
// variable refers to as {"type":"prometheus","uid":"${datasource}"}, no
// ${DS_...} import placeholders, unique integer panel ids, sane layout, and no
// undefined template variables in queries.
//
//   node dashboards.js [FILE...]     (default: every *.json there)
const fs = require('fs');
const path = require('path');
const util = require('util');
const {DASHBOARD_DIR, Problems, rel} = require('./common');

const DS_REF = {type: 'prometheus', uid: '${datasource}'};
const BUILTIN_VARS = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', '__range_s',
  '__range_ms', '__dashboard', '__from', '__to']);
const MIN_SCHEMA_VERSION = 36;  // datasource references by {type, uid}

// Every panel, rows' nested panels included.
function allPanels(d) {
  const out = [];
  for (const p of d.panels || []) {
    out.push(p);
    for (const q of p.panels || []) out.push(q);
  }
  return out;
}

// Template variables a query uses: $name, ${name}, ${name:fmt}, [[name]].
function varsUsed(expr) {
  const names = new Set();
  for (const m of expr.matchAll(/\$(?:\{([A-Za-z0-9_]+)(?::[^}]*)?\}|([A-Za-z0-9_]+))|\[\[([A-Za-z0-9_]+)\]\]/g)) {
    names.add(m[1] || m[2] || m[3]);
  }
  return names;
}

function checkDashboard(file, text, P, seenUids) {
  const where = rel(file);
  let d;
  try {
    d = JSON.parse(text);
  } catch (e) {
    P.add(where, `not JSON: ${e.message}`);
    return 0;
  }
  P.check(!/\$\{DS_/.test(text), where, 'contains a ${DS_...} import placeholder');
  P.check(!('__inputs' in d) && !('__requires' in d), where, 'exported "for sharing externally": has __inputs/__requires');
  P.check(typeof d.title === 'string' && d.title.length > 0, where, 'no title');
  if (P.check(typeof d.uid === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(d.uid), where, 'uid must be 1..40 of [A-Za-z0-9_-]')) {
    P.check(!seenUids.has(d.uid), where, `uid ${d.uid} also used by ${seenUids.get(d.uid)}`);
    seenUids.set(d.uid, where);
  }
  P.check(Number.isInteger(d.schemaVersion) && d.schemaVersion >= MIN_SCHEMA_VERSION, where,
      `schemaVersion must be an integer >= ${MIN_SCHEMA_VERSION}, is ${d.schemaVersion}`);
  P.check(d.id === null || d.id === undefined, where, 'id must be null (Grafana assigns it)');

  const vars = (d.templating && d.templating.list) || [];
  const varNames = new Set(vars.map((v) => v.name));
  P.check(varNames.size === vars.length, where, 'duplicate template variable names');
  const dsVar = vars.find((v) => v.name === 'datasource');
  P.check(dsVar && dsVar.type === 'datasource' && dsVar.query === 'prometheus', where,
      'needs template variable "datasource" of type datasource with query prometheus');
  for (const v of vars) {
    if (v.type !== 'query') continue;
    const vw = `${where} variable ${v.name}`;
    P.check(util.isDeepStrictEqual(v.datasource, DS_REF), vw, `datasource must be ${JSON.stringify(DS_REF)}`);
    const q = typeof v.query === 'string' ? v.query : (v.query && v.query.query);
    if (P.check(typeof q === 'string' && q.length > 0, vw, 'no query')) {
      for (const u of varsUsed(q)) P.check(varNames.has(u) || BUILTIN_VARS.has(u), vw, `uses undefined variable $${u}`);
      P.check(![...varsUsed(q)].includes(v.name), vw, 'refers to itself');
    }
  }

  const panels = allPanels(d);
  P.check(panels.length > 0, where, 'no panels');
  const ids = new Map();
  const boxes = [];
  for (const p of panels) {
    const pw = `${where} panel ${p.id} "${p.title}"`;
    if (P.check(Number.isInteger(p.id) && p.id > 0, pw, 'id must be a positive integer')) {
      P.check(!ids.has(p.id), pw, `id ${p.id} also used by "${ids.get(p.id)}"`);
      ids.set(p.id, p.title);
    }
    P.check(typeof p.title === 'string' && p.title.length > 0, pw, 'no title');
    P.check(util.isDeepStrictEqual(p.datasource, DS_REF), pw, `datasource must be ${JSON.stringify(DS_REF)}`);
    const g = p.gridPos || {};
    if (P.check(['h', 'w', 'x', 'y'].every((k) => Number.isInteger(g[k]) && g[k] >= 0) && g.w > 0 && g.h > 0 &&
        g.x + g.w <= 24, pw, 'gridPos must be integers inside the 24-column grid')) {
      for (const [other, og] of boxes) {
        const overlap = g.x < og.x + og.w && og.x < g.x + g.w && g.y < og.y + og.h && og.y < g.y + g.h;
        P.check(!overlap, pw, `overlaps panel "${other}"`);
      }
      boxes.push([p.title, g]);
    }
    if (p.type === 'row') continue;
    const targets = p.targets || [];
    P.check(targets.length > 0, pw, 'no queries');
    const refIds = new Set();
    for (const t of targets) {
      const tw = `${pw} target ${t.refId}`;
      P.check(typeof t.refId === 'string' && !refIds.has(t.refId), tw, 'refId missing or repeated');
      refIds.add(t.refId);
      P.check(util.isDeepStrictEqual(t.datasource, DS_REF), tw, `datasource must be ${JSON.stringify(DS_REF)}`);
      if (P.check(typeof t.expr === 'string' && t.expr.trim().length > 0, tw, 'no expr')) {
        for (const u of varsUsed(t.expr)) P.check(varNames.has(u) || BUILTIN_VARS.has(u), tw, `uses undefined variable $${u}`);
      }
    }
  }
  return panels.length;
}

function main(argv) {
  const files = argv.length > 2 ? argv.slice(2).map((f) => path.resolve(f)) :
    fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(DASHBOARD_DIR, f));
  const P = new Problems();
  P.check(files.length > 0, DASHBOARD_DIR, 'no dashboards');
  const seen = new Map();
  const counts = files.map((f) => `${path.basename(f)} (${checkDashboard(f, fs.readFileSync(f, 'utf8'), P, seen)} panels)`);
  return P.report(`ok: ${counts.join(', ')}`);
}

module.exports = {allPanels, varsUsed, DS_REF};

if (require.main === module) {
  process.exitCode = main(process.argv);
}
