#!/usr/bin/env bash
# Grafana dashboards: valid JSON with schemaVersion, unique uids and panel ids,
# a `datasource` variable every panel and query refers to, no ${DS_...}
# placeholders (tools/dashboards.js); and a broken dashboard must be rejected.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_ensure_node_modules
cd "$K8S_TEST_DIR"

node tools/dashboards.js
# shellcheck disable=SC2016  # the $... below are literal texts to find
k8s_expect_failure "fixtures/broken-dashboard.json" \
  'contains a ${DS_...} import placeholder' \
  'has __inputs/__requires' \
  'schemaVersion must be an integer' \
  'needs template variable "datasource"' \
  'id 1 also used by "Requests"' \
  'panel 1 "Errors": datasource must be' \
  'overlaps panel "Requests"' \
  'uses undefined variable $namespace' \
  -- node tools/dashboards.js fixtures/broken-dashboard.json
