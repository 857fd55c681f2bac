#!/usr/bin/env bash
# The same drill done by hand with the bare PostgreSQL programs, as a careful
# shell script would, with the same server settings as the local sandbox:
# the baseline that drill's benchmark compares itself with.
# Usage: bare-drill.sh BINDIR ARCHIVE JOBS PORT
# Prints "step seconds" lines on stdout.
set -euo pipefail
bindir=$1 archive=$2 jobs=$3 port=$4
now() { date +%s.%N; }
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

t0=$(now)
dir=$(mktemp -d)
trap 'as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_server "$bindir/initdb" -D "$dir/data" -U drill --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=1GB -c checkpoint_timeout=30min" start >/dev/null
t1=$(now)
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=drill
"$bindir/createdb" billing
"$bindir/pg_restore" --exit-on-error --jobs "$jobs" --no-owner --no-privileges -d billing "$archive"
t2=$(now)
"$bindir/psql" -X -At -d billing -c "select count(*) from invoices" >/dev/null
"$bindir/psql" -X -At -d billing -c "select max(created_at) from invoices" >/dev/null
t3=$(now)
as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
rm -rf "$dir"
trap - EXIT
t4=$(now)
echo "provision $(awk "BEGIN{print $t1 - $t0}")"
echo "restore $(awk "BEGIN{print $t2 - $t1}")"
echo "verify $(awk "BEGIN{print $t3 - $t2}")"
echo "teardown $(awk "BEGIN{print $t4 - $t3}")"
echo "total $(awk "BEGIN{print $t4 - $t0}")"
