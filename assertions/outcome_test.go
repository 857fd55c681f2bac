package assertions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/restore-drill/drill/results"
)

func TestVerdictForError(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	live := context.Background()
	missing := &pgconn.PgError{Severity: "ERROR", Code: "42P01", Message: `relation "orders" does not exist`}
	readOnly := &pgconn.PgError{Severity: "ERROR", Code: "25006", Message: "cannot execute DELETE in a read-only transaction"}
	tests := []struct {
		name        string
		ctx         context.Context
		err         error
		timeout     time.Duration
		want        results.Outcome
		wantMessage string
	}{
		{"deadline passed", expired, errors.New("conn closed"), 0, results.Timeout, "run's deadline"},
		{"check timeout", expired, missing, 2 * time.Second, results.Timeout, "timeout of 2s"},
		{"deadline in the error", live, fmt.Errorf("read: %w", context.DeadlineExceeded), 0, results.Timeout, "deadline"},
		{"cancelled", cancelled, errors.New("conn closed"), 0, results.Interrupted, "interrupted"},
		{"connect", live, &connectError{target: "127.0.0.1:5 database d as u", cause: "refused"}, 0, results.Error, "127.0.0.1:5 database d"},
		{"missing table", live, fmt.Errorf("query: %w", missing), 0, results.Failed, "42P01"},
		{"read-only", live, readOnly, 0, results.Failed, "read-only transaction and cannot change"},
		{"connection lost", live, errors.New("unexpected EOF"), 0, results.Error, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := verdictForError(tt.ctx, tt.err, tt.timeout)
			if r.Outcome != tt.want || !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("got %s %q, want %s mentioning %q", r.Outcome, r.Message, tt.want, tt.wantMessage)
			}
			if r.Observed == "" {
				t.Error("observed is empty: every outcome says what was observed")
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ msg, password, want string }{
		{"auth failed for s3cret", "s3cret", "auth failed for [password]"},
		{"nothing here", "s3cret", "nothing here"},
		{"empty password keeps text", "", "empty password keeps text"},
	}
	for _, tt := range tests {
		if got := redact(tt.msg, tt.password); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
