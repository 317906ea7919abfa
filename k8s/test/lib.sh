# shellcheck shell=bash
# Shared by the k8s test scripts (sourced, not run). Finds the tools the tests
# need and fails loudly, with the fix, when one is missing: a missing tool must
# never turn into a silently skipped test.
set -euo pipefail

K8S_TEST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_DIR="$(dirname "$K8S_TEST_DIR")"
REPO_DIR="$(dirname "$K8S_DIR")"

k8s_die() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

k8s_need_node() {
  command -v node >/dev/null 2>&1 ||
    k8s_die "node not found. Install Node.js >= 18 and npm (Debian 12: apt-get install nodejs npm)."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  (( major >= 18 )) || k8s_die "node $(node --version) is too old: the k8s tests need Node.js >= 18."
}

# Installs k8s/test/node_modules from package-lock.json (npm ci) when it is
# missing or older than the lock file. Serialised with flock: CTest may run
# several k8s tests at once.
k8s_ensure_node_modules() {
  k8s_need_node
  command -v npm >/dev/null 2>&1 || k8s_die "npm not found (Debian 12: apt-get install npm)."
  local stamp="$K8S_TEST_DIR/node_modules/.golden-thread-npm-ci"
  local lock
  lock="${TMPDIR:-/tmp}/golden-thread-k8s-npm-$(printf '%s' "$K8S_TEST_DIR" | md5sum | cut -c1-12).lock"
  (
    flock 9
    if [[ ! -f "$stamp" || "$K8S_TEST_DIR/package-lock.json" -nt "$stamp" ]]; then
      echo "k8s tests: npm ci in ${K8S_TEST_DIR#"$REPO_DIR"/}" >&2
      (cd "$K8S_TEST_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
        k8s_die "npm ci failed in $K8S_TEST_DIR (the npm registry must be reachable for the first run)."
      touch "$stamp"
    fi
  ) 9>"$lock"
}

# Sets KUSTOMIZE_CMD to a kustomize that can build components (v5: kubectl
# >= 1.27 embeds it). Debian 12 has no such kubectl: its kubernetes-client
# package is kubectl 1.20 with kustomize v2, which knows no `components:`.
k8s_need_kustomize() {
  local v=""
  if [[ -n "${KUSTOMIZE:-}" ]]; then
    command -v "$KUSTOMIZE" >/dev/null 2>&1 || k8s_die "KUSTOMIZE=$KUSTOMIZE is not an executable."
    KUSTOMIZE_CMD=("$KUSTOMIZE" build)
    v="$("$KUSTOMIZE" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true)"
  elif command -v kubectl >/dev/null 2>&1; then
    KUSTOMIZE_CMD=(kubectl kustomize)
    v="$(kubectl version --client -o json 2>/dev/null |
         node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).kustomizeVersion||"")}catch(e){}})')"
  else
    k8s_die "neither kubectl nor kustomize found. The k8s tests need kubectl >= 1.27 (kustomize v5 built in) or a kustomize v5 binary (set KUSTOMIZE=/path/to/kustomize). Debian 12's kubernetes-client package (kubectl 1.20, kustomize v2) is too old: it cannot build kustomize components. Install kubectl from Kubernetes' own apt repository or Google Cloud's (package kubectl)."
  fi
  local major="${v#v}"
  major="${major%%.*}"
  if [[ -z "$v" || ! "$major" =~ ^[0-9]+$ || "$major" -lt 5 ]]; then
    k8s_die "${KUSTOMIZE_CMD[*]} has kustomize '${v:-unknown}'; the manifests need kustomize v5 (kubectl >= 1.27). Debian 12's kubernetes-client (kubectl 1.20) is too old."
  fi
  # shellcheck disable=SC2034  # read by the scripts that source this file
  KUSTOMIZE_VERSION="$v"
}

k8s_need_promtool() {
  command -v promtool >/dev/null 2>&1 ||
    k8s_die "promtool not found. Install Debian's prometheus package (apt-get install prometheus), which ships promtool."
}

# Runs a command that must fail, and checks its output names every expected
# problem: the proof that a check is able to fail.
k8s_expect_failure() {
  local what="$1"
  shift
  local -a expected=()
  while [[ "$1" != "--" ]]; do
    expected+=("$1")
    shift
  done
  shift
  local out status=0
  out="$("$@" 2>&1)" || status=$?
  if (( status == 0 )); then
    printf '%s\n' "$out" >&2
    k8s_die "$what: the check passed, but must fail"
  fi
  local e
  for e in "${expected[@]}"; do
    if ! grep -qF -- "$e" <<<"$out"; then
      printf '%s\n' "$out" >&2
      k8s_die "$what: failed, but without naming: $e"
    fi
  done
  echo "ok: $what is rejected (${#expected[@]} problems named)"
}
