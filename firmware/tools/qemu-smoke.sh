#!/usr/bin/env bash
# Boots every board's ELF in QEMU with a provisioning image, then checks the
# banner (board, heap, endpoint, identity), the interrupt-driven echo, two
# uptime readings from the timer and the RX interrupt count. Also boots each
# board once with a corrupted identity block and expects the provisioning error.
# Usage: tools/qemu-smoke.sh [build-dir]      (make qemu-smoke)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
WORK=$(mktemp -d)
QEMU_PID=
cleanup() {
    [[ -n "$QEMU_PID" ]] && kill "$QEMU_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

KEY_SEED=4242424242424242424242424242424242424242424242424242424242424242
RNG_SEED=1111111111111111111111111111111111111111111111111111111111111111
ENDPOINT=127.0.0.1:4423

fail() {
    echo "qemu-smoke: FAIL: $*" >&2
    echo "---- console output ----" >&2
    cat "$WORK/out" >&2 || true
    exit 1
}

# wait_for <regex> [count]: until the console output has `count` (1) matching lines; 20 s at most.
wait_for() {
    local deadline=$((SECONDS + 20))
    until [[ $(grep -cE "$1" "$WORK/out" 2>/dev/null) -ge ${2:-1} ]]; do
        ((SECONDS < deadline)) || fail "fewer than ${2:-1} lines matching /$1/"
        sleep 0.1
    done
}

# boot <qemu command...>: starts QEMU with its console on a FIFO (input) and a file (output).
boot() {
    rm -f "$WORK/in" "$WORK/out"
    mkfifo "$WORK/in"
    "$@" <"$WORK/in" >"$WORK/out" 2>&1 &
    QEMU_PID=$!
    exec 3>"$WORK/in"
}

stop() {
    exec 3>&-
    kill "$QEMU_PID" 2>/dev/null || true
    wait "$QEMU_PID" 2>/dev/null || true
    QEMU_PID=
}

smoke() {
    local board=$1 area=$2
    shift 2
    local qemu=("$@" -kernel "$BUILD/$board/wasmbed.elf")
    local summary public_key
    summary=$(node tools/provision.mjs --out "$WORK/prov.bin" --endpoint "$ENDPOINT" --key-seed "$KEY_SEED" --rng-seed "$RNG_SEED")
    public_key=$(sed -E 's/.*"publicKey":"([0-9a-f]+)".*/\1/' <<<"$summary")

    boot "${qemu[@]}" -device "loader,file=$WORK/prov.bin,addr=$area"
    wait_for "ready in [0-9]+ ms"
    grep -q "board=$board " "$WORK/out" || fail "$board: banner does not name the board"
    grep -qE "^heap: [0-9]+ bytes at .*\(malloc self-test ok\)" "$WORK/out" || fail "$board: heap self-test"
    grep -q "^endpoint: $ENDPOINT" "$WORK/out" || fail "$board: endpoint"
    grep -q "^identity: ed25519 $public_key" "$WORK/out" || fail "$board: public key differs from Node's"
    grep -q "^protocol: v1, Hello frame [0-9]* bytes, decode round trip ok" "$WORK/out" || fail "$board: codec self-test"
    printf 'smoke test\r' >&3
    wait_for "^echo: smoke test"
    printf 'uptime\r' >&3
    wait_for "^uptime: [0-9]+ ms"
    sleep 0.5
    printf 'uptime\r' >&3
    wait_for "^uptime: [0-9]+ ms" 2
    local t1 t2
    t1=$(grep -oE "^uptime: [0-9]+" "$WORK/out" | sed -n 1p | grep -oE "[0-9]+")
    t2=$(grep -oE "^uptime: [0-9]+" "$WORK/out" | sed -n 2p | grep -oE "[0-9]+")
    ((t2 - t1 >= 400)) || fail "$board: uptime went from $t1 to $t2 ms over 0.5 s"
    printf 'stats\r' >&3
    wait_for "^serial: rx_irqs=[1-9]"
    stop
    echo "qemu-smoke: $board ok (uptime $t1 -> $t2 ms, $(grep -oE 'rx_irqs=[0-9]+' "$WORK/out"))"

    # Corrupt the identity block's magic: the firmware must refuse to go on.
    printf 'XXXX' | dd of="$WORK/prov.bin" bs=1 seek=$((0x200)) conv=notrunc status=none
    boot "${qemu[@]}" -device "loader,file=$WORK/prov.bin,addr=$area"
    wait_for "^PROVISIONING ERROR: identity block has a bad magic"
    wait_for "; halted"
    stop
    echo "qemu-smoke: $board refuses a corrupt provisioning block"
}

smoke mps2-an385 0x20001000 qemu-system-arm -M mps2-an385 -nographic
smoke riscv32-virt 0x80401000 qemu-system-riscv32 -M virt -bios none -nographic
echo "qemu-smoke: all boards ok"
