#!/usr/bin/env bash
# Every PromQL expression of the dashboards and rules (promql_exprs.sh) must
# parse (Prometheus' PromQL grammar and promtool) and use only metric names the
# services export; the extractor's output must cover every alert.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_need_promtool
k8s_ensure_node_modules
cd "$K8S_TEST_DIR"

node tools/promql_exprs.js --check --promtool="$(command -v promtool)"

list="$(bash promql_exprs.sh)"
raw="$(bash promql_exprs.sh --raw)"
lines="$(wc -l <<<"$list")"
(( lines >= 30 )) || k8s_die "promql_exprs.sh printed only $lines expressions"
if grep -vqP '^[^\t]+\t[^\t]+$' <<<"$list"; then
  k8s_die "promql_exprs.sh: every line must be SOURCE<TAB>EXPR"
fi
if grep -q '\$' <<<"$list"; then
  k8s_die "promql_exprs.sh left a Grafana variable unsubstituted: $(grep '\$' <<<"$list" | head -n 1)"
fi
# shellcheck disable=SC2016  # a literal Grafana variable
grep -qF '$__rate_interval' <<<"$raw" || k8s_die "promql_exprs.sh --raw must keep Grafana's variables"
while read -r alert; do
  grep -q "alert $alert"$'\t' <<<"$list" || k8s_die "promql_exprs.sh does not list alert $alert"
done < <(grep -oP '^\s*- alert: \K\S+' "$K8S_DIR/components/monitoring/rules/goldenthread.rules.yml")

# The check must be able to fail: an unknown metric, a syntax error, and an
# expression only Prometheus itself rejects (lezer's grammar is laxer).
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-k8s-promql.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
printf '%s\t%s\n' \
  'bad 1' 'sum(rate(grpc_server_requests_total[5m]))' \
  'bad 2' 'sum(rate(up[5m])' \
  'bad 3' 'sum by (job) (goldenthread_milestones_total) + on(job) group_left(plan) group_right goldenthread_milestones_overdue' \
  >"$tmp/bad.tsv"
k8s_expect_failure "a list with an unknown metric and syntax errors" \
  'bad 1: metric grpc_server_requests_total is not one the services export' \
  'bad 2: syntax error' \
  'promtool check rules' \
  -- node tools/promql_exprs.js --check --promtool="$(command -v promtool)" --from="$tmp/bad.tsv"
echo "ok: promql_exprs.sh lists $lines expressions"
