package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/restore/postgres"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/scenarios"
)

type checkFlags struct {
	output   string
	junit    string
	maxAge   time.Duration
	minBytes int64
	timeout  time.Duration
	metrics  metricsFlags
}

func newCheckCommand(streams Streams) *cobra.Command {
	f := &checkFlags{}
	cmd := &cobra.Command{
		Use:   "check SCENARIO",
		Short: "Check the newest backups without restoring them: present, fresh, not empty, readable",
		Long: `Check, without restoring anything, that each restore of a scenario has a backup
a drill could use: the newest backup exists, it is younger than the age limit
(--max-age, else the scenario's RPO objective, else its cadence), it is at least
--min-bytes big (an empty dump is the classic silent failure), and it reads
whole (pg_dump archives are read to their end by pg_restore without a server;
plain dumps must end with pg_dump's closing line). It is the nightly job
between drills, and takes seconds. Backups in an object store are downloaded
to a private temporary file, which is removed.

The same exit codes, -o and --junit as drill run: 0 every backup is good,
1 a backup is missing, stale, too small or unreadable, 3 the backups could not
be looked at (storage unreachable, credentials refused). No record is stored:
the run history holds drills only.

--metrics-textfile and --pushgateway export backup-check metrics per scenario
and restore (drill_backup_check_success, drill_backup_age_seconds, ...) to
DIR/drill_check_<scenario>.prom or the Pushgateway group {job, scenario,
kind="check", restore}, apart from drill run's.`,
		Example: `  # nightly: is last night's backup there, fresh and whole?
  drill check billing.yaml

  # stricter than the scenario says
  drill check billing.yaml --max-age 26h --min-bytes 1000000 --junit check.xml`,
		Args: exactArgs(1, "the scenario file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(f.output); err != nil {
				return err
			}
			return checkScenario(cmd.Context(), args[0], f, streams)
		},
	}
	addOutputFlag(cmd, &f.output)
	cmd.Flags().StringVar(&f.junit, "junit", "", "also write a JUnit XML report to this file")
	cmd.Flags().DurationVar(&f.maxAge, "max-age", 0, "oldest the newest backup may be (default: the RPO objective, else the cadence)")
	cmd.Flags().Int64Var(&f.minBytes, "min-bytes", 1, "smallest a backup may be, in bytes")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 10*time.Minute, "give up after this long (exit code 4)")
	addMetricsFlags(cmd, &f.metrics)
	cmd.Flags().Lookup("metrics-textfile").Usage = "write the check's Prometheus metrics to DIR/drill_check_<scenario>.prom for node-exporter's textfile collector"
	return cmd
}

func checkScenario(ctx context.Context, file string, f *checkFlags, streams Streams) error {
	if f.minBytes < 0 || f.maxAge < 0 {
		return usageError{fmt.Errorf("--min-bytes and --max-age must not be negative")}
	}
	sc, err := scenarios.Load(file)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	rec := drills.Check(ctx, sc, drills.CheckOptions{
		Methods:      methodFor,
		Readable:     readableFor(sc),
		MaxAge:       f.maxAge,
		MinBytes:     f.minBytes,
		Timeout:      f.timeout,
		Progress:     streams.Err,
		DrillVersion: Version(),
		Host:         host,
	})
	if err := publish(rec, &runFlags{output: f.output, junit: f.junit}, streams); err != nil {
		return err
	}
	metricsErr := exportCheckMetrics(ctx, rec, f.metrics, streams.Err)
	if rec.Outcome != results.Passed {
		// The outcome decides the exit code; a failed export is still said.
		return errors.Join(outcomeError{outcome: rec.Outcome, reason: rec.Reason}, metricsErr)
	}
	return metricsErr
}

// readableFor reads a backup whole with the scenario's PostgreSQL programs.
func readableFor(sc *scenarios.Scenario) func(context.Context, scenarios.Restore, *source.Artifact) error {
	return func(ctx context.Context, r scenarios.Restore, art *source.Artifact) error {
		if r.Postgres == nil {
			return nil
		}
		binDir := ""
		if sc.Sandbox.Local != nil {
			binDir = sc.Sandbox.Local.BinDir
		}
		bins, err := local.FindBinaries(binDir)
		if err != nil {
			return infraError(err)
		}
		return postgres.Readable(ctx, bins.Dir, art)
	}
}
