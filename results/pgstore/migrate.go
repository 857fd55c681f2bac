package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrationLock is the advisory lock key that serialises migrations of
// every drill against one database ("drill" in ASCII).
const migrationLock = 0x6472696c6c

// migrations are applied in order; version N is migrations[N-1]. Append
// only: a released migration never changes.
var migrations = []string{
	`CREATE TABLE drill_runs (
		scenario              text NOT NULL,
		run_id                text NOT NULL,
		started_at            timestamptz NOT NULL,
		finished_at           timestamptz,
		outcome               text NOT NULL,
		cadence               text,
		rto_seconds           double precision,
		backup_age_seconds    double precision,
		data_loss_seconds     double precision,
		rto_objective_seconds double precision,
		rpo_objective_seconds double precision,
		record                jsonb NOT NULL,
		saved_at              timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (scenario, run_id)
	)`,
	`CREATE INDEX drill_runs_scenario_started ON drill_runs (scenario, started_at)`,
}

// SchemaVersion is the schema version this drill writes.
var SchemaVersion = len(migrations)

// migrate brings the schema to SchemaVersion. It refuses a database that a
// newer drill has migrated further, rather than writing rows that drill
// would misread.
func migrate(ctx context.Context, conn *pgx.Conn) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("lock the schema for migration: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS drill_schema_version (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("create drill_schema_version: %w", err)
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM drill_schema_version`).Scan(&current); err != nil {
			return fmt.Errorf("read the schema version: %w", err)
		}
		if current > SchemaVersion {
			return fmt.Errorf("the results database has schema version %d, newer than this drill's %d: upgrade drill", current, SchemaVersion)
		}
		for v := current + 1; v <= SchemaVersion; v++ {
			if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
				return fmt.Errorf("migrate the results schema to version %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO drill_schema_version (version) VALUES ($1)`, v); err != nil {
				return fmt.Errorf("record schema version %d: %w", v, err)
			}
		}
		return nil
	})
}
