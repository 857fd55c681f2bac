package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/results"
)

// opTimeout bounds each call, connecting included: a drill saves its record
// under a context that a Ctrl-C does not cancel, so a database that stops
// answering must not hold the drill forever.
const opTimeout = 30 * time.Second

// Store is a results.Store in PostgreSQL. It is safe for concurrent use:
// one connection, used by one call at a time (a drill saves a few records
// per run; concurrent writers are separate drills, each with its own
// connection).
type Store struct {
	mu   sync.Mutex
	conn *pgx.Conn
	// name is the URL without its password, for messages.
	name string
}

var _ results.Catalog = (*Store)(nil)

// Open connects to the database at connURL (a postgres:// URL or a libpq
// key=value string; the password may come from PGPASSWORD or ~/.pgpass,
// like every PostgreSQL client) and migrates its schema. A database that
// cannot be reached is an infrastructure error. Close the store when done.
func Open(ctx context.Context, connURL string) (*Store, error) {
	name := Redact(connURL)
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		// pgx's parse errors quote the connection string: never show them.
		return nil, fmt.Errorf("results database %s: not a valid PostgreSQL connection URL; write it like postgres://user@host:5432/dbname", name)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = opTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, 2*opTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("connect to the results database %s: %w; check that it runs and that the URL and password (PGPASSWORD) are right", name, err))
	}
	if err := migrate(ctx, conn); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, fault.Infra(fmt.Errorf("results database %s: %w", name, err))
	}
	return &Store{conn: conn, name: name}, nil
}

// Close ends the store's connection.
func (s *Store) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn.Close(ctx)
}

// String names the store without its password.
func (s *Store) String() string { return s.name }

// Redact returns a connection URL fit to show people: the password is
// replaced, whether it came in the URL's user part or as a password
// parameter. A string that is not a URL is hidden whole.
func Redact(connURL string) string {
	u, err := url.Parse(connURL)
	if err != nil || u.Scheme == "" {
		return "(connection string hidden)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Save inserts the record or replaces the earlier record of the same run.
func (s *Store) Save(ctx context.Context, r *results.Record) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	c, err := results.Prepare(r)
	if err != nil {
		return err
	}
	data, err := results.EncodeJSON(c)
	if err != nil {
		return fmt.Errorf("encode run record %s/%s: %w", c.Scenario, c.RunID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.conn.Exec(ctx, `
		INSERT INTO drill_runs (scenario, run_id, started_at, finished_at, outcome, cadence,
			rto_seconds, backup_age_seconds, data_loss_seconds, rto_objective_seconds, rpo_objective_seconds, record)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (scenario, run_id) DO UPDATE SET
			started_at = excluded.started_at, finished_at = excluded.finished_at,
			outcome = excluded.outcome, cadence = excluded.cadence,
			rto_seconds = excluded.rto_seconds, backup_age_seconds = excluded.backup_age_seconds,
			data_loss_seconds = excluded.data_loss_seconds,
			rto_objective_seconds = excluded.rto_objective_seconds,
			rpo_objective_seconds = excluded.rpo_objective_seconds,
			record = excluded.record, saved_at = now()`,
		c.Scenario, c.RunID, c.StartedAt, c.FinishedAt, string(c.Outcome), c.Cadence,
		c.RTOSeconds, c.RPO.BackupAgeSeconds, c.RPO.DataLossSeconds, c.Objectives.RTOSeconds, c.Objectives.RPOSeconds,
		string(data))
	if err != nil {
		return fault.Infra(fmt.Errorf("save run record %s/%s in %s: %w", c.Scenario, c.RunID, s.name, err))
	}
	return nil
}

// Load reads one run's record.
func (s *Store) Load(ctx context.Context, scenario, runID string) (*results.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	var data []byte
	err := s.conn.QueryRow(ctx, `SELECT record FROM drill_runs WHERE scenario = $1 AND run_id = $2`, scenario, runID).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: no run %s of scenario %s in %s", results.ErrNotFound, runID, scenario, s.name)
	}
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("load run record %s/%s from %s: %w", scenario, runID, s.name, err))
	}
	r, err := results.DecodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("run record %s/%s in %s: %w", scenario, runID, s.name, err)
	}
	return r, nil
}

// List reads every record of one scenario, oldest start first.
func (s *Store) List(ctx context.Context, scenario string) ([]*results.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := s.conn.Query(ctx, `SELECT record FROM drill_runs WHERE scenario = $1 ORDER BY started_at, run_id`, scenario)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("list run records of scenario %s in %s: %w", scenario, s.name, err))
	}
	datas, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("list run records of scenario %s in %s: %w", scenario, s.name, err))
	}
	out := make([]*results.Record, 0, len(datas))
	for _, data := range datas {
		r, err := results.DecodeJSON(data)
		if err != nil {
			return nil, fmt.Errorf("run record of scenario %s in %s: %w", scenario, s.name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// Scenarios names every scenario with a record.
func (s *Store) Scenarios(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, err := s.conn.Query(ctx, `SELECT DISTINCT scenario FROM drill_runs ORDER BY scenario`)
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("list scenarios in %s: %w", s.name, err))
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fault.Infra(fmt.Errorf("list scenarios in %s: %w", s.name, err))
	}
	return names, nil
}
