'use strict';
// Static checks of the four service Dockerfiles (no Docker engine is needed or
// used): a Debian 12 builder stage that builds the service with CMake/Ninja in
// Release, and a final debian:12-slim stage that installs only the runtime
// libraries, copies only the binary, runs as a fixed non-root uid, and exposes
// and configures the service's ports. With Debian 12's apt lists present, every
// package named must exist (apt-cache), which catches misspelt names.
//
//   node dockerfiles.js [--no-apt] [--root=DIR]   (DIR holds <service>/Dockerfile; default: the repository)
const fs = require('fs');
const path = require('path');
const {spawnSync} = require('child_process');
const {K8S_DIR, SERVICES, Problems} = require('./common');

let REPO = path.dirname(K8S_DIR);
const BASE = /^(debian:12-slim|debian:12|debian:bookworm(-slim)?)(@sha256:[0-9a-f]{64})?$/;
const BUILD_PACKAGES = ['cmake', 'ninja-build', 'g++', 'protobuf-compiler', 'protobuf-compiler-grpc', 'grpc-proto',
  'libprotobuf-dev', 'libgrpc++-dev', 'libabsl-dev', 'libssl-dev', 'libmysqlcppconn-dev', 'prometheus-cpp-dev',
  'libgtest-dev'];
const RUNTIME_PACKAGES = ['libgrpc++1.51', 'libprotobuf32', 'libmysqlcppconn7v5', 'libprometheus-cpp-pull1.0',
  'libprometheus-cpp-core1.0', 'libabsl20220623', 'libssl3'];
const RUNTIME_ALLOWED_EXTRA = ['ca-certificates', 'tzdata'];

// Instructions as {op, args}, continuation lines joined, comments dropped.
function parse(text) {
  const lines = text.split('\n');
  const out = [];
  let cur = '';
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line) && !cur) continue;
    if (/^\s*#/.test(line)) continue;  // comment inside a continued instruction
    if (/\\\s*$/.test(line)) {
      cur += line.replace(/\\\s*$/, ' ');
      continue;
    }
    cur += line;
    if (cur.trim()) {
      const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(cur.trim());
      if (m) out.push({op: m[1].toUpperCase(), args: m[2].trim()});
    }
    cur = '';
  }
  return out;
}

function aptInstalled(run) {
  const pkgs = [];
  for (const m of run.matchAll(/apt-get\s+install\s+([^&;|]*)/g)) {
    for (const w of m[1].split(/\s+/)) if (w && !w.startsWith('-')) pkgs.push(w);
  }
  return pkgs;
}

function checkDockerfile(svc, P, aptCheck) {
  const f = SERVICES[svc];
  const file = path.join(REPO, svc, 'Dockerfile');
  const where = `${svc}/Dockerfile`;
  if (!P.check(fs.existsSync(file), where, 'missing')) return [];
  const ins = parse(fs.readFileSync(file, 'utf8'));
  // ARG defaults before the first FROM may name the base image.
  const globalArgs = {};
  for (const i of ins) {
    if (i.op === 'FROM') break;
    if (i.op === 'ARG') {
      const [k, v] = i.args.split('=');
      globalArgs[k] = v;
    }
  }
  const expand = (s) => s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, k) => (k in globalArgs ? globalArgs[k] : all));
  const stages = [];
  for (const i of ins) {
    if (i.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
      stages.push({image: expand(m[1]), name: m[2], ins: []});
    } else if (stages.length) {
      stages[stages.length - 1].ins.push(i);
    }
  }
  if (!P.check(stages.length >= 2, where, 'must be multi-stage (a build stage and a runtime stage)')) return [];
  const build = stages[0];
  const final = stages[stages.length - 1];
  for (const s of stages) P.check(BASE.test(s.image), where, `stage ${s.name || '(final)'} must be Debian 12, is ${s.image}`);
  P.check(build.name, where, 'the build stage needs a name (FROM ... AS build)');

  const runs = (s) => s.ins.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ; ');
  const buildPkgs = aptInstalled(runs(build));
  for (const p of BUILD_PACKAGES) P.check(buildPkgs.includes(p), where, `build stage does not install ${p}`);
  const b = runs(build);
  P.check(/cmake\s+-S\s+\S+\s+-B\s+\S+\s+-G\s+Ninja\s+-DCMAKE_BUILD_TYPE=Release/.test(b), where,
      'build stage must configure with cmake -S . -B ... -G Ninja -DCMAKE_BUILD_TYPE=Release');
  P.check(new RegExp(`cmake\\s+--build\\s+\\S+\\s+--target\\s+${svc}(\\s|$)`).test(b), where,
      `build stage must build target ${svc}`);

  const finalRuns = runs(final);
  const finalPkgs = aptInstalled(finalRuns);
  for (const p of RUNTIME_PACKAGES) P.check(finalPkgs.includes(p), where, `runtime stage does not install ${p}`);
  for (const p of finalPkgs) {
    P.check(RUNTIME_PACKAGES.includes(p) || RUNTIME_ALLOWED_EXTRA.includes(p), where,
        `runtime stage installs ${p}: only the runtime libraries belong there`);
  }
  P.check(/--no-install-recommends/.test(finalRuns) && /rm -rf \/var\/lib\/apt\/lists/.test(finalRuns), where,
      'runtime apt-get must use --no-install-recommends and remove /var/lib/apt/lists');
  const copies = final.ins.filter((i) => i.op === 'COPY' || i.op === 'ADD');
  P.check(copies.length === 1 && new RegExp(`^--from=${build.name}\\s+\\S*/${svc}\\s+/usr/local/bin/${svc}$`).test(copies[0].args),
      where, `runtime stage must copy only the binary: COPY --from=${build.name} .../${svc} /usr/local/bin/${svc}`);
  const users = final.ins.filter((i) => i.op === 'USER');
  const user = users.length ? users[users.length - 1].args : '';
  const um = /^(\d+)(?::(\d+))?$/.exec(user);
  P.check(um && Number(um[1]) > 0 && (!um[2] || Number(um[2]) > 0), where,
      `runtime stage must run as a numeric non-root uid (USER 10001:10001), has "${user}"`);
  P.check(new RegExp(`useradd[^;&]*--uid\\s+${um ? um[1] : 'X'}\\b`).test(finalRuns), where,
      'the runtime user must exist in /etc/passwd with that uid (useradd --uid)');
  const expose = final.ins.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/)).map(Number).sort();
  P.check(JSON.stringify(expose) === JSON.stringify([f.grpc, f.metrics].sort()), where,
      `must EXPOSE ${f.grpc} and ${f.metrics}, exposes ${expose.join(' ')}`);
  const env = final.ins.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
  P.check(new RegExp(`GT_GRPC_PORT=${f.grpc}\\b`).test(env) && new RegExp(`GT_METRICS_PORT=${f.metrics}\\b`).test(env), where,
      `must default GT_GRPC_PORT=${f.grpc} and GT_METRICS_PORT=${f.metrics}`);
  const entry = final.ins.filter((i) => i.op === 'ENTRYPOINT').map((i) => i.args).pop() || '';
  let entryArr = null;
  try {
    entryArr = JSON.parse(entry);
  } catch (e) { /* shell form */ }
  P.check(Array.isArray(entryArr) && entryArr[0] === `/usr/local/bin/${svc}`, where,
      `ENTRYPOINT must be the exec form ["/usr/local/bin/${svc}"] so the binary is PID 1 and gets SIGTERM`);
  return [...buildPkgs, ...finalPkgs];
}

function main(argv) {
  const P = new Problems();
  let aptCheck = !argv.includes('--no-apt');
  const root = argv.find((a) => a.startsWith('--root='));
  if (root) REPO = path.resolve(root.slice('--root='.length));
  let aptNote = '';
  if (aptCheck) {
    const osr = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
    const probe = spawnSync('apt-cache', ['show', '--no-all-versions', 'libc6'], {encoding: 'utf8'});
    if (!/^ID=debian$/m.test(osr) || !/^VERSION_ID="12"$/m.test(osr)) {
      aptCheck = false;
      aptNote = ' (package names not checked: this machine is not Debian 12)';
    } else if (probe.error || probe.status !== 0) {
      aptCheck = false;
      aptNote = ' (package names not checked: no apt lists; run apt-get update)';
    }
  }
  const all = new Set();
  for (const svc of Object.keys(SERVICES)) for (const p of checkDockerfile(svc, P, aptCheck)) all.add(p);
  if (aptCheck) {
    // One apt-cache call: it prints a "NAME:" block with a Candidate for each
    // package it knows.
    const r = spawnSync('apt-cache', ['policy', ...all], {encoding: 'utf8'});
    const known = new Map();
    let current = null;
    for (const line of (r.stdout || '').split('\n')) {
      const head = /^(\S+):$/.exec(line);
      if (head) current = head[1];
      const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
      if (cand && current) known.set(current, cand[1]);
    }
    for (const p of all) {
      P.check(known.has(p) && known.get(p) !== '(none)', 'Dockerfiles', `Debian 12 has no package ${p}`);
    }
    aptNote = ` (all ${all.size} package names exist in Debian 12)`;
  }
  return P.report(`ok: ${Object.keys(SERVICES).map((s) => `${s}/Dockerfile`).join(', ')}${aptNote}`);
}

process.exitCode = main(process.argv);
