package assertions

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// sampleRows is how many rows a result keeps for messages; the rest are
// only counted, so a check over a large table does not hold it in memory.
const sampleRows = 3

// closeTimeout bounds closing a connection, which also runs after the
// check's own deadline has passed.
const closeTimeout = 5 * time.Second

// column is one result column as the server described it.
type column struct {
	Name string
	OID  uint32
}

// queryResult is what a query returned, each value as PostgreSQL printed it
// (text format); a nil value is NULL.
type queryResult struct {
	Columns []column
	Rows    int
	Sample  [][]*string
}

// connectError is a failure to reach the database: infrastructure, not data.
type connectError struct {
	target string
	cause  string
}

func (e *connectError) Error() string {
	return "connect to " + e.target + ": " + e.cause
}

// runQuery runs one statement in a read-only transaction and returns its
// result in PostgreSQL's text format.
//
// The statement goes through the extended protocol with text results
// (pgx.QueryExecModeExec): the values are the server's own text, as with the
// simple protocol, but the server refuses more than one statement, so a check
// cannot end the read-only transaction with "COMMIT; DELETE ...". The session
// is also read-only by default, and its time zone and date style are fixed
// so that timestamps read the same on every machine.
func runQuery(ctx context.Context, connString, sql string) (*queryResult, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		// The parse error may quote the connection string, password
		// included; say only what is safe.
		return nil, &connectError{target: "the database", cause: "the connection string is not valid (not shown: it holds a password)"}
	}
	for k, v := range map[string]string{
		"default_transaction_read_only": "on",
		"TimeZone":                      "UTC",
		"DateStyle":                     "ISO, YMD",
		"IntervalStyle":                 "postgres",
		"application_name":              "drill-check",
	} {
		cfg.RuntimeParams[k] = v
	}
	target := describeTarget(cfg)

	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, &connectError{target: target, cause: redact(connectCause(err), cfg.Password)}
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()

	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("begin a read-only transaction on %s: %w", target, err)
	}
	// Nothing a check does is ever kept.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	rows, err := tx.Query(ctx, sql, pgx.QueryExecModeExec)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &queryResult{}
	for _, fd := range rows.FieldDescriptions() {
		res.Columns = append(res.Columns, column{Name: fd.Name, OID: fd.DataTypeOID})
	}
	for rows.Next() {
		res.Rows++
		if len(res.Sample) < sampleRows {
			res.Sample = append(res.Sample, copyRow(rows.RawValues()))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// copyRow keeps a row's values; RawValues reuses its buffers on Next.
func copyRow(raw [][]byte) []*string {
	row := make([]*string, len(raw))
	for i, v := range raw {
		if v != nil {
			s := string(v)
			row[i] = &s
		}
	}
	return row
}

func describeTarget(cfg *pgx.ConnConfig) string {
	host := cfg.Host
	if !strings.HasPrefix(host, "/") {
		host += ":" + strconv.Itoa(int(cfg.Port))
	}
	return fmt.Sprintf("%s database %s as %s", host, cfg.Database, cfg.User)
}

// connectCause is why a connection failed, without pgx's prefix (which we
// replace with our own naming of the target).
func connectCause(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Error()
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && errors.Unwrap(ce) != nil {
		return errors.Unwrap(ce).Error()
	}
	return err.Error()
}

// redact removes the password from a message, should any layer below have
// put it there.
func redact(msg, password string) string {
	if password == "" {
		return msg
	}
	return strings.ReplaceAll(msg, password, "[password]")
}
