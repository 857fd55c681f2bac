package sampledb

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local/localtest"
)

func TestDumpArgs(t *testing.T) {
	tests := []struct {
		format  string
		jobs    int
		want    string // joined args, or the error's text
		wantErr bool
	}{
		{format: "custom", jobs: 1, want: "--format=c --no-password --file=out"},
		{format: "custom", jobs: 0, want: "--format=c --no-password --file=out"},
		{format: "directory", jobs: 4, want: "--format=d --no-password --file=out --jobs=4"},
		{format: "tar", jobs: 1, want: "--format=t --no-password --file=out"},
		{format: "plain", jobs: 1, want: "--format=p --no-password --file=out"},
		{format: "plain.gz", jobs: 1, want: "--format=p --no-password"},
		{format: "tar", jobs: 2, want: "only for the directory format", wantErr: true},
		{format: "zip", jobs: 1, want: `unknown dump format "zip"`, wantErr: true},
	}
	for _, tt := range tests {
		args, err := dumpArgs(tt.format, "out", tt.jobs)
		if tt.wantErr {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("dumpArgs(%s, %d) error = %v, want %q", tt.format, tt.jobs, err, tt.want)
			}
			continue
		}
		if err != nil || strings.Join(args, " ") != tt.want {
			t.Errorf("dumpArgs(%s, %d) = %q, %v; want %q", tt.format, tt.jobs, args, err, tt.want)
		}
	}
}

func TestDumpEachFormat(t *testing.T) {
	srv := localtest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := Create(ctx, srv, "billing", Options{Invoices: 2000, PayloadBytes: 64}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	out := t.TempDir()
	tests := []struct {
		format string
		jobs   int
		// file is what must exist, non-empty, inside the archive ("" for the archive itself).
		file string
	}{
		{format: "custom", jobs: 1},
		{format: "directory", jobs: 2, file: "toc.dat"},
		{format: "tar", jobs: 1},
		{format: "plain", jobs: 1},
		{format: "plain.gz", jobs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			archive := filepath.Join(out, "billing-"+tt.format+Ext(tt.format))
			if err := Dump(ctx, srv, "billing", tt.format, archive, tt.jobs); err != nil {
				t.Fatalf("Dump: %v", err)
			}
			st, err := os.Stat(filepath.Join(archive, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if st.IsDir() || st.Size() == 0 {
				t.Fatalf("%s: dir %v, %d bytes; want a non-empty file", st.Name(), st.IsDir(), st.Size())
			}
			list := listArchive(t, srv, tt.format, archive)
			for _, want := range []string{"TABLE public invoices", "FK CONSTRAINT public invoices invoices_customer_id_fkey", "VIEW public customer_totals"} {
				if !strings.Contains(list, want) {
					t.Errorf("archive lacks %q:\n%s", want, list)
				}
			}
		})
	}
}

// listArchive is pg_restore --list for archives, and the CREATE statements of
// a plain dump in the same words.
func listArchive(t *testing.T, srv *sandbox.PostgresServer, format, archive string) string {
	t.Helper()
	if format == "plain" || format == "plain.gz" {
		b, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		if format == "plain.gz" {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatalf("gunzip %s: %v", archive, err)
			}
		}
		// pg_dump's comments name every object:
		// "-- Name: invoices; Type: TABLE; Schema: public; Owner: drill".
		var objs []string
		for _, line := range strings.Split(string(b), "\n") {
			rest, ok := strings.CutPrefix(line, "-- Name: ")
			if !ok {
				continue
			}
			fields := strings.Split(rest, "; ")
			var typ, schema string
			for _, f := range fields[1:] {
				switch k, v, _ := strings.Cut(f, ": "); k {
				case "Type":
					typ = v
				case "Schema":
					schema = v
				}
			}
			objs = append(objs, typ+" "+schema+" "+fields[0])
		}
		return strings.Join(objs, "\n")
	}
	out, err := exec.Command(filepath.Join(srv.BinDir, "pg_restore"), "--list", archive).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_restore --list %s: %v\n%s", archive, err, out)
	}
	return string(out)
}

func TestDumpFailureShowsToolOutput(t *testing.T) {
	srv := localtest.Start(t)
	err := Dump(context.Background(), srv, "no_such_db", "custom", filepath.Join(t.TempDir(), "x.dump"), 1)
	if err == nil || !strings.Contains(err.Error(), `database "no_such_db" does not exist`) {
		t.Errorf("Dump of a missing database = %v, want pg_dump's message", err)
	}
	if err != nil && strings.Contains(err.Error(), srv.Password) {
		t.Error("the error shows the password")
	}
}
