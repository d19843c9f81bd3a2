#!/usr/bin/env bash
# ctest entry point of `slack_conformance_node`: install Slack's pinned Node packages, then drive them against
# the emulator executable given as $1. Fails loudly (never skips) when Node.js or npm is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
emulator="${1:?usage: run.sh /path/to/docbot-slack-emulator}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "slack_conformance_node: Node.js >= 20 and npm are required (Debian: apt-get install nodejs npm," \
       "or install Node 20 from nodejs.org); they are not on PATH." >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "slack_conformance_node: Node.js >= 20 is required by @slack/socket-mode 3 (found $(node --version))." >&2
  exit 1
fi

cd "$here"
# Exactly the versions in package-lock.json; --prefer-offline reuses npm's cache when it has them.
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
exec node "$here/launcher.mjs" "$emulator"
