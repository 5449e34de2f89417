#!/usr/bin/env bash
# One-time (and idempotent) set-up on a fresh machine: pnpm, the workspace's dependencies, a build.
# Needs Node 20.19+ and npm; Java 17 and Maven are needed later for the Kafka broker.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version with npm" >&2
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version" >&2
fi

pnpm install --frozen-lockfile >&2
pnpm run -s build >&2
