package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/spf13/cobra"
)

// Exit codes, as drill's own.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInfra       = 3
	exitInterrupted = 130
)

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func exitCode(err error, interrupted bool) int {
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case interrupted:
		return exitInterrupted
	case errors.As(err, &usage):
		return exitUsage
	case fault.IsInfra(err):
		return exitInfra
	}
	return exitFailed
}

// flags are the command line, before they become options.
type flags struct {
	out          string
	database     string
	invoices     int
	customers    int
	payloadBytes int
	format       string
	jobs         int
	newest       string
	name         string
	binDir       string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := newCommand(stdout, stderr)
	cmd.SetArgs(args)
	return cmd.ExecuteContext(ctx)
}

func newCommand(stdout, stderr io.Writer) *cobra.Command {
	var f flags
	cmd := &cobra.Command{
		Use:   "drill-sample --out DIR",
		Short: "Make a sample billing database backup (pg_dump archive) for demos and benchmarks",
		Long: `drill-sample starts a throwaway PostgreSQL server (the "production" server),
creates a sample billing database in it, dumps it with pg_dump into --out,
and removes the server. It prints progress on stderr and the archive's path
on stdout.

The newest invoice is created at --newest: an RFC 3339 time, or a duration
meaning that long ago (default 1h). Older invoices are a minute apart.
--payload-bytes adds text to every invoice, for large archives: the custom
format compresses it to about 60%, so 350000 invoices of 1000 bytes make an
archive of about 200 MB.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unexpected argument %q: drill-sample takes only flags", args[0])}
			}
			return nil
		},
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.options(time.Now())
			if err != nil {
				return usageError{err}
			}
			return makeSample(cmd.Context(), o, stdout, stderr)
		},
	}
	cmd.SetOut(stderr)
	cmd.SetErr(stderr)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "", "directory to write the archive into (created if missing; required)")
	fl.StringVar(&f.database, "database", "billing", "name of the sample database")
	fl.IntVar(&f.invoices, "invoices", 10000, "number of invoices")
	fl.IntVar(&f.customers, "customers", 0, "number of customers (0: one per 20 invoices)")
	fl.IntVar(&f.payloadBytes, "payload-bytes", 0, "payload text per invoice, in bytes")
	fl.StringVar(&f.format, "format", "custom", "pg_dump format: custom, directory, tar or plain")
	fl.IntVar(&f.jobs, "jobs", 1, "pg_dump parallel jobs (directory format only)")
	fl.StringVar(&f.newest, "newest", "1h", "newest invoice's created_at: RFC 3339 time, or a duration ago")
	fl.StringVar(&f.name, "name", "", "archive file name in --out (default DATABASE-TIME.EXT)")
	fl.StringVar(&f.binDir, "bin-dir", "", "directory of the PostgreSQL programs (default: found on this machine)")
	return cmd
}

// options checks the flags and turns them into a sample's options.
func (f flags) options(now time.Time) (sampleOptions, error) {
	var errs []error
	if f.out == "" {
		errs = append(errs, errors.New("--out is required: the directory to write the archive into"))
	}
	if f.database == "" {
		errs = append(errs, errors.New("--database must not be empty"))
	}
	for _, n := range []struct {
		name  string
		value int
	}{{"--invoices", f.invoices}, {"--customers", f.customers}, {"--payload-bytes", f.payloadBytes}} {
		if n.value < 0 {
			errs = append(errs, fmt.Errorf("%s is %d, want 0 or more", n.name, n.value))
		}
	}
	if f.jobs < 1 {
		errs = append(errs, fmt.Errorf("--jobs is %d, want 1 or more", f.jobs))
	}
	newest, err := parseNewest(f.newest, now)
	if err != nil {
		errs = append(errs, err)
	}
	if strings.ContainsRune(f.name, '/') {
		errs = append(errs, fmt.Errorf("--name %q must be a file name, not a path: use --out for the directory", f.name))
	}
	if err := errors.Join(errs...); err != nil {
		return sampleOptions{}, err
	}
	return sampleOptions{
		out:          f.out,
		database:     f.database,
		invoices:     f.invoices,
		customers:    f.customers,
		payloadBytes: f.payloadBytes,
		format:       f.format,
		jobs:         f.jobs,
		newest:       newest,
		name:         f.name,
		binDir:       f.binDir,
	}, nil
}

// parseNewest reads an RFC 3339 time, or a duration meaning that long before now.
func parseNewest(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--newest %q is neither an RFC 3339 time (2025-01-02T15:04:05Z) nor a duration ago (1h)", s)
	}
	if d < 0 {
		return time.Time{}, fmt.Errorf("--newest %q is a negative duration: give how long ago, such as 1h", s)
	}
	return now.Add(-d), nil
}
