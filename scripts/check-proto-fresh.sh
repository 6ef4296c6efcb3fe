#!/usr/bin/env bash
# Fails when libs/proto/src/gen does not match what scripts/gen-proto.sh makes
# from proto/ today (someone edited a .proto without regenerating, or edited
# generated code by hand).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
committed="$root/libs/proto/src/gen"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

bash "$root/scripts/gen-proto.sh" "$fresh/gen" >/dev/null

if ! diff -r "$committed" "$fresh/gen" >"$fresh/diff.txt" 2>&1; then
  echo "generated code is stale: run npm run gen:proto" >&2
  # Binary descriptor sets only show as "differ"; the .ts diffs say what changed.
  head -n 40 "$fresh/diff.txt" >&2
  exit 1
fi
echo "generated protobuf code is fresh"
