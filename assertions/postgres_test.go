package assertions

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"github.com/restore-drill/drill/scenarios"
)

// newest is the newest row's timestamp in the fixture table.
var newest = time.Date(2025, 2, 28, 22, 35, 0, 0, time.UTC)

// fixtureSQL builds a small database for the checks to read: 1000 orders,
// the first with a NULL note, created a minute apart up to newest. The
// database's own time zone is not UTC, as a restored one's may not be.
const fixtureSQL = `
ALTER DATABASE checks SET TimeZone = 'Asia/Kolkata';
CREATE TABLE orders (
	id            int PRIMARY KEY,
	total         numeric(10,2) NOT NULL,
	note          text,
	paid          boolean NOT NULL,
	created_at    timestamptz NOT NULL,
	created_local timestamp NOT NULL,
	created_day   date NOT NULL
);
INSERT INTO orders
SELECT g, 12.50, CASE WHEN g = 1 THEN NULL ELSE 'note ' || g END, g % 2 = 0,
       ts, ts AT TIME ZONE 'UTC', (ts AT TIME ZONE 'UTC')::date
FROM generate_series(1, 1000) AS g,
     LATERAL (SELECT '2025-02-28 22:35:00+00'::timestamptz - (1000 - g) * interval '1 minute' AS ts) AS t;
`

// restoredDatabase starts a real server and creates the fixture database
// in it, as a restore would have left it.
func restoredDatabase(t *testing.T) (*sandbox.PostgresServer, string) {
	t.Helper()
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE checks"); err != nil {
		t.Fatalf("create the fixture database: %v", err)
	}
	conn, err := pgx.Connect(ctx, srv.ConnString("checks"))
	if err != nil {
		t.Fatalf("connect to the fixture database: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fixtureSQL); err != nil {
		t.Fatalf("create the fixture table: %v", err)
	}
	return srv, srv.ConnString("checks")
}

func TestChecksAgainstPostgreSQL(t *testing.T) {
	srv, connString := restoredDatabase(t)
	t.Run("sql", func(t *testing.T) { testSQLChecks(t, connString) })
	t.Run("rpo", func(t *testing.T) { testRPOChecks(t, connString) })
	t.Run("read-only", func(t *testing.T) { testReadOnly(t, connString) })
	t.Run("timeout", func(t *testing.T) { testTimeout(t, connString) })
	t.Run("connection", func(t *testing.T) { testConnectionFailures(t, srv) })
}

func runCheck(t *testing.T, c scenarios.Check, connString string) Result {
	t.Helper()
	check, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return check.Run(ctx, connString)
}

func testSQLChecks(t *testing.T, connString string) {
	rows := func(n int) *int { return &n }
	tests := []struct {
		name         string
		query        string
		expect       string
		rows         *int
		want         results.Outcome
		wantObserved string
		wantMessage  string
	}{
		{"count >=", "SELECT count(*) FROM orders", ">= 1000", nil, results.Passed, "1000", ""},
		{"count > fails", "SELECT count(*) FROM orders", "> 1000", nil, results.Failed, "1000", "expected > 1000"},
		{"count ==", "SELECT count(*) FROM orders", "== 1000", nil, results.Passed, "1000", ""},
		{"count == fails", "SELECT count(*) FROM orders", "== 999", nil, results.Failed, "1000", "expected == 999"},
		{"count bare number", "SELECT count(*) FROM orders", "1000", nil, results.Passed, "1000", ""},
		{"count !=", "SELECT count(*) FROM orders", "!= 0", nil, results.Passed, "1000", ""},
		{"count != fails", "SELECT count(*) FROM orders", "!= 1000", nil, results.Failed, "1000", "expected != 1000"},
		{"count <", "SELECT count(*) FROM orders", "< 1001", nil, results.Passed, "1000", ""},
		{"count < fails", "SELECT count(*) FROM orders", "< 1000", nil, results.Failed, "1000", "expected < 1000"},
		{"count <=", "SELECT count(*) FROM orders", "<= 1000", nil, results.Passed, "1000", ""},
		{"count <= fails", "SELECT count(*) FROM orders", "<= 999", nil, results.Failed, "1000", "expected <= 999"},
		{"numeric as printed", "SELECT total FROM orders WHERE id = 7", "12.50", nil, results.Passed, "12.50", ""},
		{"numeric compared as a number", "SELECT total FROM orders WHERE id = 7", "== 12.5", nil, results.Passed, "12.50", ""},
		{"sum", "SELECT sum(total) FROM orders", ">= 12500", nil, results.Passed, "12500.00", ""},
		{"boolean text", "SELECT paid FROM orders WHERE id = 2", "t", nil, results.Passed, "t", ""},
		{"text equality", "SELECT note FROM orders WHERE id = 2", "note 2", nil, results.Passed, "note 2", ""},
		{"text inequality", "SELECT note FROM orders WHERE id = 2", "note 3", nil, results.Failed, "note 2", "expected note 3"},
		{"timestamptz text in UTC", "SELECT max(created_at) FROM orders", "2025-02-28 22:35:00+00", nil, results.Passed, "2025-02-28 22:35:00+00", ""},
		{"NULL fails a number", "SELECT note FROM orders WHERE id = 1", ">= 0", nil, results.Failed, "NULL", "NULL"},
		{"text is not a number", "SELECT note FROM orders WHERE id = 2", ">= 0", nil, results.Failed, "note 2", "not a number"},
		{"rows", "SELECT id FROM orders WHERE id <= 3", "", rows(3), results.Passed, "3 rows", ""},
		{"rows fails", "SELECT id FROM orders WHERE id <= 3", "", rows(2), results.Failed, "3 rows", "expected 2 rows"},
		{"rows of none", "SELECT id FROM orders WHERE id > 5000", "", rows(0), results.Passed, "0 rows", ""},
		{"multiple rows", "SELECT id FROM orders ORDER BY id LIMIT 5", "1", nil, results.Failed, "5 rows", "5 rows: 1; 2; 3; ..."},
		{"multiple columns", "SELECT id, note FROM orders WHERE id = 1", "1", nil, results.Failed, "1 row of 2 columns", "(1, NULL)"},
		{"no rows", "SELECT id FROM orders WHERE id > 5000", "1", nil, results.Failed, "no rows", "no rows"},
		{"missing table", "SELECT count(*) FROM invoices", ">= 1", nil, results.Failed, `ERROR: relation "invoices" does not exist`, "42P01"},
		{"syntax error", "SELEKT 1", "1", nil, results.Failed, `ERROR: syntax error at or near "SELEKT"`, "42601"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheck(t, scenarios.Check{Name: tt.name, SQL: &scenarios.SQLCheck{Query: tt.query, Expect: tt.expect, Rows: tt.rows}}, connString)
			if r.Outcome != tt.want || r.Observed != tt.wantObserved {
				t.Errorf("got %s observed %q (%s), want %s observed %q", r.Outcome, r.Observed, r.Message, tt.want, tt.wantObserved)
			}
			if r.Expected == "" {
				t.Error("expected is empty")
			}
			if !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("message %q does not mention %q", r.Message, tt.wantMessage)
			}
		})
	}
}

func testRPOChecks(t *testing.T, connString string) {
	tests := []struct {
		name        string
		query       string
		want        results.Outcome
		wantNewest  time.Time
		wantMessage string
	}{
		{"timestamptz", "SELECT max(created_at) FROM orders", results.Passed, newest, ""},
		{"timestamp taken as UTC", "SELECT max(created_local) FROM orders", results.Passed, newest, ""},
		{"date", "SELECT max(created_day) FROM orders", results.Passed, time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC), ""},
		{"NULL", "SELECT max(created_at) FROM orders WHERE id > 5000", results.Failed, time.Time{}, "NULL"},
		{"no row", "SELECT created_at FROM orders WHERE id > 5000", results.Failed, time.Time{}, "no rows"},
		{"many rows", "SELECT created_at FROM orders", results.Failed, time.Time{}, "1000 rows"},
		{"not a time", "SELECT max(id) FROM orders", results.Failed, time.Time{}, "not a time"},
		{"infinity", "SELECT 'infinity'::timestamptz", results.Failed, time.Time{}, "infinity"},
		{"missing table", "SELECT max(created_at) FROM invoices", results.Failed, time.Time{}, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheck(t, scenarios.Check{Name: tt.name, RPO: &scenarios.RPOCheck{Query: tt.query}}, connString)
			if r.Outcome != tt.want {
				t.Fatalf("got %s observed %q (%s), want %s", r.Outcome, r.Observed, r.Message, tt.want)
			}
			if r.Expected == "" || r.Observed == "" {
				t.Errorf("expected %q / observed %q: both must be filled", r.Expected, r.Observed)
			}
			if !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("message %q does not mention %q", r.Message, tt.wantMessage)
			}
			if tt.want != results.Passed {
				return
			}
			if r.Newest == nil || !r.Newest.Equal(tt.wantNewest) {
				t.Fatalf("newest %v, want %v", r.Newest, tt.wantNewest)
			}
			if r.Observed != tt.wantNewest.Format(time.RFC3339) {
				t.Errorf("observed %q, want %q", r.Observed, tt.wantNewest.Format(time.RFC3339))
			}
		})
	}
}

// testReadOnly tries every way a check could change the restored data and
// then counts the rows to show none got through.
func testReadOnly(t *testing.T, connString string) {
	zero := 0
	writes := []struct{ name, query, wantMessage string }{
		{"delete", "DELETE FROM orders", "read-only"},
		{"insert returning", "INSERT INTO orders SELECT id + 5000, total, note, paid, created_at, created_local, created_day FROM orders RETURNING id", "read-only"},
		{"writable CTE", "WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d", "read-only"},
		{"commit first", "COMMIT; DELETE FROM orders", "multiple commands"},
		{"read-write then delete", "SET TRANSACTION READ WRITE; DELETE FROM orders", "multiple commands"},
		{"drop", "DROP TABLE orders", "read-only"},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			r := runCheck(t, scenarios.Check{Name: w.name, SQL: &scenarios.SQLCheck{Query: w.query, Rows: &zero}}, connString)
			if r.Outcome != results.Failed || !strings.Contains(r.Message, w.wantMessage) {
				t.Errorf("got %s %q, want failed mentioning %q", r.Outcome, r.Message, w.wantMessage)
			}
			count := runCheck(t, scenarios.Check{Name: "count", SQL: &scenarios.SQLCheck{Query: "SELECT count(*) FROM orders", Expect: "1000"}}, connString)
			if count.Outcome != results.Passed {
				t.Fatalf("after %q the table holds %s rows, want 1000 untouched", w.query, count.Observed)
			}
		})
	}
}

func testTimeout(t *testing.T, connString string) {
	tests := []struct {
		name        string
		timeout     time.Duration
		ctxTimeout  time.Duration
		wantMessage string
	}{
		{"check timeout", 300 * time.Millisecond, time.Minute, "timeout of 300ms"},
		{"run deadline", 0, 300 * time.Millisecond, "run's deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, err := New(scenarios.Check{Name: "slow", Timeout: tt.timeout, SQL: &scenarios.SQLCheck{Query: "SELECT pg_sleep(30)", Rows: new(int)}})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), tt.ctxTimeout)
			defer cancel()
			start := time.Now()
			r := check.Run(ctx, connString)
			if r.Outcome != results.Timeout || !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("got %s %q, want timeout mentioning %q", r.Outcome, r.Message, tt.wantMessage)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the check took %v to notice its deadline", took)
			}
		})
	}
}

func testConnectionFailures(t *testing.T, srv *sandbox.PostgresServer) {
	wrongPassword := *srv
	wrongPassword.Password = "not-the-password-7c1f"
	closedPort := *srv
	closedPort.Port = localtest.ReservePort(t).Number
	tests := []struct {
		name       string
		connString string
		password   string
		wantTarget string
	}{
		{"wrong password", wrongPassword.ConnString("checks"), wrongPassword.Password, srv.Host + ":" + strconv.Itoa(srv.Port) + " database checks"},
		{"closed port", closedPort.ConnString("checks"), closedPort.Password, srv.Host + ":" + strconv.Itoa(closedPort.Port) + " database checks"},
		{"missing database", srv.ConnString("nothere"), srv.Password, "database nothere"},
		{"not a connection string", "postgres://u:" + srv.Password + "@[bad", srv.Password, "not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCheck(t, scenarios.Check{Name: tt.name, SQL: &scenarios.SQLCheck{Query: "SELECT 1", Expect: "1"}}, tt.connString)
			if r.Outcome != results.Error {
				t.Errorf("got %s %q, want error", r.Outcome, r.Message)
			}
			if !strings.Contains(r.Message, tt.wantTarget) {
				t.Errorf("message %q does not name %q", r.Message, tt.wantTarget)
			}
			for _, secret := range []string{tt.password, srv.Password} {
				if strings.Contains(r.Message+r.Observed+r.Expected, secret) {
					t.Errorf("the result shows a password: %q", r.Message)
				}
			}
		})
	}
}
