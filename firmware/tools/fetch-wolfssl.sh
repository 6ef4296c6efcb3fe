#!/usr/bin/env bash
# Fetches wolfSSL's Debian source package (pinned below), checks every file
# against its pinned SHA-256, and unpacks it with Debian's patches applied into
# a cache outside git. Prints the source directory. Idempotent: a second run
# with the cache in place only prints the path.
#
#   tools/fetch-wolfssl.sh            # -> ${WASMBED_FW_CACHE:-<repo>/.cache/firmware}/wolfssl-5.5.4-2+deb12u2
#
# The download goes through apt with a throwaway configuration in a temp dir (a
# deb-src entry for bookworm on the mirror the machine's apt already uses); the
# system's apt sources and lists are never touched. If apt cannot give the
# pinned version (e.g. a newer point release replaced it), the files come from
# the mirror's pool, then snapshot.debian.org. Licence of the fetched code: GPLv2+.
set -euo pipefail

VERSION=5.5.4-2+deb12u2
UPSTREAM=5.5.4
declare -A SHA256=(
  ["wolfssl_${VERSION}.dsc"]=6178aa12a802e9365505f21be6855c7f154e1f39d74d942a19d41c3681d30068
  ["wolfssl_${UPSTREAM}.orig.tar.gz"]=b7ee150e49def77c765bc02aac92ddeb0bebefd4cb12aa263d8f95e405221fb8
  ["wolfssl_${VERSION}.debian.tar.xz"]=f19eb00d61dc48bce14e580848ece808f3d98295d057e695bea4053d694b5d36
)
SNAPSHOT=https://snapshot.debian.org/archive/debian/20251001T000000Z/pool/main/w/wolfssl

FIRMWARE=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${WASMBED_FW_CACHE:-$(dirname "$FIRMWARE")/.cache/firmware}
DEST=$CACHE/wolfssl-$VERSION

if [ -f "$DEST/.complete" ]; then
  echo "$DEST"
  exit 0
fi

say() { echo "fetch-wolfssl: $*" >&2; }
die() { say "$*"; exit 1; }

for tool in dpkg-source sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is required (Debian: apt-get install dpkg-dev)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wasmbed-wolfssl.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The machine's Debian mirror, from its deb822 or one-line sources; else deb.debian.org.
mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hsE '^deb +[^[]*/debian/? ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

verified() {
  local name=$1
  [ -f "$work/$name" ] && echo "${SHA256[$name]}  $work/$name" | sha256sum --check --status
}

fetch_with_apt() {
  command -v apt-get >/dev/null || return 1
  mkdir -p "$work/etc/sources.list.d" "$work/etc/preferences.d" "$work/lists/partial" "$work/cache/archives/partial"
  printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s bookworm main\n' "$mirror" >"$work/etc/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$work/etc/sources.list"
    -o "Dir::Etc::SourceParts=$work/etc/sources.list.d"
    -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"
    -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1"
    -qq
  )
  say "apt: deb-src $mirror bookworm (throwaway config in $work)"
  apt-get "${opts[@]}" update >&2 || return 1
  (cd "$work" && apt-get "${opts[@]}" source --download-only "wolfssl=$VERSION" >&2) || return 1
}

# Straight from a pool directory: the mirror's, then snapshot.debian.org's.
fetch_from_pool() {
  command -v curl >/dev/null || die "curl is required when apt cannot fetch"
  local pool name
  for pool in "${mirror%/}/pool/main/w/wolfssl" "$SNAPSHOT"; do
    for name in "${!SHA256[@]}"; do
      verified "$name" && continue
      say "downloading $pool/$name"
      curl -fsSL --retry 2 -o "$work/$name" "$pool/$name" || continue
    done
    local missing=0
    for name in "${!SHA256[@]}"; do verified "$name" || missing=1; done
    [ $missing = 0 ] && return 0
  done
  return 1
}

if ! fetch_with_apt; then
  say "apt could not fetch wolfssl=$VERSION; trying the pool directly"
  fetch_from_pool || die "download failed"
fi

for name in "${!SHA256[@]}"; do
  [ -f "$work/$name" ] || die "missing $name after download"
  verified "$name" || die "SHA-256 mismatch for $name (expected ${SHA256[$name]})"
done

# dpkg-source unpacks the orig tarball and applies debian/patches (CVE fixes
# included); the signature is not checked here, the pinned digests are.
rm -rf "$DEST.tmp" && mkdir -p "$CACHE"
dpkg-source --no-check -x "$work/wolfssl_$VERSION.dsc" "$DEST.tmp" >&2
rm -f "$CACHE/wolfssl_$UPSTREAM.orig.tar.gz" # dpkg-source's copy next to the tree
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
echo "$VERSION" >"$DEST/.complete"
say "wolfSSL $VERSION unpacked in $DEST"
echo "$DEST"
