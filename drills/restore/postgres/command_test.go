package postgres

import (
	"slices"
	"strings"
	"testing"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

func TestCommand(t *testing.T) {
	srv := &sandbox.PostgresServer{Host: "127.0.0.1", Port: 5999, User: "drill", Password: "s3cret-pw", BinDir: "/opt/pg/bin"}
	tests := []struct {
		name     string
		spec     scenarios.PostgresRestore
		format   string
		archive  string
		wantTool string
		wantArgs []string
	}{
		{
			name:     "custom, defaults",
			spec:     scenarios.PostgresRestore{Database: "billing"},
			format:   FormatCustom,
			archive:  "/b/billing.dump",
			wantTool: "pg_restore",
			wantArgs: []string{"--exit-on-error", "--no-password", "--jobs", "1", "--no-owner", "--no-privileges", "--dbname", "dbname='billing'", "/b/billing.dump"},
		},
		{
			name:     "directory, four jobs, owners kept",
			spec:     scenarios.PostgresRestore{Database: "billing", Jobs: 4, KeepOwners: true},
			format:   FormatDirectory,
			archive:  "/b/dir",
			wantTool: "pg_restore",
			wantArgs: []string{"--exit-on-error", "--no-password", "--jobs", "4", "--dbname", "dbname='billing'", "/b/dir"},
		},
		{
			name:     "tar runs one job whatever is asked",
			spec:     scenarios.PostgresRestore{Database: "billing", Jobs: 4},
			format:   FormatTar,
			archive:  "/b/x.tar",
			wantTool: "pg_restore",
			wantArgs: []string{"--exit-on-error", "--no-password", "--jobs", "1", "--no-owner", "--no-privileges", "--dbname", "dbname='billing'", "/b/x.tar"},
		},
		{
			name:     "a database name that looks like a connection string",
			spec:     scenarios.PostgresRestore{Database: `it's a=b\c`},
			format:   FormatCustom,
			archive:  "-odd.dump",
			wantTool: "pg_restore",
			wantArgs: []string{"--exit-on-error", "--no-password", "--jobs", "1", "--no-owner", "--no-privileges", "--dbname", `dbname='it\'s a=b\\c'`, "./-odd.dump"},
		},
		{
			name:     "plain",
			spec:     scenarios.PostgresRestore{Database: "billing", Jobs: 3},
			format:   FormatPlain,
			archive:  "/b/x.sql",
			wantTool: "psql",
			wantArgs: []string{"-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "/b/x.sql"},
		},
		{
			name:     "gzip plain reads stdin",
			spec:     scenarios.PostgresRestore{Database: "billing"},
			format:   FormatPlainGzip,
			archive:  "/b/x.sql.gz",
			wantTool: "psql",
			wantArgs: []string{"-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PGSERVICE", "elsewhere")
			m := New("r", &tt.spec).(*method)
			run := m.command(detected{format: tt.format}, tt.archive, srv)
			if run.tool != tt.wantTool || run.bin != "/opt/pg/bin/"+tt.wantTool {
				t.Errorf("tool = %s (%s), want %s from the server's BinDir", run.tool, run.bin, tt.wantTool)
			}
			if !slices.Equal(run.args, tt.wantArgs) {
				t.Errorf("args = %q\nwant   %q", run.args, tt.wantArgs)
			}
			for _, a := range run.args {
				if strings.Contains(a, srv.Password) {
					t.Errorf("the password is on the command line: %q", a)
				}
			}
			if !slices.Contains(run.env, "PGPASSWORD="+srv.Password) || !slices.Contains(run.env, "PGDATABASE="+tt.spec.Database) {
				t.Errorf("env lacks the sandbox's credentials or database: %q", run.env)
			}
			if slices.Contains(run.env, "PGSERVICE=elsewhere") {
				t.Error("drill's own PG* environment leaks into the tool's")
			}
		})
	}
}

func TestToolBinFromPath(t *testing.T) {
	if got := toolBin(&sandbox.PostgresServer{}, "psql"); got != "psql" {
		t.Errorf("toolBin without BinDir = %q, want psql looked up on PATH", got)
	}
}

func TestDatabaseDefaultsToRestoreName(t *testing.T) {
	tests := []struct {
		spec *scenarios.PostgresRestore
		want string
	}{
		{nil, "billing"},
		{&scenarios.PostgresRestore{}, "billing"},
		{&scenarios.PostgresRestore{Database: "ledger"}, "ledger"},
	}
	for _, tt := range tests {
		if got := New("billing", tt.spec).(*method).database(); got != tt.want {
			t.Errorf("database = %q, want %q", got, tt.want)
		}
	}
}
