#!/usr/bin/env bash
# The demo: a real drill on the local sandbox, no cluster needed.
#  1. a throwaway "production" PostgreSQL gets a sample billing database, and
#     two nightly pg_dump backups of it are taken (yesterday's and today's);
#  2. the example scenario is pointed at that backup directory;
#  3. drill validates it, shows the plan, and runs the drill: the newest backup
#     is restored into a second throwaway server, checked, measured, removed.
set -euo pipefail
bin=${1:-bin}
demo=.demo
backups="$PWD/$demo/backups/billing"
rm -rf "$demo"
mkdir -p "$backups"

if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
	step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
else
	step() { printf '\n== %s\n' "$*" >&2; }
fi

step "1. Making a sample production database and two nightly backups of it"
"$bin/drill-sample" --out "$backups" --name billing-yesterday.dump --invoices 20000 --newest 25h >/dev/null
touch -d '1 day ago' "$backups/billing-yesterday.dump"
"$bin/drill-sample" --out "$backups" --name billing-today.dump --invoices 20000 --newest 1h >/dev/null
ls -l "$backups" >&2

step "2. The scenario (scenarios/examples/billing-monthly.yaml, pointed at $backups/)"
sed "s#/var/backups/billing/#$backups/#" scenarios/examples/billing-monthly.yaml > "$demo/billing-monthly.yaml"
"$bin/drill" validate "$demo/billing-monthly.yaml"

step "3. drill plan: what would happen, touching nothing"
"$bin/drill" plan "$demo/billing-monthly.yaml"

step "4. drill run: restore, verify, measure, tear down"
status=0
"$bin/drill" run "$demo/billing-monthly.yaml" --results "$demo/drill-results" --junit "$demo/junit.xml" || status=$?

step "The evidence"
echo "run record:   $(ls "$demo"/drill-results/billing-monthly/*.json)" >&2
echo "JUnit report: $demo/junit.xml" >&2
exit "$status"
