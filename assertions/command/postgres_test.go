package command

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/scenarios"
)

// restoredBilling starts a real server with a database "billing" holding
// three users, as a restore would have left it.
func restoredBilling(t *testing.T) *sandbox.PostgresServer {
	t.Helper()
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE billing"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, srv.ConnString("billing"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE users (name text); INSERT INTO users VALUES ('ada'), ('grace'), ('linus')"); err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestPsqlSeesTheRestoredDatabase runs the real psql through the check:
// it reaches the restored database through the environment alone.
func TestPsqlSeesTheRestoredDatabase(t *testing.T) {
	srv := restoredBilling(t)
	psql := filepath.Join(srv.BinDir, "psql")
	tests := []struct {
		name        string
		cmd         scenarios.CommandCheck
		conn        string
		want        results.Outcome
		wantMessage string
	}{
		{name: "the rows are there", conn: srv.ConnString("billing"),
			cmd:  scenarios.CommandCheck{Run: []string{psql, "-Atc", "select count(*) from users"}, Stdout: "^3$"},
			want: results.Passed},
		{name: "a count that differs fails", conn: srv.ConnString("billing"),
			cmd:  scenarios.CommandCheck{Run: []string{psql, "-Atc", "select count(*) from users"}, Stdout: "^4$"},
			want: results.Failed, wantMessage: "last output:\n    3"},
		{name: "a missing table fails with psql's message", conn: srv.ConnString("billing"),
			cmd:  scenarios.CommandCheck{Run: []string{psql, "-v", "ON_ERROR_STOP=1", "-Atc", "select count(*) from projects"}},
			want: results.Failed, wantMessage: `relation "projects" does not exist`},
		{name: "a wrong password fails", conn: wrongPassword(srv).ConnString("billing"),
			cmd:  scenarios.CommandCheck{Run: []string{psql, "-Atc", "select 1"}},
			want: results.Failed, wantMessage: "password authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := localCheckOf(t, time.Minute, tt.cmd).Run(context.Background(), tt.conn)
			if res.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s: %+v", res.Outcome, tt.want, res)
			}
			if !strings.Contains(res.Message, tt.wantMessage) {
				t.Errorf("message %q lacks %q", res.Message, tt.wantMessage)
			}
			for _, secret := range []string{srv.Password, wrongPassword(srv).Password} {
				if strings.Contains(res.Message+res.Observed+res.Expected, secret) {
					t.Errorf("a password is in the result: %+v", res)
				}
			}
		})
	}
}

func wrongPassword(srv *sandbox.PostgresServer) *sandbox.PostgresServer {
	wrong := *srv
	wrong.Password = "not-" + srv.Password
	return &wrong
}
