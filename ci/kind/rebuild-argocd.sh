#!/usr/bin/env bash
# The full-cluster rebuild with Argo CD on kind, step by step: the kind job
# of .github/workflows/kind-drill.yml runs each step below, and
# `ci/kind/rebuild-argocd.sh all` runs them all on a machine with Docker and
# the PostgreSQL programs. drill makes the kind cluster and deletes it.
#
#   backups  last night's dumps of the billing and ledger databases, made by
#            drill-sample into backups/billing/ and backups/ledger/
#   pin      rebuild-argocd.pinned.yaml: the scenario with its root
#            app-of-apps at REVISION (default: GITHUB_SHA, or this
#            checkout's commit, which must be on GitHub) of REPO_URL
#            (default: GITHUB_REPOSITORY's, or github.com/restore-drill/drill)
#   drill    drill run on the pinned scenario (needs bin/drill and
#            bin/drill-sample: make build)
set -euo pipefail

cd "$(dirname "$0")/../.."

RESULTS=${RESULTS:-drill-results}
DRILL=${DRILL:-bin/drill}
SAMPLE=${SAMPLE:-bin/drill-sample}
SCENARIO=ci/kind/rebuild-argocd.yaml
PINNED=${PINNED:-ci/kind/rebuild-argocd.pinned.yaml}
CANONICAL=https://github.com/restore-drill/drill.git

step_backups() {
	# The servers the dumps go into run PostgreSQL 16; a dump made by it
	# (PG_BIN) restores with the same pg_restore.
	local bin=()
	if [ -n "${PG_BIN:-}" ]; then
		bin=(--bin-dir "$PG_BIN")
	fi
	local db
	for db in billing ledger; do
		"$SAMPLE" --out "ci/kind/backups/$db" --database "$db" --invoices 20000 --newest 2h "${bin[@]}"
	done
}

step_pin() {
	local revision=${REVISION:-${GITHUB_SHA:-$(git rev-parse HEAD)}}
	local repo=${REPO_URL:-$CANONICAL}
	if [ -z "${REPO_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
		repo=https://github.com/$GITHUB_REPOSITORY.git
	fi
	sed -e "s|^        revision: HEAD$|        revision: $revision|" \
		-e "s|^        repoURL: $CANONICAL$|        repoURL: $repo|" \
		"$SCENARIO" >"$PINNED"
	grep -q "revision: $revision" "$PINNED" || {
		echo "$SCENARIO: its root's revision: HEAD was not found to pin" >&2
		return 1
	}
	echo "root app-of-apps: $repo at $revision"
	"$DRILL" validate "$PINNED"
}

step_drill() {
	mkdir -p "$RESULTS"
	"$DRILL" run --results "$RESULTS" --junit "$RESULTS/junit.xml" --diagnostics "$RESULTS/diagnostics" "$PINNED"
}

run() {
	case "$1" in
	backups | pin | drill) "step_$1" ;;
	all)
		# Each step in a process of its own: errexit does not hold in a
		# function called before ||.
		local s
		for s in backups pin drill; do
			echo "== $s"
			"$0" "$s" || return 1
		done
		;;
	*)
		echo "usage: $0 backups|pin|drill|all" >&2
		return 2
		;;
	esac
}

run "${1:-}"
