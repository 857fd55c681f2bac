package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/report"
)

// Report formats for -o.
const (
	reportMarkdown = "markdown"
	reportHTML     = "html"
	reportJSON     = "json"
)

type reportFlags struct {
	store        string
	output       string
	scenarios    []string
	threshold    float64
	window       int
	exercise     string
	participants []string
	signOff      string
	title        string
}

func newReportCommand(streams Streams) *cobra.Command {
	f := &reportFlags{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Report the history of runs: RTO and RPO trends, regressions, overdue drills; or one run's exercise report",
		Long: `Report over every run record in the store: per scenario the RTO and RPO over
time against the objectives, the pass/fail history, regressions (the latest
RTO more than --regression-threshold above the median of the previous runs),
overdue drills (the last passed run older than the cadence), the phases of
the latest run with the critical path, and the backups used.

With --exercise RUN_ID it writes the auditor-ready record of one run instead:
date and window, scope, backups with checksums, objectives, timeline,
measured RTO and RPO, checks with their evidence, findings, participants and
sign-off.

-o html writes one self-contained page (inline SVG charts; nothing is
fetched when it is viewed); -o markdown suits a GitHub step summary; -o json
is for other tools.`,
		Example: `  # the trend report as a web page
  drill report -o html > drill-report.html

  # from the team's shared history
  PGPASSWORD=... drill report --store postgres://drill@db.example.com/drill -o markdown

  # the quarterly exercise, signed off
  drill report --exercise 20261127-105327-99f0eb -o html \
      --participant "Ada (DBA)" --participant "Linus (platform)" --sign-off "Grace, head of platform" > exercise.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd.Context(), f, streams)
		},
	}
	addStoreFlag(cmd, &f.store)
	cmd.Flags().StringVarP(&f.output, "output", "o", reportMarkdown, "report format: markdown, html or json")
	cmd.Flags().StringSliceVar(&f.scenarios, "scenario", nil, "report only these scenarios (repeat or separate with commas)")
	cmd.Flags().Float64Var(&f.threshold, "regression-threshold", 0.2, "a latest RTO this fraction above the median of the previous runs is a regression (0.2 = 20%)")
	cmd.Flags().IntVar(&f.window, "regression-window", 10, "how many previous runs the median RTO is taken over")
	cmd.Flags().StringVar(&f.exercise, "exercise", "", "write the exercise report of this run (RUN_ID or SCENARIO/RUN_ID) instead of the trend report")
	cmd.Flags().StringArrayVar(&f.participants, "participant", nil, "a participant of the exercise, e.g. \"Ada Lovelace (DBA)\" (repeat for each)")
	cmd.Flags().StringVar(&f.signOff, "sign-off", "", "who signs the exercise report off (left blank to sign by hand)")
	cmd.Flags().StringVar(&f.title, "title", "", "the exercise report's title (default \"Recovery exercise: SCENARIO\")")
	return cmd
}

func runReport(ctx context.Context, f *reportFlags, streams Streams) error {
	switch f.output {
	case reportMarkdown, reportHTML, reportJSON:
	default:
		return usageError{fmt.Errorf("unknown report format %q: use markdown, html or json", f.output)}
	}
	if f.threshold <= 0 || f.window < 1 {
		return usageError{errors.New("--regression-threshold must be above 0 and --regression-window at least 1")}
	}
	store, closer, err := openStore(ctx, f.store)
	if err != nil {
		return err
	}
	defer closer.Close()
	if f.exercise != "" {
		return writeExercise(ctx, store, f, streams.Out)
	}
	records, err := readRecords(ctx, store, f.scenarios)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		fmt.Fprintf(streams.Err, "no run records in %s\n", storeName(f.store))
	}
	rep := report.Build(records, report.Options{RegressionThreshold: f.threshold, RegressionWindow: f.window, Scenarios: f.scenarios})
	write := report.WriteMarkdown
	switch f.output {
	case reportHTML:
		write = report.WriteHTML
	case reportJSON:
		write = report.WriteJSON
	}
	if err := write(streams.Out, rep); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}

// readRecords reads the records of the named scenarios, or of all.
func readRecords(ctx context.Context, store results.Catalog, only []string) ([]*results.Record, error) {
	if len(only) == 0 {
		records, err := results.ReadAll(ctx, store)
		if err != nil {
			return nil, infraError(fmt.Errorf("read the run records: %w", err))
		}
		return records, nil
	}
	var records []*results.Record
	for _, name := range only {
		list, err := store.List(ctx, name)
		if err != nil {
			return nil, infraError(fmt.Errorf("read the run records of scenario %s: %w", name, err))
		}
		records = append(records, list...)
	}
	return records, nil
}

func writeExercise(ctx context.Context, store results.Catalog, f *reportFlags, out io.Writer) error {
	rec, err := findRun(ctx, store, f.exercise)
	if err != nil {
		return err
	}
	e := report.BuildExercise(rec, report.ExerciseOptions{Title: f.title, Participants: f.participants, SignOff: f.signOff})
	switch f.output {
	case reportHTML:
		err = report.WriteExerciseHTML(out, e)
	case reportJSON:
		err = writeData(out, outputJSON, e)
	default:
		err = report.WriteExerciseMarkdown(out, e)
	}
	if err != nil {
		return fmt.Errorf("write the exercise report: %w", err)
	}
	return nil
}

// findRun loads a run named SCENARIO/RUN_ID, or RUN_ID in whichever
// scenario holds it.
func findRun(ctx context.Context, store results.Catalog, ref string) (*results.Record, error) {
	if scenario, runID, ok := strings.Cut(ref, "/"); ok {
		return loadRun(ctx, store, scenario, runID)
	}
	names, err := store.Scenarios(ctx)
	if err != nil {
		return nil, infraError(err)
	}
	for _, name := range names {
		rec, err := loadRun(ctx, store, name, ref)
		if err == nil || !errors.Is(err, results.ErrNotFound) {
			return rec, err
		}
	}
	return nil, usageError{fmt.Errorf("no run %s in the store; see drill list or drill report for run ids", ref)}
}

func loadRun(ctx context.Context, store results.Catalog, scenario, runID string) (*results.Record, error) {
	rec, err := store.Load(ctx, scenario, runID)
	if errors.Is(err, results.ErrNotFound) {
		return nil, usageError{err}
	}
	return rec, err
}
