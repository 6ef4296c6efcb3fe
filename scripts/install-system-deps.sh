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
# Firmware for the emulated MCUs (firmware/): cross compilers, picolibc, QEMU.
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need+=(gcc-arm-none-eabi binutils-arm-none-eabi)
[ -f /usr/lib/picolibc/arm-none-eabi/picolibc.specs ] || need+=(picolibc-arm-none-eabi)
command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 || need+=(gcc-riscv64-unknown-elf)
[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || need+=(picolibc-riscv64-unknown-elf)
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
command -v qemu-system-riscv32 >/dev/null 2>&1 || need+=(qemu-system-misc)
# firmware/tools/fetch-wolfssl.sh unpacks Debian's wolfssl source package; fetch-wamr.sh downloads a crate.
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v curl >/dev/null 2>&1 || need+=(curl)
# Browser tests of the dashboard (playwright-core drives Debian's chromium).
[ -x /usr/bin/chromium ] || need+=(chromium)

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
