package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/pgstore"
	"github.com/restore-drill/drill/results/resultstest"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

var end = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// TestStore runs every test of the store against one real server (starting
// one takes seconds), each in a database of its own.
func TestStore(t *testing.T) {
	srv := localtest.Start(t)
	tests := map[string]func(*testing.T, string){
		"round trips every field":          testRoundTripsEveryField,
		"two writers at once lose nothing": testTwoWritersAtOnceLoseNothing,
		"save replaces the running record": testSaveReplacesTheRunningRecord,
		"messages never show the password": testMessagesNeverShowThePassword,
		"migrates an older schema":         testMigratesAnOlderSchema,
		"refuses a newer schema":           testRefusesANewerSchema,
	}
	i := 0
	for name, test := range tests {
		i++
		db := fmt.Sprintf("drill_results_%d", i)
		t.Run(name, func(t *testing.T) { test(t, freshDatabase(t, srv, db)) })
	}
}

// freshDatabase creates an empty database and returns its URL (with its
// password).
func freshDatabase(t *testing.T, srv *sandbox.PostgresServer, db string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Fatal(err)
	}
	return srv.ConnString(db)
}

func open(t *testing.T, connURL string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), connURL)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func testRoundTripsEveryField(t *testing.T, connURL string) {
	ctx := context.Background()
	s := open(t, connURL)
	records := resultstest.Generate(5, 120, resultstest.Scenarios, end)
	requireEveryFieldSet(t, records)
	for _, r := range records {
		if err := s.Save(ctx, r); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	for _, want := range records {
		got, err := s.Load(ctx, want.Scenario, want.RunID)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %s/%s came back different\ngot  %+v\nwant %+v", want.Scenario, want.RunID, got, want)
		}
	}
	all, err := results.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(records) {
		t.Errorf("ReadAll gives %d records, saved %d", len(all), len(records))
	}
	if _, err := s.Load(ctx, "billing-monthly", "no-such-run"); !errors.Is(err, results.ErrNotFound) {
		t.Errorf("Load of a missing run: %v, want ErrNotFound", err)
	}
}

// requireEveryFieldSet fails when some field of Record (or of its parts)
// is zero in every record, so that the round trip really covers it.
func requireEveryFieldSet(t *testing.T, records []*results.Record) {
	t.Helper()
	seen := map[string]bool{}
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(prefix, v.Elem())
			}
			return
		case reflect.Slice:
			for i := range v.Len() {
				walk(prefix+"[]", v.Index(i))
			}
			return
		case reflect.Struct:
			if v.Type() != reflect.TypeOf(time.Time{}) {
				for i := range v.NumField() {
					f := v.Type().Field(i)
					name := prefix + "." + f.Name
					if !v.Field(i).IsZero() {
						seen[name] = true
					} else if _, ok := seen[name]; !ok {
						seen[name] = false
					}
					walk(name, v.Field(i))
				}
			}
		}
	}
	for _, r := range records {
		walk("Record", reflect.ValueOf(r))
	}
	for name, set := range seen {
		if !set {
			t.Errorf("no generated record sets %s: the round trip would not cover it", name)
		}
	}
}

func testTwoWritersAtOnceLoseNothing(t *testing.T, connURL string) {
	ctx := context.Background()
	records := resultstest.Generate(9, 200, resultstest.Scenarios, end)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer opens its own store, as two drills would: both
			// migrate the new database at the same moment.
			s, err := pgstore.Open(ctx, connURL)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close(ctx)
			for i := w; i < len(records); i += 2 {
				if err := s.Save(ctx, records[i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	s := open(t, connURL)
	all, err := results.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(records) {
		t.Errorf("after two writers saved %d records, the store holds %d", len(records), len(all))
	}
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var versions, latest int
	if err := conn.QueryRow(ctx, `SELECT count(*), max(version) FROM drill_schema_version`).Scan(&versions, &latest); err != nil {
		t.Fatal(err)
	}
	if versions != pgstore.SchemaVersion || latest != pgstore.SchemaVersion {
		t.Errorf("schema versions recorded: %d rows, latest %d; want each of 1..%d once", versions, latest, pgstore.SchemaVersion)
	}
}

func testSaveReplacesTheRunningRecord(t *testing.T, connURL string) {
	ctx := context.Background()
	s := open(t, connURL)
	r := resultstest.Generate(2, 1, resultstest.Scenarios, end)[0]
	final := r.Outcome
	r.Outcome = results.Running
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Outcome = final
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, r.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Outcome != final {
		t.Errorf("after saving a run twice the store holds %d records (first outcome %v), want 1 with %q", len(list), list, final)
	}
}

func testMessagesNeverShowThePassword(t *testing.T, connURL string) {
	u, _ := url.Parse(connURL)
	password, _ := u.User.Password()
	u.User = url.UserPassword(u.User.Username(), "wrong-"+password)
	_, err := pgstore.Open(context.Background(), u.String())
	if err == nil {
		t.Fatal("Open with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), "wrong-"+password) {
		t.Errorf("the error shows the password: %v", err)
	}
	s := open(t, connURL)
	if strings.Contains(s.String(), password) || strings.Contains(fmt.Sprint(s), password) {
		t.Errorf("the store's name shows the password: %s", s)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://drill:s3cret@db:5432/results":                     "postgres://drill:xxxxx@db:5432/results",
		"postgres://drill@db/results?password=s3cret&sslmode=require": "postgres://drill@db/results?password=xxxxx&sslmode=require",
		"host=db password=s3cret":                                     "(connection string hidden)",
	} {
		if got := pgstore.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// testMigratesAnOlderSchema sets a database up as the first drill with a
// store left it (schema version 1) and opens it: the later migrations run,
// once, and the old records stay readable.
func testMigratesAnOlderSchema(t *testing.T, connURL string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	old := resultstest.Generate(3, 1, resultstest.Scenarios, end)[0]
	data, err := results.EncodeJSON(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`CREATE TABLE drill_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
		pgstore.Migrations[0],
		`INSERT INTO drill_schema_version (version) VALUES (1)`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO drill_runs (scenario, run_id, started_at, outcome, record) VALUES ($1, $2, $3, $4, $5)`,
		old.Scenario, old.RunID, old.StartedAt, string(old.Outcome), string(data)); err != nil {
		t.Fatal(err)
	}
	for range 2 { // opening again changes nothing
		s := open(t, connURL)
		got, err := s.Load(ctx, old.Scenario, old.RunID)
		if err != nil || !reflect.DeepEqual(got, old) {
			t.Fatalf("the record saved at schema version 1 reads back as %+v, %v", got, err)
		}
	}
	var versions []int
	rows, err := conn.Query(ctx, `SELECT version FROM drill_schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != pgstore.SchemaVersion || versions[len(versions)-1] != pgstore.SchemaVersion {
		t.Errorf("schema versions %v after migrating, want 1..%d once each", versions, pgstore.SchemaVersion)
	}
	var indexes int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname = 'drill_runs_scenario_started'`).Scan(&indexes); err != nil || indexes != 1 {
		t.Errorf("the index of migration 2: %d found, %v", indexes, err)
	}
}

// testRefusesANewerSchema: a database a newer drill migrated further is
// not written to by this one.
func testRefusesANewerSchema(t *testing.T, connURL string) {
	ctx := context.Background()
	open(t, connURL)
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO drill_schema_version (version) VALUES ($1)`, pgstore.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	_, err = pgstore.Open(ctx, connURL)
	if err == nil || !strings.Contains(err.Error(), "upgrade drill") {
		t.Errorf("Open of a newer schema: %v, want a refusal that says to upgrade drill", err)
	}
}
