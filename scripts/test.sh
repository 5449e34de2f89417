#!/usr/bin/env bash
# Runs every test on Node 24 (scripts/node.sh; GOKA_NODE=system keeps a machine's Node >= 22.12): unit tests
# on the in-memory Kafka and system tests on a real Apache Kafka broker. Starts the broker (unless
# KAFKA_BROKERS points at one) and the schema registry (unless SCHEMA_REGISTRY_URL does), always stops
# them, and ends with the line `N passed, N failed` read from Vitest's JSON reports (GOKA_TEST_REPORT
# names the main one; the broker-outage project, which runs beside it, writes <name>-outage.json). Extra
# arguments make it one Vitest run with exactly those arguments.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh || exit 1

bash scripts/setup.sh --browser || exit 1

started_broker=0
started_registry=0
stop_broker() {
  if [ "$started_broker" = 1 ]; then
    pnpm -s kafka down >&2 || true
    started_broker=0
  fi
  if [ "$started_registry" = 1 ]; then
    pnpm -s registry down --port "$SCHEMA_REGISTRY_PORT" >&2 || true
    started_registry=0
  fi
}
trap stop_broker EXIT INT TERM

# The schema registry of the Schema Registry system tests (Apicurio, fetched with Maven into .registry/):
# started once here unless SCHEMA_REGISTRY_URL points at one; if it does not start, those specs try
# themselves and fail with the reason.
if [ -z "${SCHEMA_REGISTRY_URL:-}" ]; then
  export SCHEMA_REGISTRY_PORT=${SCHEMA_REGISTRY_PORT:-8081}
  if pnpm -s registry up --port "$SCHEMA_REGISTRY_PORT" >&2; then
    started_registry=1
    export SCHEMA_REGISTRY_URL="http://127.0.0.1:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"
  else
    echo "test: the schema registry did not start; the schema-registry system tests will try again" >&2
  fi
fi

if [ -z "${KAFKA_BROKERS:-}" ]; then
  started_broker=1
  if ! pnpm -s kafka up >&2; then
    echo "test: the Kafka broker did not start; system tests cannot run" >&2
    stop_broker
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

mkdir -p .ci/out
report=${GOKA_TEST_REPORT:-.ci/out/vitest.json}
outage_report="${report%.json}-outage.json"
outage_log=.ci/out/system-outage.log
rm -f "$report" "$outage_report"
reports=("$report")
if [ $# -gt 0 ]; then
  # Arguments pick what runs (e.g. --project core): one Vitest run with exactly them.
  pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" >&2
  status=$?
else
  # Everything: the broker-outage system tests (project system-outage) mostly wait on brokers of their
  # own, so they run beside the rest, their output kept in a log printed when they are done.
  reports+=("$outage_report")
  pnpm exec vitest run --project system-outage --reporter=default --reporter=json --outputFile.json="$outage_report" \
    >"$outage_log" 2>&1 &
  outage_pid=$!
  pnpm exec vitest run --project '!system-outage' --reporter=default --reporter=json --outputFile.json="$report" >&2
  status=$?
  wait "$outage_pid" || status=1
  echo "test: broker-outage system tests (project system-outage):" >&2
  cat "$outage_log" >&2
fi

stop_broker
node scripts/summary.mjs "${reports[@]}" || status=1
exit $status
