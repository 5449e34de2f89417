#!/usr/bin/env bash
# One-time (and idempotent) set-up on a fresh machine: Node 24 (scripts/node.sh), pnpm, the workspace's
# dependencies, a build. Needs some Node with npm to bootstrap (e.g. the machine's 20): the project itself
# runs on the Node 24 that scripts/node.sh installs; Java 17 and Maven are needed later for the Kafka
# broker. With --browser (the test command) it also installs Debian's chromium (apt-get, sudo when not
# root) unless CHROMIUM_PATH names another.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version with npm" >&2
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version" >&2
fi

# With --browser (scripts/test.sh): Debian's Chromium for the monitor's browser tests (playwright-core
# drives it; no browser download). The sample app does not need it.
if [ "${1:-}" = "--browser" ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium with apt-get" >&2
  as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: chromium is missing and there is no sudo to apt-get it" >&2; exit 1; }
    as_root=(sudo -n)
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] || { echo "setup: apt-get ran but /usr/bin/chromium is missing" >&2; exit 1; }
fi

pnpm install --frozen-lockfile >&2
pnpm run -s build >&2
