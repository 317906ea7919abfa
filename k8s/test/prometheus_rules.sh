#!/usr/bin/env bash
# Alert rules: the plain rules file must hold exactly the PrometheusRule's
# groups; promtool must accept it and pass the unit tests in rules_test.yml;
# deliberately weakened rules must make those tests fail; and the e2e
# Prometheus configuration must be valid and scrape the right jobs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
k8s_need_promtool
k8s_ensure_node_modules
cd "$K8S_TEST_DIR"

rules="$K8S_DIR/components/monitoring/rules/goldenthread.rules.yml"
node tools/rules.js check
promtool check rules "$rules"
promtool test rules rules_test.yml
promtool check config prometheus.yml >/dev/null
node tools/check_prometheus_config.js

# Mutation check: every change below weakens or breaks one alert, and the unit
# tests must notice each (otherwise they do not test what they claim).
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gt-k8s-rules.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/test" "$tmp/components/monitoring/rules"
cp rules_test.yml "$tmp/test/"
mutations=(
  's/) > 0.05$/) > 0.5/'                                  # error-ratio threshold
  's/rate(grpc_server_handled_total{job=~"gateway|plan-service|milestone-service|report-service"}\[5m\])) > 0.02$/rate(grpc_server_handled_total{job=~"gateway|plan-service|milestone-service|report-service"}[5m])) > 0/'  # traffic guard
  's/DataLoss|DeadlineExceeded"/DataLoss|DeadlineExceeded|InvalidArgument"/'  # client errors counted
  's/,grpc_type="unary"//'                                # streams counted in latency
  's/) > 1$/) > 5/'                                       # latency threshold
  's/^\(\s*\)up{job=~"[^"]*"} == 0$/\1up == 0/'           # other jobs' targets
  's/for: 5m/for: 1m/'                                     # no pending period
  's/max without (instance, pod) (goldenthread_milestones_overdue{job="milestone-service"}))$/sum without (instance, pod) (goldenthread_milestones_overdue{job="milestone-service"}))/'  # replicas double-counted
  's/ offset 1d/ offset 2d/'                              # wrong comparison window
  's/^\(\s*\)>$/\1>=/'                                    # steady counts alert
  's/> 100 \* 86400/> 101 * 86400/'                       # stale threshold
  's/humanizeDuration }} ago/humanize }} ago/'            # annotation text
  's/max by (namespace, organisation, plan, period, directorate) (goldenthread_updates_due/sum by (namespace, organisation, plan, period, directorate) (goldenthread_updates_due/'  # replicas double-counted
  's/,state="MISSING"}/}/'                                 # every due state counted as missing
  's/state="MISSING"/state=~"MISSING|RETURNED"/'           # returned counted as missing
  's/state="MISSING"}) > 0$/state="MISSING"}) >= 0/'      # directorates with none missing alert
  's/ >= 86400$/ >= 0/'                                   # alerts on the due day itself
  's/ >= 86400$/ >= 2 * 86400/'                           # two days late instead of one
  's/ >= 86400$/ > 86400/'                                # the end of the due day excluded
  's/^\(\s*\)and on (namespace, organisation, plan, period)$/\1or on (namespace, organisation, plan, period)/'  # due date ignored
  '/GoldenThreadUpdatesMissingAfterDue/,/for:/ s/for: 1h/for: 0m/'  # no pending period
)
survivors=0
for m in "${mutations[@]}"; do
  sed "$m" "$rules" >"$tmp/components/monitoring/rules/goldenthread.rules.yml"
  if cmp -s "$rules" "$tmp/components/monitoring/rules/goldenthread.rules.yml"; then
    echo "FAIL: mutation changed nothing (the rules changed? update the list): $m" >&2
    survivors=$((survivors + 1))
  elif promtool test rules "$tmp/test/rules_test.yml" >/dev/null 2>&1; then
    echo "FAIL: rules_test.yml still passes with: $m" >&2
    survivors=$((survivors + 1))
  fi
done
# The identity check itself must be able to fail.
sed 's/) > 0.05$/) > 0.06/' "$rules" >"$tmp/edited.rules.yml"
k8s_expect_failure "a rules file that drifted from the PrometheusRule" \
  'rule 0 (GoldenThreadHighErrorRatio)' \
  -- node tools/rules.js check "$K8S_DIR/components/monitoring/prometheusrule.yaml" "$tmp/edited.rules.yml"

(( survivors == 0 )) || k8s_die "$survivors of ${#mutations[@]} rule mutations were not caught by rules_test.yml"
echo "ok: rules_test.yml catches all ${#mutations[@]} rule mutations"
