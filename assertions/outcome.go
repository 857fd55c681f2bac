package assertions

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/restore-drill/drill/results"
)

// readOnlySQLState is PostgreSQL's read_only_sql_transaction error.
const readOnlySQLState = "25006"

// verdictForError turns an error from runQuery into a result. The deadline
// comes first: once it has passed, whatever the driver reports (a cancelled
// statement, a closed connection) is a consequence of it.
//
// A server error in the query (a missing table, a syntax error) fails the
// check: in a restored database a missing table is the data not being there.
// Not reaching the database is an error of the infrastructure.
func verdictForError(ctx context.Context, err error, timeout time.Duration) Result {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		msg := "the query did not finish before the run's deadline"
		if timeout > 0 {
			msg = "the query did not finish within the check's timeout of " + timeout.String()
		}
		return Result{Outcome: results.Timeout, Observed: "no result in time", Message: msg}
	case errors.Is(ctx.Err(), context.Canceled), errors.Is(err, context.Canceled):
		return Result{Outcome: results.Interrupted, Observed: "no result", Message: "the check was interrupted before the query finished"}
	}
	var ce *connectError
	if errors.As(err, &ce) {
		return Result{Outcome: results.Error, Observed: "no connection", Message: ce.Error()}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := pgErr.Error()
		if pgErr.Code == readOnlySQLState {
			msg += "; checks run in a read-only transaction and cannot change the restored data"
		}
		if pgErr.Hint != "" {
			msg += " (hint: " + pgErr.Hint + ")"
		}
		return Result{Outcome: results.Failed, Observed: pgErr.Severity + ": " + pgErr.Message, Message: msg}
	}
	return Result{Outcome: results.Error, Observed: "no result", Message: err.Error()}
}

// withTimeout bounds ctx by a check's own timeout, when it has one.
func withTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, timeout)
}
