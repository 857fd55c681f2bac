package assertions

import (
	"context"
	"fmt"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// sqlCheck runs a query and compares its single value with an expectation,
// or counts its rows.
type sqlCheck struct {
	name    string
	timeout time.Duration
	query   string
	expect  *scenarios.Expectation
	rows    *int
}

func newSQLCheck(name string, timeout time.Duration, c scenarios.SQLCheck) (*sqlCheck, error) {
	if err := checkQuery(name, c.Query); err != nil {
		return nil, err
	}
	s := &sqlCheck{name: name, timeout: timeout, query: c.Query}
	switch {
	case c.Expect != "" && c.Rows != nil:
		return nil, fmt.Errorf("check %s: both expect and rows are set: keep one", name)
	case c.Rows != nil:
		if *c.Rows < 0 {
			return nil, fmt.Errorf("check %s: rows is %d: give a count of 0 or more", name, *c.Rows)
		}
		n := *c.Rows
		s.rows = &n
	case c.Expect != "":
		e, err := scenarios.ParseExpect(c.Expect)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", name, err)
		}
		s.expect = &e
	default:
		return nil, fmt.Errorf("check %s: neither expect nor rows is set: say what the query must return", name)
	}
	return s, nil
}

// Run runs the query read-only and judges what came back.
func (s *sqlCheck) Run(ctx context.Context, connString string) Result {
	ctx, cancel := withTimeout(ctx, s.timeout)
	defer cancel()
	res, err := runQuery(ctx, connString, s.query)
	if err != nil {
		r := verdictForError(ctx, err, s.timeout)
		r.Expected = s.expected()
		return r
	}
	if s.rows != nil {
		return judgeRows(*s.rows, res)
	}
	return judgeValue(*s.expect, res)
}

func (s *sqlCheck) expected() string {
	if s.rows != nil {
		return countRows(*s.rows)
	}
	return s.expect.String()
}

// judgeRows compares the number of rows with the expected count.
func judgeRows(want int, res *queryResult) Result {
	r := Result{Expected: countRows(want), Observed: countRows(res.Rows), Outcome: results.Passed}
	if res.Rows != want {
		r.Outcome = results.Failed
		r.Message = fmt.Sprintf("the query returned %s, expected %s", describeResult(res), countRows(want))
	}
	return r
}

// judgeValue compares the query's single value with the expectation. NULL
// is observed as "NULL"; it fails a numeric expectation.
func judgeValue(e scenarios.Expectation, res *queryResult) Result {
	r := Result{Expected: e.String()}
	if res.Rows != 1 || len(res.Columns) != 1 {
		r.Outcome = results.Failed
		r.Observed = describeShape(res)
		r.Message = fmt.Sprintf("the query returned %s; expected exactly one row with one column to compare with %q", describeResult(res), e.String())
		return r
	}
	v := res.Sample[0][0]
	r.Observed = printValue(v)
	if v == nil && e.Op != "" {
		r.Outcome = results.Failed
		r.Message = fmt.Sprintf("the query returned NULL, which is not a number; expected %s", e.String())
		return r
	}
	ok, err := e.Holds(r.Observed)
	switch {
	case err != nil:
		r.Outcome = results.Failed
		r.Message = err.Error()
	case !ok:
		r.Outcome = results.Failed
		r.Message = fmt.Sprintf("observed %s, expected %s", r.Observed, e.String())
	default:
		r.Outcome = results.Passed
	}
	return r
}
