package assertions

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// rpoExpected is what an rpo check looks for.
const rpoExpected = "one timestamp: the newest in the restored data"

// rpoCheck finds the newest timestamp in the restored data. It only finds
// it: the engine turns it into the data-loss window and judges that against
// the objective.
type rpoCheck struct {
	name    string
	timeout time.Duration
	query   string
}

func newRPOCheck(name string, timeout time.Duration, c scenarios.RPOCheck) (*rpoCheck, error) {
	if err := checkQuery(name, c.Query); err != nil {
		return nil, err
	}
	return &rpoCheck{name: name, timeout: timeout, query: c.Query}, nil
}

// Run runs the query read-only and reads the timestamp it returns.
func (c *rpoCheck) Run(ctx context.Context, connString string) Result {
	ctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	res, err := runQuery(ctx, connString, c.query)
	if err != nil {
		r := verdictForError(ctx, err, c.timeout)
		r.Expected = rpoExpected
		return r
	}
	return judgeNewest(res)
}

// judgeNewest passes when the result is one non-NULL timestamptz, timestamp
// (taken as UTC) or date (midnight UTC).
func judgeNewest(res *queryResult) Result {
	r := Result{Expected: rpoExpected, Outcome: results.Failed}
	if res.Rows != 1 || len(res.Columns) != 1 {
		r.Observed = describeShape(res)
		r.Message = fmt.Sprintf("the query returned %s; expected exactly one row with one timestamp", describeResult(res))
		return r
	}
	v := res.Sample[0][0]
	r.Observed = printValue(v)
	if v == nil {
		r.Message = "the query returned NULL: the restored data has no timestamp to measure data loss from (is the table empty?)"
		return r
	}
	t, err := parseTimestamp(res.Columns[0].OID, *v)
	if err != nil {
		r.Message = err.Error()
		return r
	}
	t = t.UTC()
	r.Outcome = results.Passed
	r.Observed = t.Format(time.RFC3339Nano)
	r.Newest = &t
	return r
}

// parseTimestamp reads PostgreSQL's text for a timestamp with pgx's own
// decoders, so that every form the server prints (fractions, BC, infinity)
// is read the way pgx reads it.
func parseTimestamp(oid uint32, text string) (time.Time, error) {
	m := pgtype.NewMap()
	src := []byte(text)
	var (
		valid bool
		t     time.Time
		inf   pgtype.InfinityModifier
		err   error
	)
	switch oid {
	case pgtype.TimestamptzOID:
		var v pgtype.Timestamptz
		err = m.Scan(oid, pgtype.TextFormatCode, src, &v)
		valid, t, inf = v.Valid, v.Time, v.InfinityModifier
	case pgtype.TimestampOID:
		var v pgtype.Timestamp
		err = m.Scan(oid, pgtype.TextFormatCode, src, &v)
		// A timestamp without time zone carries no zone; it is taken as
		// UTC, which is how pgx reads it.
		valid, t, inf = v.Valid, v.Time, v.InfinityModifier
	case pgtype.DateOID:
		var v pgtype.Date
		err = m.Scan(oid, pgtype.TextFormatCode, src, &v)
		valid, t, inf = v.Valid, v.Time, v.InfinityModifier
	default:
		return time.Time{}, fmt.Errorf("the query returned %q of type %s, not a time: return a timestamptz, timestamp or date (for example max(created_at))", shorten(text), typeName(m, oid))
	}
	switch {
	case err != nil:
		return time.Time{}, fmt.Errorf("read %q as a %s: %w", shorten(text), typeName(m, oid), err)
	case !valid:
		return time.Time{}, fmt.Errorf("the query returned NULL, not a time")
	case inf != pgtype.Finite:
		return time.Time{}, fmt.Errorf("the query returned %s, not a point in time: filter out infinite timestamps", text)
	}
	return t, nil
}

func typeName(m *pgtype.Map, oid uint32) string {
	if t, ok := m.TypeForOID(oid); ok {
		return t.Name
	}
	return fmt.Sprintf("oid %d", oid)
}
