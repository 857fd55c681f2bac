package scenarios

import (
	"errors"
	"testing"
	"time"
)

// validScenario is a scenario built in code, as the engine's tests do.
func validScenario() *Scenario {
	return &Scenario{
		Name:    "in-code",
		Timeout: time.Hour,
		Sandbox: Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{}},
		Restores: []Restore{{
			Name:     "app",
			Source:   Source{Path: "/var/backups/app.dump"},
			Postgres: &PostgresRestore{Database: "app", Jobs: 1},
		}},
		Checks: []Check{{
			Name:    "rows",
			Timeout: time.Minute,
			SQL:     &SQLCheck{Restore: "app", Query: "select 1", Expect: "1"},
		}},
	}
}

func TestValidate(t *testing.T) {
	rows := func(n int) *int { return &n }
	tests := []struct {
		name   string
		change func(s *Scenario)
		want   []want // line is always 0: a scenario built in code has none
	}{
		{name: "valid", change: func(*Scenario) {}},
		{name: "no name", change: func(s *Scenario) { s.Name = "" }, want: []want{{0, "metadata.name", "is required"}}},
		{name: "long name", change: func(s *Scenario) { s.Name = string(make([]byte, 64)) }, want: []want{{0, "metadata.name", "at most 63 characters"}}},
		{name: "no timeout", change: func(s *Scenario) { s.Timeout = 0 }, want: []want{{0, "spec.timeout", "must be positive"}}},
		{name: "negative objective", change: func(s *Scenario) { s.Objectives.RPO = -time.Second }, want: []want{{0, "spec.objectives.rpo", "must not be negative"}}},
		{name: "cadence without interval", change: func(s *Scenario) { s.Cadence = Cadence{Name: "monthly"} }, want: []want{{0, "spec.cadence", "positive interval"}}},
		{name: "unknown sandbox kind", change: func(s *Scenario) { s.Sandbox = Sandbox{Kind: "docker"} }, want: []want{{0, "spec.sandbox", `unknown sandbox kind "docker"`}}},
		{name: "local kind without settings", change: func(s *Scenario) { s.Sandbox.Local = nil }, want: []want{{0, "spec.sandbox.local", "is required"}}},
		{name: "no sandbox", change: func(s *Scenario) { s.Sandbox = Sandbox{} }, want: []want{{0, "spec.sandbox", "set exactly one sandbox kind"}}},
		{name: "no restores", change: func(s *Scenario) { s.Restores = nil; s.Checks = nil }, want: []want{{0, "spec.restores", "at least one restore"}}},
		{name: "jobs zero", change: func(s *Scenario) { s.Restores[0].Postgres.Jobs = 0 }, want: []want{{0, "spec.restores[0].postgres.jobs", "must be between 1 and 64 (got 0)"}}},
		{name: "negative restore timeout", change: func(s *Scenario) { s.Restores[0].Timeout = -time.Minute }, want: []want{{0, "spec.restores[0].timeout", "must not be negative"}}},
		{name: "role reserved", change: func(s *Scenario) { s.Restores[0].Postgres.Roles = []string{"public"} }, want: []want{{0, "spec.restores[0].postgres.roles[0]", "reserved role name"}}},
		{name: "role not an identifier", change: func(s *Scenario) { s.Restores[0].Postgres.Roles = []string{"App Owner"} }, want: []want{{0, "spec.restores[0].postgres.roles[0]", "not a plain PostgreSQL identifier"}}},
		{name: "database too long", change: func(s *Scenario) { s.Restores[0].Postgres.Database = "d" + string(make([]byte, 63)) }, want: []want{{0, "spec.restores[0].postgres.database", "at most 63 characters"}}},
		{name: "database starts with a digit", change: func(s *Scenario) { s.Restores[0].Postgres.Database = "1app" }, want: []want{{0, "spec.restores[0].postgres.database", "not a plain PostgreSQL identifier"}}},
		{name: "template database", change: func(s *Scenario) { s.Restores[0].Postgres.Database = "template1" }, want: []want{{0, "spec.restores[0].postgres.database", "exists in every PostgreSQL server"}}},
		{name: "no method", change: func(s *Scenario) { s.Restores[0].Postgres = nil }, want: []want{{0, "spec.restores[0]", "set a restore method"}}},
		{name: "check without timeout", change: func(s *Scenario) { s.Checks[0].Timeout = 0 }, want: []want{{0, "spec.checks[0].timeout", "must be positive"}}},
		{name: "check with no restore", change: func(s *Scenario) { s.Checks[0].SQL.Restore = "" }, want: []want{{0, "spec.checks[0].sql.restore", "is required"}}},
		{name: "check with no expectation", change: func(s *Scenario) { s.Checks[0].SQL.Expect = "" }, want: []want{{0, "spec.checks[0].sql", "set expect"}}},
		{name: "check with rows", change: func(s *Scenario) { s.Checks[0].SQL.Expect, s.Checks[0].SQL.Rows = "", rows(3) }},
		{name: "rpo check", change: func(s *Scenario) {
			s.Checks[0].SQL = nil
			s.Checks[0].RPO = &RPOCheck{Restore: "app", Query: "select now()"}
		}},
		{name: "rpo check on a missing restore", change: func(s *Scenario) {
			s.Checks[0].SQL = nil
			s.Checks[0].RPO = &RPOCheck{Restore: "other", Query: "select now()"}
		}, want: []want{{0, "spec.checks[0].rpo.restore", `no restore is named "other": the restores are "app"`}}},
		{name: "no check kind", change: func(s *Scenario) { s.Checks[0].SQL = nil }, want: []want{{0, "spec.checks[0]", "set a check kind"}}},
		{name: "several problems", change: func(s *Scenario) {
			s.Name = "Bad"
			s.Restores[0].Source.Path = ""
			s.Checks[0].SQL.Query = "\n"
		}, want: []want{
			{0, "metadata.name", "not a valid name"},
			{0, "spec.restores[0].source", "set path"},
			{0, "spec.checks[0].sql.query", "is required"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertValidate(t, validScenario(), tt.change, tt.want) })
	}
}

// assertValidate changes s and checks that Validate reports exactly want
// (nothing, when want is empty).
func assertValidate(t *testing.T, s *Scenario, change func(*Scenario), want []want) {
	t.Helper()
	change(s)
	err := s.Validate()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatal("Validate = nil, want problems")
	}
	assertProblems(t, err, "", want)
}

func TestValidateReportsTheFile(t *testing.T) {
	s := validScenario()
	s.File = "in-code.yaml"
	s.Name = ""
	var e *Error
	if err := s.Validate(); !errors.As(err, &e) || e.File != "in-code.yaml" || e.Error() != "in-code.yaml: metadata.name: is required" {
		t.Errorf("Validate = %v, want in-code.yaml: metadata.name: is required", err)
	}
}

func TestParseCadence(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "daily", want: day},
		{in: "weekly", want: 7 * day},
		{in: "monthly", want: 31 * day},
		{in: "quarterly", want: 92 * day},
		{in: "yearly", want: 366 * day},
		{in: "72h", want: 72 * time.Hour},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "Monthly", wantErr: "is not a duration"},
		{in: "7d", wantErr: "days are not a unit"},
		{in: "0s", wantErr: "must be positive"},
		{in: "-24h", wantErr: "must be positive"},
		{in: "", wantErr: "is not a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCadence(tt.in)
			if tt.wantErr != "" {
				if err == nil || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCadence(%q) = %+v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCadence(%q): %v", tt.in, err)
			}
			if got.Name != tt.in || got.Interval != tt.want {
				t.Errorf("ParseCadence(%q) = %+v, want {%s %s}", tt.in, got, tt.in, tt.want)
			}
		})
	}
}
