#!/usr/bin/env bash
# make e2e: build the lab's programs (or skip, saying why, where they cannot
# be built), start a lab, run the end-to-end tests against it, and stop it,
# also when the tests fail or the run is interrupted. Afterwards no process
# of the run may be alive and no port of its lab bound, or this fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
GO="${GO:-go}"

skip() {
	echo "e2e: SKIPPED: $*"
	exit 0
}
for tool in git redis-server; do
	command -v "$tool" >/dev/null || skip "$tool is not installed (ci/install-deps.sh installs it)"
done
start=$SECONDS
# A cold build of the lab compiles Kubernetes and Argo CD (tens of minutes on
# two cores). DRILL_LAB_BUILD_BUDGET (a timeout(1) duration such as 15m)
# bounds it, so that a CI run on a new machine stays bounded: past the budget
# the e2e tests are skipped, saying so, and the Go build cache keeps what was
# compiled, so the next run continues where this one stopped.
build=(ci/lab/build.sh)
if [ -n "${DRILL_LAB_BUILD_BUDGET:-}" ]; then
	build=(timeout -k 30 "$DRILL_LAB_BUILD_BUDGET" ci/lab/build.sh)
fi
bin="$("${build[@]}")"
rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	skip "building the lab's programs took longer than DRILL_LAB_BUILD_BUDGET=$DRILL_LAB_BUILD_BUDGET; run make lab once to fill the cache"
elif [ "$rc" != 0 ]; then
	skip "the lab's programs cannot be built here (the reason is above)"
fi
echo "e2e: lab programs ready in $((SECONDS - start))s: $bin"

mkdir -p bin
"$GO" build -o bin/drill-lab ./cmd/drill-lab || exit 1
export DRILL_LAB_BIN="$bin"
# Every lab process of this run carries the mark, so the sweep below finds
# even a lab whose test was killed.
export DRILL_LAB_RUN="e2e-$$-$(date +%s)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/drill-e2e-XXXXXX")"
ports=""

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -f "$dir/env" ] && ports="$(. "$dir/env" && echo "$DRILL_LAB_PORTS")"
	bin/drill-lab down --dir "$dir" || rc=1
	bin/drill-lab sweep --run "$DRILL_LAB_RUN" || rc=1
	for p in $ports; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "e2e: port $p of the lab is still bound after teardown" >&2
			rc=1
		fi
	done
	rm -rf "$dir"
	echo "e2e: lab stopped; e2e took $((SECONDS - start))s in all"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

up=$SECONDS
env_file="$(bin/drill-lab up --dir "$dir" --bin "$bin")" || exit 1
echo "e2e: lab up in $((SECONDS - up))s; memory of its processes: $(ps -o rss= -p "$(cat "$dir"/pids/* | paste -sd,)" | awk '{s+=$1} END {printf "%.0f MiB", s/1024}')"

# Every package with end-to-end tests (files with the e2e build tag), and
# only those tests: the packages' other tests ran in make test already.
mapfile -t files < <(grep -rl --include='*_test.go' '^//go:build e2e' .)
[ "${#files[@]}" -gt 0 ] || { echo "e2e: no package has e2e tests" >&2; exit 1; }
mapfile -t pkgs < <(printf '%s\n' "${files[@]}" | xargs -n1 dirname | sort -u)
tests="$(sed -n 's/^func \(Test[A-Za-z0-9_]*\)(t \*testing\.T).*/\1/p' "${files[@]}" | sort -u | paste -sd'|')"
echo "e2e: packages: ${pkgs[*]}"
"$GO" vet -tags e2e "${pkgs[@]}" || exit 1
DRILL_LAB_ENV="$env_file" "$GO" test -tags e2e -count=1 -timeout 25m -v -run "^($tests)\$" "${pkgs[@]}"
