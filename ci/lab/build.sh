#!/usr/bin/env bash
# Builds the e2e lab's programs (kube-apiserver, kube-controller-manager,
# kube-scheduler, etcd, kwok, Argo CD) from the tools modules beside this
# script into a cache outside the repository, keyed by the modules' go.sum
# files and the Go version, and prints the directory that holds them. A
# second run with the same key builds nothing.
#
#   ci/lab/build.sh            build when missing, print the bin directory
#   ci/lab/build.sh --dir      print the bin directory only (no build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
modules="kube etcd kwok argocd"

key="$({ go env GOVERSION GOOS GOARCH; for m in $modules; do cat "$here/$m/go.mod" "$here/$m/go.sum"; done; } | sha256sum | cut -c1-16)"
cache="${DRILL_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drill-lab}"
bin="$cache/$key/bin"
if [ "${1:-}" = --dir ]; then
	echo "$bin"
	exit 0
fi
# Argo CD's CRDs, from the module the Argo CD programs are built from.
copy_crds() {
	local src
	src="$(cd "$here/argocd" && GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v2)" || return 1
	mkdir -p "$1/crds" && cp "$src"/manifests/crds/*-crd.yaml "$1/crds/"
}
if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/argocd-server" ]; then
	[ -d "$bin/crds" ] || copy_crds "$bin"
	echo "$bin"
	exit 0
fi

# Build into a private directory and rename it into place, so that two
# builds at once never leave a half-filled cache behind.
mkdir -p "$cache/$key"
tmp="$(mktemp -d "$cache/$key/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
build() {
	local module="$1"; shift
	echo "lab: building $* ..." >&2
	(cd "$here/$module" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$tmp/" "$@")
}
build kube k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
build etcd .
build kwok sigs.k8s.io/kwok/cmd/kwok
build argocd github.com/argoproj/argo-cd/v2/cmd
mv "$tmp/cmd" "$tmp/argocd"
copy_crds "$tmp"
# One Argo CD binary serves every component; its name picks which.
for c in argocd-server argocd-repo-server argocd-application-controller; do
	ln -s argocd "$tmp/$c"
done
# Another build of the same key may have finished first: its result is the
# same, and mv -T refuses to replace it.
mv -T "$tmp" "$bin" 2>/dev/null || true
echo "lab: built in $((SECONDS - start))s into $bin" >&2
echo "$bin"
