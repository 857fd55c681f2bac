// Package pgstore keeps run records in PostgreSQL, for a team's shared
// history: each record whole as jsonb, plus the columns a report queries
// (scenario, start, outcome, RTO, RPO, objectives).
//
// Open creates and migrates the schema it needs (tables drill_runs and
// drill_schema_version in the connection's default schema). Migrations run
// in one transaction under an advisory lock, so two drills starting at once
// against a new database both succeed and the schema is made once.
package pgstore
