#!/usr/bin/env bash
# Installs the system packages Wasmbed's build and tests need (Debian/Ubuntu).
# Idempotent: skips what is already there. Needs root (or sudo) only when
# something is missing.
set -euo pipefail

need=()
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
[ -f /usr/include/google/protobuf/timestamp.proto ] || need+=(libprotobuf-dev)
# WebAssembly toolchain for the example apps (emulation/apps/build.sh).
command -v wat2wasm >/dev/null 2>&1 || need+=(wabt)
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v wasm-ld >/dev/null 2>&1 || need+=(lld)

if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: all present (nats-server $(nats-server --version 2>/dev/null | awk '{print $2}'), $(protoc --version))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "missing system packages: ${need[*]} — install them as root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi
echo "system deps: installing ${need[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "system deps: installed ${need[*]}"
