#!/usr/bin/env bash
# A real CloudNativePG recovery drill on a kind cluster, step by step: the
# kind job of .github/workflows/kind-drill.yml runs each step below, and
# `ci/kind/cnpg-drill.sh all` runs them all on a machine with Docker, kind
# and kubectl (then `ci/kind/cnpg-drill.sh down` deletes the cluster).
#
#   cluster      a kind cluster (KIND_CLUSTER, default drill-cnpg) of
#                Kubernetes 1.34 (NODE_IMAGE)
#   operator     CloudNativePG v1.27.1 from its release manifest
#   store        MinIO and the bucket (cnpg/object-store.yaml), with keys
#                made at random into Secrets, never printed
#   source       the "production" Cluster billing-db archiving to the store
#   backup       1000 invoices, a base backup, 500 more invoices, and a wait
#                until the WAL that holds them is archived
#   drill        drill run on cnpg-recovery.yaml: a new Cluster recovered
#                from the store, checked (needs bin/drill: make build)
#   diagnostics  what the cluster holds, into $RESULTS/cluster (on failure)
#   down         delete the kind cluster
#
# drill reaches the store at the URL the Cluster's pods use: the drill step
# maps the Service's name to 127.0.0.1 in /etc/hosts (with sudo when it is
# not writable; once) and port-forwards to it for the run.
set -euo pipefail

cd "$(dirname "$0")/../.."

CLUSTER=${KIND_CLUSTER:-drill-cnpg}
RESULTS=${RESULTS:-drill-results}
DRILL=${DRILL:-bin/drill}
CNPG_MANIFEST=https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.27.1/cnpg-1.27.1.yaml
STORE_NS=drill-store
STORE_HOST=minio.drill-store.svc.cluster.local
STORE_PORT=19000
SOURCE_NS=billing-prod
SOURCE=billing-db
CONTEXT=kind-$CLUSTER
# Kubernetes 1.34: the oldest of kind v0.33's own images (by digest, as kind
# asks), the nearest to the 1.31-1.33 CloudNativePG 1.27 was tested with.
NODE_IMAGE=${NODE_IMAGE:-kindest/node:v1.34.11@sha256:44e222ee2132dab25ff87301682f89eb82c7880ea3a1bf543bfe9708fd08d67d}

kc() { kubectl --context "$CONTEXT" "$@"; }

# mask keeps a value out of GitHub Actions' logs.
mask() {
	if [ "${GITHUB_ACTIONS:-}" = true ]; then
		echo "::add-mask::$1"
	fi
}

# secret writes a Secret holding the store's keys into a namespace; the keys
# go through stdin, never a command line.
secret() {
	local ns=$1 name=$2 id=$3 key=$4
	printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\ntype: Opaque\nstringData:\n  ACCESS_KEY_ID: "%s"\n  ACCESS_SECRET_KEY: "%s"\n' \
		"$name" "$ns" "$id" "$key" | kc apply -f - >/dev/null
}

# storeKey reads one of the store's keys from its Secret.
storeKey() {
	kc -n "$STORE_NS" get secret store-root -o "jsonpath={.data.$1}" | base64 -d
}

# sourceSQL runs SQL as postgres in the source Cluster's primary.
sourceSQL() {
	local primary
	primary=$(kc -n "$SOURCE_NS" get cluster "$SOURCE" -o 'jsonpath={.status.currentPrimary}')
	kc -n "$SOURCE_NS" exec "$primary" -c postgres -- psql -v ON_ERROR_STOP=1 -X -q -At -d app -c "$1"
}

step_cluster() {
	if kind get clusters | grep -qx "$CLUSTER"; then
		echo "kind cluster $CLUSTER exists"
		return
	fi
	kind create cluster --name "$CLUSTER" --image "$NODE_IMAGE" --wait 3m
}

step_operator() {
	kc apply --server-side -f "$CNPG_MANIFEST" >/dev/null
	kc -n cnpg-system rollout status deployment/cnpg-controller-manager --timeout=5m
}

step_store() {
	kc apply -f - >/dev/null <<<"apiVersion: v1
kind: Namespace
metadata:
  name: $STORE_NS"
	if ! kc -n "$STORE_NS" get secret store-root >/dev/null 2>&1; then
		local id key
		id=$(openssl rand -hex 10)
		key=$(openssl rand -hex 20)
		mask "$key"
		secret "$STORE_NS" store-root "$id" "$key"
	fi
	kc apply -f ci/kind/cnpg/object-store.yaml
	kc -n "$STORE_NS" rollout status deployment/minio --timeout=5m
	kc -n "$STORE_NS" wait --for=condition=complete job/make-bucket --timeout=5m
}

step_source() {
	local id key
	id=$(storeKey ACCESS_KEY_ID)
	key=$(storeKey ACCESS_SECRET_KEY)
	mask "$key"
	kc apply -f - >/dev/null <<<"apiVersion: v1
kind: Namespace
metadata:
  name: $SOURCE_NS"
	secret "$SOURCE_NS" store-credentials "$id" "$key"
	# The operator's webhook may still be starting although its Deployment
	# is ready: retry the Cluster's creation for a while.
	local i
	for i in $(seq 30); do
		if kc apply -f ci/kind/cnpg/source-cluster.yaml; then
			break
		fi
		[ "$i" -lt 30 ] || return 1
		sleep 5
	done
	kc -n "$SOURCE_NS" wait "cluster/$SOURCE" --for=condition=Ready --timeout=10m
	kc -n "$SOURCE_NS" wait "cluster/$SOURCE" --for=condition=ContinuousArchiving --timeout=5m
}

step_backup() {
	sourceSQL "create table if not exists invoices (id bigserial primary key, phase text not null, amount numeric(10,2) not null, created_at timestamptz not null default now())"
	sourceSQL "insert into invoices (phase, amount) select 'before-backup', (random() * 1000)::numeric(10,2) from generate_series(1, 1000)"
	kc apply -f ci/kind/cnpg/backup.yaml
	kc -n "$SOURCE_NS" wait backup/billing-db-base --for=jsonpath='{.status.phase}'=completed --timeout=10m
	sourceSQL "insert into invoices (phase, amount) select 'after-backup', (random() * 1000)::numeric(10,2) from generate_series(1, 500)"
	# The segment that holds the last invoices is closed now and must be
	# in the store before the drill: its recovery replays only what is
	# archived.
	local segment i
	segment=$(sourceSQL "select pg_walfile_name(pg_switch_wal())")
	echo "waiting for WAL segment $segment to be archived"
	for i in $(seq 60); do
		if [ "$(sourceSQL "select coalesce(last_archived_wal, '') >= '$segment' from pg_stat_archiver")" = t ]; then
			echo "WAL segment $segment archived"
			return
		fi
		sleep 5
	done
	echo "WAL segment $segment was not archived within 5 minutes" >&2
	sourceSQL "select * from pg_stat_archiver" >&2
	return 1
}

# hostsEntry makes the store's in-cluster name resolve to 127.0.0.1 here,
# where the port-forward listens (HOSTS: /etc/hosts).
hostsEntry() {
	local hosts=${HOSTS:-/etc/hosts} line="127.0.0.1 $STORE_HOST"
	if grep -qxF "$line" "$hosts"; then
		return
	fi
	echo "adding \"$line\" to $hosts"
	if [ -w "$hosts" ]; then
		echo "$line" >>"$hosts"
	else
		echo "$line" | sudo tee -a "$hosts" >/dev/null
	fi
}

step_drill() {
	hostsEntry
	mkdir -p "$RESULTS"
	# kubectl itself, not through kc: $! must be its PID, not a subshell's
	# that would leave it running when killed.
	kubectl --context "$CONTEXT" -n "$STORE_NS" port-forward svc/minio "$STORE_PORT:$STORE_PORT" >"$RESULTS/port-forward.log" 2>&1 &
	local forward=$!
	# shellcheck disable=SC2064 # the PID is known now
	trap "kill $forward 2>/dev/null || true" EXIT
	local i
	for i in $(seq 30); do
		if curl -fsS -o /dev/null "http://$STORE_HOST:$STORE_PORT/minio/health/live"; then
			break
		fi
		[ "$i" -lt 30 ] || { cat "$RESULTS/port-forward.log" >&2; return 1; }
		sleep 1
	done
	local id key
	id=$(storeKey ACCESS_KEY_ID)
	key=$(storeKey ACCESS_SECRET_KEY)
	mask "$key"
	DRILL_STORE_KEY_ID=$id DRILL_STORE_SECRET=$key "$DRILL" run --context "$CONTEXT" \
		--results "$RESULTS" --junit "$RESULTS/junit.xml" --diagnostics "$RESULTS/diagnostics" \
		ci/kind/cnpg-recovery.yaml
}

step_diagnostics() {
	local dir=$RESULTS/cluster
	mkdir -p "$dir"
	kc get nodes -o wide >"$dir/nodes.txt" 2>&1 || true
	kc get pods,services,jobs,pvc -A -o wide >"$dir/objects.txt" 2>&1 || true
	kc get events -A --sort-by=.lastTimestamp >"$dir/events.txt" 2>&1 || true
	kc get clusters.postgresql.cnpg.io,backups.postgresql.cnpg.io -A -o yaml >"$dir/cnpg.yaml" 2>&1 || true
	kc -n cnpg-system logs deployment/cnpg-controller-manager --tail=2000 >"$dir/operator.log" 2>&1 || true
	kc -n "$SOURCE_NS" logs -l "cnpg.io/cluster=$SOURCE" --all-containers --tail=500 >"$dir/source-cluster.log" 2>&1 || true
	kc -n "$STORE_NS" logs deployment/minio --tail=500 >"$dir/minio.log" 2>&1 || true
	echo "cluster diagnostics in $dir"
}

step_down() {
	kind delete cluster --name "$CLUSTER"
}

run() {
	case "$1" in
	cluster | operator | store | source | backup | drill | diagnostics | down) "step_$1" ;;
	all)
		# Each step in a process of its own: errexit does not hold in a
		# function called before ||.
		local s
		for s in cluster operator store source backup drill; do
			echo "== $s"
			"$0" "$s" || { "$0" diagnostics; return 1; }
		done
		;;
	*)
		echo "usage: $0 cluster|operator|store|source|backup|drill|diagnostics|down|all" >&2
		return 2
		;;
	esac
}

run "${1:-}"
