#!/usr/bin/env bash
# Sets everything up and runs the sample app: embedded in-memory Kafka by default,
# a real Kafka cluster when KAFKA_BROKERS is set (e.g. KAFKA_BROKERS=127.0.0.1:9092).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
bash scripts/setup.sh
exec node sample-app/dist/main.js
