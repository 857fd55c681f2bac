package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadValidFiles(t *testing.T) {
	files := globFiles(t, "testdata/valid-*.yaml", "examples/*.yaml")
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			s, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.File != file {
				t.Errorf("File = %q, want %q", s.File, file)
			}
			if err := s.Validate(); err != nil {
				t.Errorf("a loaded scenario does not validate: %v", err)
			}
		})
	}
}

// TestLoadExactly checks the whole result for files whose every field
// matters: the example from the documentation, the defaults, and every
// field set.
func TestLoadExactly(t *testing.T) {
	rows := func(n int) *int { return &n }
	tests := []struct {
		file string
		want *Scenario
	}{
		{
			file: "examples/billing-monthly.yaml",
			want: &Scenario{
				Name:       "billing-monthly",
				File:       "examples/billing-monthly.yaml",
				Cadence:    Cadence{Name: "monthly", Interval: 31 * 24 * time.Hour},
				Objectives: Objectives{RTO: 10 * time.Minute, RPO: 26 * time.Hour},
				Timeout:    time.Hour,
				Sandbox:    Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{}},
				Restores: []Restore{{
					Name:     "billing",
					Source:   Source{Path: "/var/backups/billing/"},
					Postgres: &PostgresRestore{Database: "billing", Jobs: 2},
				}},
				Checks: []Check{
					{
						Name:    "invoices-present",
						Timeout: 5 * time.Minute,
						SQL:     &SQLCheck{Restore: "billing", Query: "select count(*) from invoices", Expect: ">= 1000"},
					},
					{
						Name:    "newest-invoice",
						Timeout: 5 * time.Minute,
						RPO:     &RPOCheck{Restore: "billing", Query: "select max(created_at) from invoices"},
					},
				},
			},
		},
		{
			file: "testdata/valid-minimal.yaml",
			want: &Scenario{
				Name:    "minimal",
				File:    "testdata/valid-minimal.yaml",
				Timeout: time.Hour,
				Sandbox: Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{}},
				Restores: []Restore{{
					Name:     "app",
					Source:   Source{Path: "/var/backups/app.dump"},
					Postgres: &PostgresRestore{Database: "app", Jobs: 1},
				}},
			},
		},
		{
			file: "testdata/valid-full.yaml",
			want: &Scenario{
				Name:       "full",
				File:       "testdata/valid-full.yaml",
				Labels:     map[string]string{"team": "platform", "app.kubernetes.io/part-of": "billing", "empty": ""},
				Cadence:    Cadence{Name: "72h", Interval: 72 * time.Hour},
				Objectives: Objectives{RTO: 90 * time.Minute, RPO: 26 * time.Hour},
				Timeout:    2 * time.Hour,
				Sandbox:    Sandbox{Kind: SandboxLocal, Local: &LocalSandbox{BinDir: "/usr/lib/postgresql/15/bin"}},
				Restores: []Restore{
					{
						Name:    "billing",
						Timeout: 45 * time.Minute,
						// Relative to the scenario file.
						Source: Source{Path: filepath.Join("testdata", "dumps", "billing.dump")},
						Postgres: &PostgresRestore{
							Database:   "billing",
							Jobs:       64,
							Roles:      []string{"billing_owner", "billing_ro"},
							KeepOwners: true,
						},
					},
					{
						Name: "crm",
						Source: Source{
							Path: "/var/backups/crm/",
							Pick: Pick{Rule: PickRandom, Window: 720 * time.Hour, Pattern: "crm-*.dump"},
						},
						Postgres: &PostgresRestore{Database: "crm", Jobs: 1},
					},
					{
						Name: "ledger",
						Source: Source{
							S3: &S3Source{
								Endpoint:  "https://objects.example.com:9000",
								Bucket:    "backups",
								Prefix:    "ledger/",
								Region:    "eu-west-1",
								PathStyle: true,
								CAFile:    filepath.Join("testdata", "certs", "ca.pem"),
								Credentials: S3Credentials{
									AccessKeyIDEnv:     "LEDGER_KEY_ID",
									SecretAccessKeyEnv: "LEDGER_SECRET",
									SessionTokenEnv:    "LEDGER_TOKEN",
									File:               filepath.Join("testdata", "aws-credentials"),
									Profile:            "drill",
								},
							},
							Pick: Pick{Pattern: "*.dump"},
						},
						Postgres: &PostgresRestore{Database: "ledger", Jobs: 1},
					},
				},
				Checks: []Check{
					{Name: "invoices", Timeout: 30 * time.Second, SQL: &SQLCheck{Restore: "billing", Query: "select count(*) from invoices", Expect: ">= 1000"}},
					{Name: "no-orphans", Timeout: 5 * time.Minute, SQL: &SQLCheck{Restore: "billing", Query: "select id from lines where invoice_id is null", Rows: rows(0)}},
					{Name: "newest-invoice", Timeout: 5 * time.Minute, RPO: &RPOCheck{Restore: "billing", Query: "select max(created_at) from invoices"}},
					{Name: "crm-status", Timeout: 5 * time.Minute, SQL: &SQLCheck{Restore: "crm", Query: "select status from health", Expect: "ok"}},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertLoadsExactly(t, tt.file, tt.want, dump) })
	}
}

// assertLoadsExactly checks that file loads into want; dump prints both
// when they differ.
func assertLoadsExactly(t *testing.T, file string, want *Scenario, dump func(*Scenario) string) {
	t.Helper()
	got, err := Load(file)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(%q) =\n%s\nwant\n%s", file, dump(got), dump(want))
	}
}

// TestLoadYAMLFeatures checks what plain YAML allows beyond the block style
// of the examples.
func TestLoadYAMLFeatures(t *testing.T) {
	s, err := Load("testdata/valid-yaml-features.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		what string
		got  any
		want any
	}{
		{"source through an alias", s.Restores[1].Source.Path, "/var/backups/app/"},
		{"flow-style jobs", s.Restores[0].Postgres.Jobs, 2},
		{"bare integer expectation", s.Checks[0].SQL.Expect, "3"},
		{"bare float expectation, as written", s.Checks[1].SQL.Expect, "2.5"},
		{"block scalar with a tab", s.Checks[2].SQL.Query, "select count(*)\n\tfrom users\n"},
		{"quoted != expectation", s.Checks[2].SQL.Expect, "!= 0"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.what, tt.got, tt.want)
		}
	}
}

// want is one problem a file must report: its line, field and a part of
// its message.
type want struct {
	line    int
	field   string
	message string
}

func TestLoadInvalidFiles(t *testing.T) {
	tests := []struct {
		file string
		want []want // every problem, in order
	}{
		{"invalid-unknown-field.yaml", []want{{15, "spec.restores[0].postgres.job", `unknown field "job": did you mean "jobs"?`}}},
		{"invalid-wrong-type.yaml", []want{{15, "spec.restores[0].postgres.jobs", `must be an integer, not the string "two"`}}},
		{"invalid-missing-required.yaml", []want{{11, "spec.restores[0].source", "set path (a backup file, or a directory of backups) or s3"}}},
		{"invalid-missing-spec.yaml", []want{{2, "spec", "is required"}, {4, "metadata.name", "is required"}}},
		{"invalid-duplicate-key.yaml", []want{{15, "spec.restores[0].postgres.database", `duplicate key "database" (first set on line 14)`}}},
		{"invalid-jobs-out-of-range.yaml", []want{{15, "spec.restores[0].postgres.jobs", "must be between 1 and 64 (got 0)"}}},
		{"invalid-api-version.yaml", []want{{2, "apiVersion", `unknown apiVersion "restore-drill.io/v1": drill reads restore-drill.io/v1alpha1`}}},
		{"invalid-kind.yaml", []want{{3, "kind", `must be Scenario, not "RunRecord"`}}},
		{"invalid-empty.yaml", []want{{0, "", "the file is empty"}}},
		{"invalid-comments-only.yaml", []want{{0, "", "holds only comments"}}},
		{"invalid-not-yaml.yaml", []want{{4, "", "not valid YAML"}}},
		{"invalid-multiple-documents.yaml", []want{{12, "", "holds 2 YAML documents"}}},
		{"invalid-tabs.yaml", []want{{4, "", "indented with a tab"}}},
		{"invalid-not-mapping.yaml", []want{{1, "", "not a list"}}},
		{"invalid-unquoted-greater.yaml", []want{{19, "", `quote it, e.g. ">= 1000"`}}},
		{"invalid-unquoted-operator.yaml", []want{{18, "spec.checks[0].sql.expect", `YAML reads != as a tag: quote the value, e.g. "!= 0"`}}},
		{"invalid-no-restores.yaml", []want{{9, "spec.restores", "at least one restore is required"}}},
		{"invalid-duration.yaml", []want{
			{7, "spec.timeout", `"10 minutes" is not a duration`},
			{12, "spec.restores[0].timeout", "must be positive, not 0s"},
		}},
		{"invalid-null-values.yaml", []want{
			{6, "metadata.labels", "is empty: write a mapping ({} for an empty one)"},
			{9, "spec.sandbox.local", "is empty: write a mapping ({} for an empty one)"},
			{13, "spec.restores[0].source.path", "is empty: write a string"},
		}},
		{"invalid-source.yaml", []want{
			{11, "spec.restores[0].source", "set path or s3, not both"},
			{16, "spec.restores[0].source.pick.rule", `unknown pick rule "oldest"`},
			{17, "spec.restores[0].source.pick.pattern", "is not a valid pattern"},
			{17, "spec.restores[0].source.pick.pattern", "holds no '/'"},
			{23, "spec.restores[1].source.s3.endpoint", "must start with https:// or http://"},
			{25, "spec.restores[1].source.s3.prefix", `must not start with '/'`},
			{27, "spec.restores[1].source.s3.credentials.profile", "needs credentials.file"},
		}},
		{"invalid-labels.yaml", []want{
			{7, "metadata.labels[bad key!]", `label key "bad key!"`},
			{8, "metadata.labels[ok]", `label value "not ok!"`},
			{9, "metadata.labels[tier]", `must be a string, not the number 1: quote it`},
		}},
		{"invalid-many-problems.yaml", []want{
			{5, "metadata.name", `"Many_Problems" is not a valid name`},
			{7, "spec.cadence", `"fortnightly" is not a duration`},
			{9, "spec.objectives.rto", "must be positive, not 0s"},
			{10, "spec.objectives.rpo", "days are not a unit"},
			{11, "spec.timeout", `not the number 10: give it a unit, e.g. "10m"`},
			{12, "spec.sandbox", "set exactly one sandbox kind"},
			{16, "spec.restores[0].postgres.jobs", "must be between 1 and 64 (got 65)"},
			{16, "spec.restores[0].postgres.roles[0]", "reserved by PostgreSQL"},
			{16, "spec.restores[0].postgres.roles[2]", `"app" is already used by spec.restores[0].postgres.roles[1]`},
			{17, "spec.restores[1].name", `"app" is already used by spec.restores[0]`},
			{19, "spec.restores[1].postgres.database", `"app" is already used by spec.restores[0]`},
			{20, "spec.restores[2]", "set a restore method: postgres"},
			{24, "spec.restores[3].postgres.database", `"postgres" exists in every PostgreSQL server`},
			{27, "spec.restores[4].postgres.database", `"Bad-Name" is not a plain PostgreSQL identifier`},
			{29, "spec.checks[0]", "not both sql and rpo"},
			{32, "spec.checks[1]", "set a check kind"},
			{34, "spec.checks[2].sql.restore", `no restore is named "nope": the restores are "app", "nomethod", "builtin", "badname"`},
			{36, "spec.checks[3].sql", "set expect or rows, not both"},
			{38, "spec.checks[4].sql.expect", ">= must be followed by a number"},
			{40, "spec.checks[5].rpo.query", "is required"},
			{41, "spec.checks[6].name", `"bad-expect" is already used by spec.checks[4]`},
			{42, "spec.checks[6].timeout", "must be positive, not -1m"},
			{43, "spec.checks[6].sql.rows", "must not be negative (got -1)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { assertInvalidFile(t, filepath.Join("testdata", tt.file), tt.want) })
	}
}

// assertInvalidFile checks that loading file reports exactly want.
func assertInvalidFile(t *testing.T, file string, want []want) {
	t.Helper()
	s, err := Load(file)
	if err == nil {
		t.Fatalf("Load(%q) = %+v, want an error", file, s)
	}
	if s != nil {
		t.Errorf("Load returned a scenario with its error")
	}
	if !IsInvalid(err) {
		t.Fatalf("IsInvalid(%v) = false", err)
	}
	assertProblems(t, err, file, want)
}

// TestEveryInvalidFileIsTested keeps the fixtures and the table in step.
func TestEveryInvalidFileIsTested(t *testing.T) {
	files := globFiles(t, "testdata/invalid-*.yaml")
	if len(files) < 20 {
		t.Fatalf("found %d invalid fixtures, want at least 20", len(files))
	}
	for _, f := range files {
		if _, err := Load(f); !IsInvalid(err) {
			t.Errorf("Load(%q) error = %v, want an invalid scenario", f, err)
		}
	}
}

func TestLoadBytes(t *testing.T) {
	const valid = `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata: {name: inline}
spec:
  sandbox: {local: {binDir: bin}}
  restores:
    - name: app
      source: {path: dumps/app.dump}
      postgres: {database: app}
`
	tests := []struct {
		name       string
		file       string
		data       string
		wantSource string // the restore's source path when valid
		wantBinDir string
		wantError  string // the whole error text when invalid
	}{
		{name: "no file name: relative paths kept", data: valid, wantSource: "dumps/app.dump", wantBinDir: "bin"},
		{name: "file name: paths relative to it", file: "/etc/drill/app.yaml", data: valid, wantSource: "/etc/drill/dumps/app.dump", wantBinDir: "/etc/drill/bin"},
		{
			name:      "no file name: problems name the line only",
			data:      strings.Replace(valid, "{database: app}", "{database: app, jobs: 0}", 1),
			wantError: "line 9: spec.restores[0].postgres.jobs: must be between 1 and 64 (got 0)",
		},
		{
			name:      "file name: problems name file and line",
			file:      "billing.yaml",
			data:      strings.Replace(valid, "{database: app}", "{database: app, jobs: 0}", 1),
			wantError: "billing.yaml:9: spec.restores[0].postgres.jobs: must be between 1 and 64 (got 0)",
		},
		{
			name:      "several problems, one per line",
			file:      "billing.yaml",
			data:      strings.Replace(strings.Replace(valid, "inline", "In line", 1), "{database: app}", "{database: app, jobs: 0}", 1),
			wantError: "billing.yaml:3: metadata.name: \"In line\" is not a valid name: use lowercase letters, digits and '-', starting and ending with a letter or digit\nbilling.yaml:9: spec.restores[0].postgres.jobs: must be between 1 and 64 (got 0)",
		},
		{
			name:      "a mapping key that is not a string",
			file:      "x.yaml",
			data:      valid + "  7: seven\n",
			wantError: "x.yaml:10: spec: keys must be strings, not the number 7",
		},
		{
			name:      "merge keys",
			file:      "x.yaml",
			data:      strings.Replace(valid, "metadata: {name: inline}", "base: &b {name: inline}\nmetadata: {<<: *b}", 1),
			wantError: "x.yaml:3: base: unknown field \"base\": known fields are apiVersion, kind, metadata, spec\nx.yaml:4: metadata: merge keys (<<) are not supported: write the fields out",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadBytes(tt.file, []byte(tt.data))
			if tt.wantError != "" {
				if err == nil {
					t.Fatalf("LoadBytes = %+v, want error %q", s, tt.wantError)
				}
				if err.Error() != tt.wantError {
					t.Errorf("error =\n%s\nwant\n%s", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadBytes: %v", err)
			}
			if got := s.Restores[0].Source.Path; got != tt.wantSource {
				t.Errorf("source path = %q, want %q", got, tt.wantSource)
			}
			if got := s.Sandbox.Local.BinDir; got != tt.wantBinDir {
				t.Errorf("binDir = %q, want %q", got, tt.wantBinDir)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := Load(file)
	if !IsInvalid(err) {
		t.Fatalf("IsInvalid(%v) = false, want true: an unreadable scenario is bad input", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}
	if want := file + ": cannot read the scenario: no such file or directory: check the path"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// TestLoadLimits checks that hostile input ends in an error, quickly.
func TestLoadLimits(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("apiVersion: restore-drill.io/v1alpha1\nkind: Scenario\nmetadata: {name: bomb}\n")
	bomb.WriteString("spec:\n  sandbox: {local: {}}\n  restores:\n    - &r {name: a, source: {path: /x}, postgres: {database: a, roles: [")
	for i := range 1000 {
		fmt.Fprintf(&bomb, "r%d,", i)
	}
	bomb.WriteString("]}}\n")
	for range 1000 {
		bomb.WriteString("    - *r\n")
	}
	tests := []struct {
		name string
		data string
		want string
	}{
		{"too big", strings.Repeat("#", maxFileSize+1), "more than a scenario's limit"},
		{"aliases expanding to a million values", bomb.String(), "expands to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadBytes("hostile.yaml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestIsInvalid(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"other error", errors.New("connection refused"), false},
		{"scenario error", &Error{}, true},
		{"wrapped scenario error", fmt.Errorf("plan: %w", &Error{}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsInvalid(tt.err); got != tt.want {
				t.Errorf("IsInvalid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			name: "every part",
			err:  &Error{File: "a.yaml", Problems: []Problem{{File: "a.yaml", Line: 3, Field: "spec", Message: "is required"}}},
			want: "a.yaml:3: spec: is required",
		},
		{
			name: "no line",
			err:  &Error{File: "a.yaml", Problems: []Problem{{File: "a.yaml", Message: "the file is empty"}}},
			want: "a.yaml: the file is empty",
		},
		{
			name: "no file, no line",
			err:  &Error{Problems: []Problem{{Field: "metadata.name", Message: "is required"}}},
			want: "metadata.name: is required",
		},
		{
			name: "omitted problems",
			err:  &Error{File: "a.yaml", Problems: []Problem{{File: "a.yaml", Line: 1, Message: "x"}}, Omitted: 5},
			want: "a.yaml:1: x\na.yaml: and 5 more problems",
		},
		{
			name: "no problems",
			err:  &Error{},
			want: "scenario: invalid scenario",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: restore-drill.io/v1alpha1\nkind: Scenario\nmetadata: {name: capped}\nspec:\n")
	for i := range maxProblems + 20 {
		fmt.Fprintf(&b, "  unknown%d: x\n", i)
	}
	_, err := LoadBytes("capped.yaml", []byte(b.String()))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error", err)
	}
	// 120 unknown fields and the missing sandbox and restores... which the
	// cap turns into 100 listed and the rest counted.
	if len(e.Problems) != maxProblems || e.Omitted < 20 {
		t.Errorf("listed %d and omitted %d problems, want %d listed and at least 20 omitted", len(e.Problems), e.Omitted, maxProblems)
	}
}

func assertProblems(t *testing.T, err error, file string, wants []want) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, want *Error", err, err)
	}
	if e.File != file {
		t.Errorf("Error.File = %q, want %q", e.File, file)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(e.Problems) != len(wants) || len(lines) != len(wants) {
		t.Errorf("got %d problems, want %d:\n%v", len(e.Problems), len(wants), err)
	}
	for i, w := range wants {
		if i >= len(e.Problems) {
			t.Errorf("missing problem %d: line %d, field %s: %s", i, w.line, w.field, w.message)
			continue
		}
		p := e.Problems[i]
		if p.File != file || p.Line != w.line || p.Field != w.field || !strings.Contains(p.Message, w.message) {
			t.Errorf("problem %d = %s\nwant line %d, field %q, message containing %q", i, p, w.line, w.field, w.message)
		}
		var prefix string
		switch {
		case file != "" && w.line > 0:
			prefix = fmt.Sprintf("%s:%d: ", file, w.line)
		case file != "":
			prefix = file + ": "
		}
		if w.field != "" {
			prefix += w.field + ": "
		}
		if !strings.HasPrefix(lines[i], prefix) || !strings.Contains(lines[i], w.message) {
			t.Errorf("error line %d = %q, want it to start with %q and hold %q", i, lines[i], prefix, w.message)
		}
	}
}

func globFiles(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, pattern := range patterns {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) == 0 {
			t.Fatalf("no files match %s", pattern)
		}
		files = append(files, matches...)
	}
	return files
}

func dump(s *Scenario) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n", *s)
	fmt.Fprintf(&b, "  sandbox.local: %+v\n", s.Sandbox.Local)
	for _, r := range s.Restores {
		fmt.Fprintf(&b, "  restore %+v postgres %+v\n", r, r.Postgres)
	}
	for _, c := range s.Checks {
		fmt.Fprintf(&b, "  check %+v sql %+v rpo %+v\n", c, c.SQL, c.RPO)
	}
	return b.String()
}
