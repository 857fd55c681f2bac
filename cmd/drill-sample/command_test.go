package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
)

func TestFlagsOptions(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	base := flags{out: "o", database: "billing", invoices: 10, format: "custom", jobs: 1, newest: "1h"}
	tests := []struct {
		name    string
		change  func(*flags)
		wantErr []string
		check   func(sampleOptions) error
	}{
		{name: "defaults", change: func(*flags) {}, check: func(o sampleOptions) error {
			if !o.newest.Equal(now.Add(-time.Hour)) || o.database != "billing" || o.invoices != 10 {
				return fmt.Errorf("got %+v", o)
			}
			return nil
		}},
		{name: "newest as a time", change: func(f *flags) { f.newest = "2024-12-31T23:59:59.5Z" }, check: func(o sampleOptions) error {
			if want := time.Date(2024, 12, 31, 23, 59, 59, 5e8, time.UTC); !o.newest.Equal(want) {
				return fmt.Errorf("newest = %v, want %v", o.newest, want)
			}
			return nil
		}},
		{name: "no out", change: func(f *flags) { f.out = "" }, wantErr: []string{"--out is required"}},
		{name: "bad newest", change: func(f *flags) { f.newest = "yesterday" }, wantErr: []string{`--newest "yesterday"`}},
		{name: "negative newest", change: func(f *flags) { f.newest = "-1h" }, wantErr: []string{"negative duration"}},
		{name: "negative invoices", change: func(f *flags) { f.invoices = -5 }, wantErr: []string{"--invoices is -5"}},
		{name: "zero jobs", change: func(f *flags) { f.jobs = 0 }, wantErr: []string{"--jobs is 0"}},
		{name: "name with a path", change: func(f *flags) { f.name = "a/b.dump" }, wantErr: []string{"must be a file name"}},
		{name: "every problem at once", change: func(f *flags) { f.out = ""; f.payloadBytes = -1 }, wantErr: []string{"--out is required", "--payload-bytes is -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			tt.change(&f)
			o, err := f.options(now)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("options() = %+v, want an error", o)
				}
				for _, want := range tt.wantErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("options() error = %v, want %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("options(): %v", err)
			}
			if err := tt.check(o); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestArchiveName(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		o    sampleOptions
		want string
	}{
		{sampleOptions{database: "billing", format: "custom"}, "billing-20250601T103000Z.dump"},
		{sampleOptions{database: "billing", format: "directory"}, "billing-20250601T103000Z"},
		{sampleOptions{database: "crm", format: "plain"}, "crm-20250601T103000Z.sql"},
		{sampleOptions{database: "billing", format: "tar", name: "mine.tar"}, "mine.tar"},
	}
	for _, tt := range tests {
		if got := tt.o.archiveName(now); got != tt.want {
			t.Errorf("archiveName(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		interrupted bool
		want        int
	}{
		{"ok", nil, false, exitOK},
		{"usage", usageError{errors.New("bad flag")}, false, exitUsage},
		{"infra", fmt.Errorf("create: %w", fault.Infra(errors.New("no initdb"))), false, exitInfra},
		{"interrupted", context.Canceled, true, exitInterrupted},
		{"other", errors.New("pg_dump failed"), false, exitFailed},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err, tt.interrupted); got != tt.want {
			t.Errorf("%s: exitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRunRejectsUsage(t *testing.T) {
	tests := [][]string{
		{"--invoices", "many", "--out", "x"},
		{"--no-such-flag"},
		{"stray-argument", "--out", "x"},
		{"--invoices", "1"},
	}
	for _, args := range tests {
		var stdout, stderr strings.Builder
		err := run(context.Background(), args, &stdout, &stderr)
		if code := exitCode(err, false); code != exitUsage {
			t.Errorf("run(%q) = %v (exit %d), want a usage error", args, err, code)
		}
		if stdout.Len() > 0 {
			t.Errorf("run(%q) wrote to stdout: %q", args, stdout.String())
		}
	}
}
