package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

type runFlags struct {
	output          string
	resultsDir      string
	store           string
	junit           string
	timeout         time.Duration
	teardownTimeout time.Duration
	verbose         bool
	diagnostics     string
	metrics         metricsFlags
	cluster         clusterFlags
}

func newRunCommand(streams Streams) *cobra.Command {
	f := &runFlags{}
	cmd := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a drill: restore, verify, measure RTO and RPO, tear down",
		Long: `Run the drill a scenario describes.

drill finds the backup (the newest in a directory, or the file named), creates
the sandbox, restores into it, runs the checks as soon as their data is there,
measures the RTO (from the start of the run until every check has passed) and
the RPO (the backup's age and, with an rpo check, the data a disaster now would
have lost), and removes the sandbox, also after Ctrl-C or a timeout.

Progress goes to stderr; the record goes to stdout (-o) and, as JSON, to the
results directory, where it is written when the run starts ("running") and
again when it ends, so a crash leaves an incomplete record rather than none.`,
		Example: `  # a monthly drill, with the record in ./drill-results
  drill run scenarios/examples/billing-monthly.yaml

  # machine-readable record on stdout, JUnit for the CI's test view
  drill run billing.yaml -o json --junit drill-junit.xml

  # give up after 30 minutes (exit code 4)
  drill run billing.yaml --timeout 30m

  # Prometheus metrics for node-exporter's textfile collector and a Pushgateway
  DRILL_PUSHGATEWAY_PASSWORD=... drill run billing.yaml \
    --metrics-textfile /var/lib/node-exporter --pushgateway https://drill@pushgateway:9091`,
		Args: exactArgs(1, "the scenario file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(f.output); err != nil {
				return err
			}
			return runScenario(cmd, args[0], f, streams)
		},
	}
	addOutputFlag(cmd, &f.output)
	addStoreFlag(cmd, &f.store)
	cmd.Flags().StringVar(&f.resultsDir, "results", defaultStore, "the same as --store DIR (kept for existing scripts; --store wins)")
	cmd.Flags().StringVar(&f.junit, "junit", "", "also write a JUnit XML report to this file (suite = scenario, case = check)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 0, "whole-run timeout, overriding the scenario's spec.timeout (e.g. 30m)")
	cmd.Flags().DurationVar(&f.teardownTimeout, "teardown-timeout", 2*time.Minute, "how long teardown may take; it runs even after Ctrl-C")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "show the restore tools' own output")
	addMetricsFlags(cmd, &f.metrics)
	addClusterFlags(cmd, &f.cluster)
	cmd.Flags().StringVar(&f.diagnostics, "diagnostics", "", "where a cluster sandbox's events, pod statuses and logs go when a run does not pass (default: SCENARIO/diagnostics in the --store directory, or ./drill-diagnostics with a database store); one directory per run")
	return cmd
}

func runScenario(cmd *cobra.Command, file string, f *runFlags, streams Streams) error {
	sc, err := scenarios.Load(file)
	if err != nil {
		return err
	}
	provider, err := sandboxFor(sc, &f.cluster, streams.Err)
	if err != nil {
		return err
	}
	var toolLog io.Writer
	if f.verbose {
		toolLog = streams.Err
	}
	host, _ := os.Hostname()
	spec := f.store
	if !cmd.Flags().Changed("store") && cmd.Flags().Changed("results") {
		spec = f.resultsDir
	}
	store, closeStore, err := openStore(cmd.Context(), spec)
	if err != nil {
		return err
	}
	defer closeStore.Close()
	opts := drills.Options{
		Sandbox:         provider,
		SandboxKind:     sc.Sandbox.Kind,
		Methods:         methodFor,
		Checks:          checkFor,
		Store:           store,
		Progress:        streams.Err,
		ToolLog:         toolLog,
		Timeout:         f.timeout,
		TeardownTimeout: f.teardownTimeout,
		DrillVersion:    Version(),
		Host:            host,
	}
	if err := clusterOptions(&opts, sc, &f.cluster, diagnosticsDir(f.diagnostics, spec, sc.Name), streams.Err); err != nil {
		return err
	}
	rec, err := drills.Run(cmd.Context(), sc, opts)
	if err != nil {
		return infraError(err)
	}
	if err := publish(rec, f, streams); err != nil {
		return err
	}
	metricsErr := exportMetrics(cmd.Context(), store, rec, f.metrics, streams.Err)
	if rec.Outcome != results.Passed {
		// The outcome decides the exit code; a failed export is still said.
		return errors.Join(outcomeError{outcome: rec.Outcome, reason: rec.Reason}, metricsErr)
	}
	return metricsErr
}

// publish prints the record and writes the reports the flags and the
// environment ask for.
func publish(rec *results.Record, f *runFlags, streams Streams) error {
	write := results.WriteText
	switch f.output {
	case outputJSON:
		write = results.WriteJSON
	case outputYAML:
		write = results.WriteYAML
	}
	if err := write(streams.Out, rec); err != nil {
		return fmt.Errorf("print the record: %w", err)
	}
	if f.junit != "" {
		if err := writeFile(f.junit, rec, results.WriteJUnit); err != nil {
			return infraError(fmt.Errorf("write the JUnit report: %w", err))
		}
	}
	return githubReport(rec, streams.Err)
}

func writeFile(path string, rec *results.Record, write func(io.Writer, *results.Record) error) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(out, rec); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
