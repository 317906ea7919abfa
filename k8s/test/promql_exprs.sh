#!/usr/bin/env bash
# Prints every PromQL expression of the Grafana dashboards and the alert rules,
# one per line:  SOURCE<TAB>EXPR  (for the end-to-end test, which evaluates
# each against a Prometheus scraping the running suite, see prometheus.yml).
#
#   bash k8s/test/promql_exprs.sh                    evaluable PromQL: Grafana
#        variables replaced ($__rate_interval -> 1m, dashboard variables -> .*)
#   bash k8s/test/promql_exprs.sh --rate-interval=10s --range=5m
#   bash k8s/test/promql_exprs.sh --raw              as written in the files
#
# Only the list goes to stdout; it needs k8s/test/node_modules (npm ci).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_ensure_node_modules
exec node "$K8S_TEST_DIR/tools/promql_exprs.js" "$@"
