#!/usr/bin/env bash
# Fetches the WAMR sources the firmware builds: the content of the `wamr-sys`
# crate (crates.io), pinned by version and SHA-256. The sources are never
# committed; they are unpacked into a cache directory and the build reads them
# from there.
#
#   tools/fetch-wamr.sh <dest-dir>
#
# Looks for the .crate in cargo's own download cache first (offline), then
# downloads it from the crates.io registry with curl. Either way the
# archive must match the pinned checksum (the one in the crates.io index).
set -euo pipefail

CRATE=wamr-sys
VERSION=0.1.1
SHA256=7f8519ccb3c87b57003ea20d6d8ccbf57c8a2999fe1035369a2758b2d80341d0
# The registry's download location (the `dl` of https://index.crates.io/config.json),
# then the API endpoint that redirects to it.
URLS=("https://static.crates.io/crates/$CRATE/$CRATE-$VERSION.crate"
  "https://crates.io/api/v1/crates/$CRATE/$VERSION/download")

dest=${1:?usage: fetch-wamr.sh <dest-dir>}
# The stamp names what is unpacked: a new pin fetches again.
stamp="$dest/.complete"
want="$CRATE $VERSION $SHA256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  touch "$stamp"
  exit 0
fi

for tool in tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "fetch-wamr.sh: '$tool' not found" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
archive="$tmp/$CRATE-$VERSION.crate"

cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$CRATE-$VERSION.crate" 2>/dev/null | head -n 1 || true)
if [ -n "$cached" ] && echo "$SHA256  $cached" | sha256sum --check --status; then
  cp "$cached" "$archive"
else
  command -v curl >/dev/null || { echo "fetch-wamr.sh: curl not found (needed to download $CRATE $VERSION)" >&2; exit 1; }
  echo "fetch-wamr.sh: downloading $CRATE $VERSION from crates.io" >&2
  for url in "${URLS[@]}"; do
    curl --fail --silent --show-error --location --retry 2 --max-time 300 -o "$archive" "$url" && break
  done
  [ -s "$archive" ] || { echo "fetch-wamr.sh: could not download $CRATE $VERSION" >&2; exit 1; }
fi

if ! echo "$SHA256  $archive" | sha256sum --check --status; then
  echo "fetch-wamr.sh: $CRATE $VERSION does not match the pinned SHA-256 $SHA256" >&2
  exit 1
fi

# Only the runtime core and the licence are needed (the crate also carries
# samples, the AOT compiler and an SDK: about 11 MB).
root="$CRATE-$VERSION/wasm-micro-runtime"
tar -xzf "$archive" -C "$tmp" "$root/core" "$root/LICENSE"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/$root" "$dest"
echo "$want" >"$stamp"
echo "fetch-wamr.sh: $CRATE $VERSION unpacked into $dest" >&2
