#!/usr/bin/env bash
# One-time setup on a fresh machine: system packages, npm dependencies, build.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

node -e 'const [maj]=process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`Node ${process.versions.node} is too old: Wasmbed needs Node 20 or newer.`); process.exit(1); }'
bash scripts/install-system-deps.sh
# npm install (not ci): see .ci/run for why; it installs the locked versions.
npm install --no-audit --no-fund
npm run build
echo
echo "Setup done. Start the stack with: npm start"
