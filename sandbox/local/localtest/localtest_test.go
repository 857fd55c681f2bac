package localtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

func TestStartServesQueries(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatalf("connect to %s: %v", srv.Redacted("postgres"), err)
	}
	defer conn.Close(ctx)
	var user string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&user); err != nil {
		t.Fatalf("query: %v", err)
	}
	if user != srv.User {
		t.Errorf("current_user = %q, want %q", user, srv.User)
	}
}
