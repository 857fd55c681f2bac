#!/usr/bin/env bash
# Installs what drill's demo and tests need on Debian or Ubuntu: the
# PostgreSQL server and client programs, and Redis and git for the
# Kubernetes + Argo CD lab of the e2e tests, and Chromium for the HTML
# report's test. As root it installs them with
# apt-get; otherwise it says exactly what to run. It changes nothing when
# everything is already there.
set -euo pipefail

have_postgres() {
	local d
	for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
		[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && [ -x "$d/pg_restore" ] && return 0
	done
	command -v initdb >/dev/null && command -v postgres >/dev/null && command -v pg_restore >/dev/null
}

if ! command -v go >/dev/null; then
	echo "drill needs Go 1.26 or newer to build: install it from your distribution or the Go project, then run this again." >&2
	exit 1
fi

# versitygw is the S3 server the object-store tests run against. It is built
# from its own module into a cache directory, never into the project's
# go.mod; without it those tests skip and say why.
versitygw_version=v1.8.0
versitygw_dir="${XDG_CACHE_HOME:-$HOME/.cache}/drill/tools/versitygw-$versitygw_version"
if [ -z "${DRILL_VERSITYGW:-}" ] && [ ! -x "$versitygw_dir/versitygw" ]; then
	echo "building versitygw $versitygw_version for the S3 tests (once) ..." >&2
	if ! GOBIN="$versitygw_dir" GOFLAGS= go install "github.com/versity/versitygw/cmd/versitygw@$versitygw_version"; then
		echo "could not build versitygw: the S3 tests will be skipped" >&2
	fi
fi

# An in-memory OCI registry (go-containerregistry's) for the test of Helm
# charts pulled from oci:// repositories; built the same way.
ociregistry_version=v0.20.2
ociregistry_dir="${XDG_CACHE_HOME:-$HOME/.cache}/drill/tools/ociregistry-$ociregistry_version"
if [ -z "${DRILL_OCI_REGISTRY:-}" ] && [ ! -x "$ociregistry_dir/registry" ]; then
	echo "building an OCI registry $ociregistry_version for the Helm OCI test (once) ..." >&2
	if ! GOBIN="$ociregistry_dir" GOFLAGS='' go install "github.com/google/go-containerregistry/cmd/registry@$ociregistry_version"; then
		echo "could not build the OCI registry: the Helm OCI test will be skipped" >&2
	fi
fi

packages=""
have_postgres || packages="postgresql postgresql-client"
# Argo CD in the e2e lab keeps its cache in Redis and reads git repositories.
command -v redis-server >/dev/null || packages="$packages redis-server"
command -v git >/dev/null || packages="$packages git"
# The HTML report's test opens it in headless Chromium to see its charts drawn.
command -v chromium >/dev/null || packages="$packages chromium"
# Point-in-time restores: Barman Cloud's tools (with boto3 for S3) and pgBackRest.
command -v barman-cloud-restore >/dev/null || packages="$packages barman-cli-cloud"
python3 -c 'import boto3' 2>/dev/null || packages="$packages python3-boto3"
command -v pgbackrest >/dev/null || packages="$packages pgbackrest"
# actionlint (in the workflow tests) checks the workflows' shell steps with it.
command -v shellcheck >/dev/null || packages="$packages shellcheck"
packages="${packages# }"
if [ -z "$packages" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "drill needs the PostgreSQL server and client programs (initdb, postgres, pg_restore, psql, pg_dump), redis-server, git, chromium, barman-cli-cloud, python3-boto3, pgbackrest and shellcheck." >&2
	echo "Install them, then run this again:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y $packages" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null; then
	echo "drill needs the PostgreSQL server and client programs (initdb, postgres, pg_restore, psql, pg_dump), redis-server, git, chromium, barman-cli-cloud, python3-boto3, pgbackrest and shellcheck; install them with your system's package manager." >&2
	exit 1
fi
echo "installing $packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
# A mirror that fails one request now and then must not fail CI: retry.
apt-get -o Acquire::Retries=3 update -qq
apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends $packages >/dev/null
have_postgres || { echo "PostgreSQL was installed but its programs were not found" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server was installed but not found on PATH" >&2; exit 1; }
