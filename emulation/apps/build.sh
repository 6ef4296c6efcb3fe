#!/usr/bin/env bash
# Builds the example apps into dist/wasm/<name>.wasm: WAT apps with wat2wasm,
# C apps with clang --target=wasm32. Every module is assembled and then
# validated with post-MVP features disabled, because devices may run a compact
# MVP-only interpreter (docs/app-abi.md).
set -euo pipefail
cd "$(dirname "$0")"

for tool in wat2wasm wasm-validate clang wasm-ld node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' not found; install the WebAssembly toolchain: apt-get install wabt clang lld" >&2
    exit 1
  fi
done

WAT_APPS=(hello trap busy-loop memory-hog counter big-64k)
C_APPS=(hello-c)
# wabt enables these post-MVP features by default; the ABI forbids them.
MVP_ONLY=(--disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension
  --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types)

OUT=dist/wasm
GEN=dist/gen
rm -rf "$OUT" "$GEN"
mkdir -p "$OUT" "$GEN"

# WAT has no include: expand `;; @include <path>` lines (relative to src/,
# or to dist/ for generated files under gen/), recursively.
expand_wat() {
  local line target
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^[[:space:]]*\;\;\ @include\ ([^[:space:]]+)[[:space:]]*$ ]]; then
      target=${BASH_REMATCH[1]}
      if [[ $target == gen/* ]]; then target="dist/$target"; else target="src/$target"; fi
      [ -f "$target" ] || { echo "build.sh: $1 includes missing $target" >&2; exit 1; }
      expand_wat "$target"
    else
      printf '%s\n' "$line"
    fi
  done <"$1"
}

# big-64k's payload: 63 KiB of xorshift32 bytes with a fixed seed, placed in
# [1024, 65536) so that the module stays about 64 KiB and fits in one page.
node -e '
  let x = 0x2545f491, out = "(data (i32.const 1024) \"";
  for (let i = 0; i < 64512; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out += "\\" + (x & 0xff).toString(16).padStart(2, "0");
  }
  process.stdout.write(out + "\")\n");
' >"$GEN/big-64k-payload.wat"

for app in "${WAT_APPS[@]}"; do
  expand_wat "src/$app/$app.wat" >"$GEN/$app.wat"
  wat2wasm "${MVP_ONLY[@]}" "$GEN/$app.wat" -o "$OUT/$app.wasm"
done

# -mcpu=mvp keeps clang from emitting sign-extension and other post-MVP
# opcodes; one page of memory with a 4 KiB stack is plenty for these apps.
for app in "${C_APPS[@]}"; do
  clang --target=wasm32 -mcpu=mvp -O2 -std=c11 -Wall -Wextra -Werror -nostdlib -fno-builtin \
    -Wl,--no-entry -Wl,--export=run -Wl,-z,stack-size=4096 -Wl,--initial-memory=65536 \
    -o "$OUT/$app.wasm" src/"$app"/*.c
done

for app in "${WAT_APPS[@]}" "${C_APPS[@]}"; do
  wasm-validate "${MVP_ONLY[@]}" "$OUT/$app.wasm"
  echo "built $OUT/$app.wasm ($(wc -c <"$OUT/$app.wasm") bytes)"
done
