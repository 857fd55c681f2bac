package namespace

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/restore-drill/drill/sandbox"
)

const (
	// connectAttemptTimeout bounds one connection attempt.
	connectAttemptTimeout = 10 * time.Second
	// firstRetry and maxRetry space the attempts: quick at first (a server
	// that is just starting), then no more than every few seconds.
	firstRetry = 200 * time.Millisecond
	maxRetry   = 5 * time.Second
)

// waitAccepting connects to srv's "postgres" database until the server
// accepts, retrying with backoff until ctx ends, and fills srv's Version and
// Major. A server that refuses the credentials or the database is not
// retried. what names the server for errors; the password is never in them.
func waitAccepting(ctx context.Context, srv *sandbox.PostgresServer, what string, timeout time.Duration) error {
	cfg, err := pgx.ParseConfig(srv.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("PostgreSQL for %s: %w", what, redact(err, srv.Password))
	}
	cfg.ConnectTimeout = connectAttemptTimeout
	wait := firstRetry
	attempts := 0
	for {
		attempts++
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			err = serverVersion(ctx, conn, srv)
			_ = conn.Close(context.WithoutCancel(ctx))
			if err != nil {
				return fmt.Errorf("PostgreSQL for %s: %w", what, err)
			}
			return nil
		}
		if refused(err) {
			return fmt.Errorf("PostgreSQL for %s refused user %s: %w: check the target's credentials", what, srv.User, redact(err, srv.Password))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("PostgreSQL for %s did not accept connections within %s (%d attempts as user %s); last error: %v: %w",
				what, timeout, attempts, srv.User, redact(err, srv.Password), context.Cause(ctx))
		case <-time.After(wait):
		}
		wait = min(wait*3/2, maxRetry)
	}
}

// refused says whether the server answered and said no: wrong password or
// user (SQLSTATE class 28), no such database (3D000). Waiting would not help.
func refused(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return strings.HasPrefix(pgErr.Code, "28") || pgErr.Code == "3D000"
}

// serverVersion reads the server's version ("15.18") and major version.
func serverVersion(ctx context.Context, conn *pgx.Conn, srv *sandbox.PostgresServer) error {
	var version, num string
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version'), current_setting('server_version_num')").Scan(&version, &num); err != nil {
		return fmt.Errorf("read the server's version: %w", err)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return fmt.Errorf("read the server's version: server_version_num %q is not a number", num)
	}
	srv.Version, _, _ = strings.Cut(version, " ") // "15.18 (Debian 15.18-1.pgdg120+1)"
	srv.Major = n / 10000
	return nil
}

// redact removes password from err's text, should a driver ever echo it.
func redact(err error, password string) error {
	if err == nil || password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), password, "xxxxx"))
}
