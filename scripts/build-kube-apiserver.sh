#!/usr/bin/env bash
# Builds the real Kubernetes control plane the integration tests run (kube-apiserver,
# kubectl, etcd) with Go from the pin in infra/kube-apiserver/go.mod, into a cache
# keyed by go.mod + go.sum. Prints the bin dir as the last line of stdout.
#
#   bash scripts/build-kube-apiserver.sh          # build if needed (~10 min cold), else instant
#   bash scripts/build-kube-apiserver.sh --check  # never build: print the dir, or exit 1
#
# Env: WASMBED_KUBE_CACHE (cache root, default <repo>/.cache/kube), GO (go binary).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mod_dir="$root/infra/kube-apiserver"
cache_root="${WASMBED_KUBE_CACHE:-$root/.cache/kube}"
key="$(cat "$mod_dir/go.mod" "$mod_dir/go.sum" | sha256sum | cut -c1-16)"
bin_dir="$cache_root/$key"
binaries=(kube-apiserver kubectl etcd)

complete() {
  local b
  for b in "${binaries[@]}"; do [ -x "$bin_dir/$b" ] || return 1; done
}

if complete; then echo "$bin_dir"; exit 0; fi
if [ "${1:-}" = "--check" ]; then
  echo "kube-apiserver, kubectl and etcd are not built for this pin ($bin_dir): run \`bash scripts/build-kube-apiserver.sh\`" >&2
  exit 1
fi

go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
[ -x "$go_bin" ] || { echo "Go not found (install Go >= the version in infra/kube-apiserver/go.mod, or set GO=/path/to/go)" >&2; exit 1; }

mkdir -p "$cache_root"
# One build at a time per cache; a waiter finds the finished cache and exits.
exec 9>"$cache_root/.lock"
flock 9
if complete; then echo "$bin_dir"; exit 0; fi
rm -rf "$cache_root"/.build-* # left by a killed build; only the lock holder builds

k8s_version="$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$mod_dir/go.mod")"
minor="$(echo "$k8s_version" | cut -d. -f2)"
# What Kubernetes' own release build stamps (hack/lib/version.sh); without it the
# binaries call themselves v0.0.0-master and kubectl warns about version skew.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

tmp="$(mktemp -d "$cache_root/.build-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "building kube-apiserver, kubectl, etcd ($k8s_version) into $bin_dir (cold: ~10 min on 2 idle cores, far longer on busy ones)" >&2
start=$(date +%s)
(
  cd "$mod_dir"
  # One invocation shares the compiled packages between the three binaries.
  GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 nice -n 10 "$go_bin" build -trimpath -ldflags="$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl go.etcd.io/etcd/server/v3
)
# etcd's main package is the module root go.etcd.io/etcd/server/v3, built as "server".
mv "$tmp/server" "$tmp/etcd"
{
  "$tmp/kube-apiserver" --version
  "$tmp/kubectl" version --client 2>/dev/null | sed -n 1p
  "$tmp/etcd" --version | sed -n 1p
} >"$tmp/VERSIONS"
chmod 755 "$tmp"
# Rename is atomic: an interrupted build never leaves a half-filled cache dir.
rm -rf "$bin_dir"
mv -T "$tmp" "$bin_dir"
trap - EXIT
echo "built in $(( $(date +%s) - start )) s: $(tr '\n' ';' <"$bin_dir/VERSIONS")" >&2
echo "$bin_dir"
