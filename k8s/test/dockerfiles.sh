#!/usr/bin/env bash
# Static checks of plan-service/, milestone-service/, report-service/ and
# gateway/Dockerfile (tools/dockerfiles.js). No Docker engine runs here, so the
# images are never built by this test; see k8s/README.md.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_ensure_node_modules
cd "$K8S_TEST_DIR"
node tools/dockerfiles.js

# The checks must be able to fail: a copy with typical mistakes.
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-k8s-docker.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
for svc in gateway plan-service milestone-service report-service; do
  mkdir -p "$tmp/$svc"
  cp "$REPO_DIR/$svc/Dockerfile" "$tmp/$svc/Dockerfile"
done
sed -i -e 's/libprotobuf32/libprotobuf-dev/' -e 's/^USER .*/USER goldenthread/' \
  -e 's/^ENTRYPOINT .*/ENTRYPOINT \/usr\/local\/bin\/gateway/' "$tmp/gateway/Dockerfile"
sed -i 's/--target plan-service/--target all/' "$tmp/plan-service/Dockerfile"
k8s_expect_failure "Dockerfiles with a -dev package at runtime, a named user, a shell entrypoint, a whole build" \
  'gateway/Dockerfile: runtime stage installs libprotobuf-dev' \
  'gateway/Dockerfile: runtime stage must run as a numeric non-root uid' \
  'gateway/Dockerfile: ENTRYPOINT must be the exec form' \
  'plan-service/Dockerfile: build stage must build target plan-service' \
  -- node tools/dockerfiles.js --no-apt --root="$tmp"
