#!/usr/bin/env bash
# The README's test command: every tier (unit, integration against a real
# nats-server, e2e), after checking generated code, types and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

echo "== generated protobuf code is fresh"
bash scripts/check-proto-fresh.sh
echo "== build (type-check) all packages"
npx turbo run build --output-logs=errors-only
echo "== lint and package boundaries"
npm run -s lint
echo "== tests: unit, integration, e2e"
make -C firmware -j2 all >/dev/null # the emulated MCUs' firmware (both boards), built once before tests boot it in QEMU
bash scripts/build-kube-apiserver.sh >/dev/null # real kube-apiserver/etcd/kubectl for the k8s tests; cached, instant once built
# Two cores: run test files two at a time; each integration file starts its own nats-server.
npx jest --maxWorkers=2 "$@"
