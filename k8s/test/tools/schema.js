'use strict';
// Offline schema validation of Kubernetes objects, two ways:
//  1. kubernetes-models' JSON-schema validators (ajv): types, required fields,
//     formats (quantities, int32), enums and patterns of the CRDs;
//  2. TypeScript's excess-property check against the same models' type
//     declarations: the ajv schemas allow unknown fields, so a misspelt field
//     (`readinesProbe`) would pass (1) and be rejected by the API server's
//     strict field validation. Every object becomes a typed object literal and
//     tsc reports any property its type does not declare.
const fs = require('fs');
const os = require('os');
const path = require('path');

const NODE_MODULES = path.resolve(__dirname, '..', 'node_modules');

// apiVersion -> module directory, for the groups the suite uses (and the
// other built-in ones, so that a new kind needs no change here).
function moduleFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  let dir;
  if (apiVersion.startsWith('monitoring.coreos.com/')) {
    dir = `@kubernetes-models/prometheus-operator/${apiVersion}`;
  } else if (!apiVersion.includes('/')) {
    dir = `kubernetes-models/${apiVersion}`;  // core group: "v1"
  } else {
    dir = `kubernetes-models/${apiVersion}`;
  }
  const spec = `${dir}/${kind}`;
  try {
    const resolved = require.resolve(spec, {paths: [NODE_MODULES]});
    return {spec, resolved, dts: resolved.replace(/\.js$/, '.d.ts')};
  } catch (e) {
    return null;
  }
}

// Returns [{index, message}] for objects that fail the JSON-schema check.
function validateWithModels(objects) {
  const errors = [];
  objects.forEach((obj, index) => {
    const mod = moduleFor(obj.apiVersion, obj.kind);
    if (!mod) {
      errors.push({index, message: `no schema for apiVersion ${obj.apiVersion} kind ${obj.kind}`});
      return;
    }
    const Cls = require(mod.resolved)[obj.kind];
    if (typeof Cls !== 'function') {
      errors.push({index, message: `kubernetes-models has no class ${obj.kind} in ${mod.spec}`});
      return;
    }
    const copy = JSON.parse(JSON.stringify(obj));
    if (copy.kind === 'Secret' && copy.data) {
      // kustomize wraps long base64 values over lines; the API server's
      // decoder (Go encoding/base64) ignores the newlines, the schema's regex
      // does not.
      for (const k of Object.keys(copy.data)) copy.data[k] = String(copy.data[k]).replace(/[\r\n]/g, '');
    }
    try {
      new Cls(copy).validate();
    } catch (e) {
      errors.push({index, message: `schema: ${e.message}`});
    }
  });
  return errors;
}

// sets: [{name, objects}] -> Map name -> [{index, message}] from TypeScript.
function validateWithTypes(sets) {
  const ts = require(require.resolve('typescript', {paths: [NODE_MODULES]}));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt-k8s-types-'));
  const files = [];
  const lineToIndex = new Map();
  const result = new Map(sets.map((s) => [s.name, []]));
  try {
    for (const set of sets) {
      const imports = new Map();
      const lines = [];
      const idx = [];
      set.objects.forEach((obj, i) => {
        const mod = moduleFor(obj.apiVersion, obj.kind);
        if (!mod) return;  // reported by validateWithModels
        let alias = imports.get(mod.dts);
        if (!alias) {
          alias = `T${imports.size}`;
          imports.set(mod.dts, alias);
        }
        lines.push(`export const o${i}: ${alias} = ${JSON.stringify(obj)};`);
        idx.push(i);
      });
      const head = [...imports].map(([dts, alias]) => {
        const kind = path.basename(dts, '.d.ts');
        const from = dts.replace(/\.d\.ts$/, '');
        return `import type { I${kind} as ${alias} } from ${JSON.stringify(from)};`;
      });
      const file = path.join(dir, `${set.name.replace(/[^A-Za-z0-9_-]/g, '_')}.ts`);
      fs.writeFileSync(file, [...head, ...lines].join('\n') + '\n');
      files.push(file);
      lineToIndex.set(file, {set: set.name, first: head.length, idx});
    }
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, skipLibCheck: true, types: [],
      lib: ['lib.es2020.d.ts'], target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      const info = d.file && lineToIndex.get(path.resolve(d.file.fileName));
      if (!info) {
        // A broken type setup must fail loudly, not pass silently.
        throw new Error(`TypeScript: ${message}`);
      }
      const {line} = d.file.getLineAndCharacterOfPosition(d.start);
      const index = info.idx[line - info.first];
      result.get(info.set).push({index, message: `fields: ${message}`});
    }
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
  return result;
}

module.exports = {moduleFor, validateWithModels, validateWithTypes};
