#!/usr/bin/env bash
# CTest fixture: installs k8s/test/node_modules (npm ci) once for the k8s tests.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_ensure_node_modules
echo "ok: k8s/test/node_modules is installed ($(cd "$K8S_TEST_DIR" && node -p 'Object.keys(require("./package.json").dependencies).length') packages pinned)"
