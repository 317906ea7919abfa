#!/usr/bin/env bash
# Builds every overlay and component combination with kustomize and validates
# every object offline: Kubernetes schemas (kubernetes-models, also for the
# Prometheus Operator CRDs) plus the suite's own rules, including the traffic
# the network policies allow and refuse (tools/validate_manifests.js). Then
# proves the checks can fail (tools/selftest_manifests.js, fixtures/).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_need_kustomize
k8s_ensure_node_modules

tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-k8s-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# name -> kustomization directory (relative to k8s/)
builds=(
  "dev=overlays/dev"
  "prod=overlays/prod"
  "dev-all=test/overlays/dev-all"
  "prod-all=test/overlays/prod-all"
)
args=()
for b in "${builds[@]}"; do
  name="${b%%=*}"
  dir="${b#*=}"
  if ! "${KUSTOMIZE_CMD[@]}" "$K8S_DIR/$dir" >"$tmp/$name.yaml" 2>"$tmp/$name.err"; then
    cat "$tmp/$name.err" >&2
    k8s_die "${KUSTOMIZE_CMD[*]} k8s/$dir failed"
  fi
  echo "ok: ${KUSTOMIZE_CMD[*]} k8s/$dir ($KUSTOMIZE_VERSION)"
  args+=("$name=$tmp/$name.yaml")
done

cd "$K8S_TEST_DIR"
node tools/validate_manifests.js "${args[@]}"
node tools/selftest_manifests.js "dev-all=$tmp/dev-all.yaml" "prod-all=$tmp/prod-all.yaml"
k8s_expect_failure "fixtures/broken-manifests.yaml (schemas)" \
  "'\"readinesProbe\"' does not exist in type 'IContainer'" \
  'must match format "quantity"' \
  "no schema for apiVersion apps/v1 kind Deploymnet" \
  'must have required property selector' \
  "'\"grcp\"' does not exist in type 'IServicePort'" \
  -- node tools/validate_manifests.js --schema-only "broken=fixtures/broken-manifests.yaml"
