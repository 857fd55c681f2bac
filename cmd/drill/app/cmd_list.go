package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/scenarios"
)

// listing is one scenario's line of drill list, and its -o json form.
type listing struct {
	Scenario   string          `json:"scenario"`
	File       string          `json:"file"`
	Cadence    string          `json:"cadence,omitempty"`
	Runs       int             `json:"runs"`
	LastRun    *report.RunRef  `json:"lastRun,omitempty"`
	LastPassed *report.RunRef  `json:"lastPassed,omitempty"`
	Due        *time.Time      `json:"due,omitempty"`
	Overdue    bool            `json:"overdue"`
	Outcome    results.Outcome `json:"lastOutcome,omitempty"`
}

func newListCommand(streams Streams) *cobra.Command {
	var store, output string
	cmd := &cobra.Command{
		Use:   "list DIR",
		Short: "List the scenarios in a directory with their cadence, last run and whether they are overdue",
		Long: `Find the scenario files (*.yaml, *.yml) in DIR and its subdirectories and show,
from the store, each one's cadence, last run, last outcome, and whether it is
overdue: its last passed run is older than its cadence, or it never passed.
Files that are not valid scenarios are named on stderr and skipped.`,
		Example: `  drill list scenarios/
  drill list scenarios/ --store postgres://drill@db.example.com/drill -o json`,
		Args: exactArgs(1, "the directory of scenario files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			found, err := findScenarios(args[0], streams.Err)
			if err != nil {
				return err
			}
			s, closer, err := openStore(cmd.Context(), store)
			if err != nil {
				return err
			}
			defer closer.Close()
			lines, err := listScenarios(cmd.Context(), s, found)
			if err != nil {
				return err
			}
			if output != outputText {
				return writeData(streams.Out, output, lines)
			}
			return writeListing(streams.Out, lines)
		},
	}
	addStoreFlag(cmd, &store)
	addOutputFlag(cmd, &output)
	return cmd
}

// foundScenario is a scenario file that loaded.
type foundScenario struct {
	file string
	sc   *scenarios.Scenario
}

// findScenarios loads every YAML file under dir; the ones that are not
// scenarios are reported on warn and left out.
func findScenarios(dir string, warn io.Writer) ([]foundScenario, error) {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, usageError{fmt.Errorf("%s is not a directory of scenario files", dir)}
	}
	var found []foundScenario
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".yaml" && ext != ".yml") {
			return nil
		}
		sc, err := scenarios.Load(path)
		if err != nil {
			fmt.Fprintf(warn, "skipping %s: not a valid scenario (drill validate %s shows why)\n", path, path)
			return nil
		}
		found = append(found, foundScenario{file: path, sc: sc})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the scenarios in %s: %w", dir, err)
	}
	return found, nil
}

func listScenarios(ctx context.Context, store results.Catalog, found []foundScenario) ([]listing, error) {
	var names []string
	cadences := map[string]string{}
	var records []*results.Record
	for _, f := range found {
		if slices.Contains(names, f.sc.Name) {
			continue
		}
		names = append(names, f.sc.Name)
		cadences[f.sc.Name] = f.sc.Cadence.Name
		list, err := store.List(ctx, f.sc.Name)
		if err != nil {
			return nil, infraError(fmt.Errorf("read the run records of scenario %s: %w", f.sc.Name, err))
		}
		records = append(records, list...)
	}
	rep := report.Build(records, report.Options{Scenarios: names, Cadences: cadences, ChartRuns: 1, BackupRuns: 1})
	byName := map[string]report.Scenario{}
	for _, s := range rep.Scenarios {
		byName[s.Name] = s
	}
	lines := make([]listing, 0, len(found))
	for _, f := range found {
		s := byName[f.sc.Name]
		l := listing{Scenario: s.Name, File: f.file, Cadence: s.Cadence, Runs: s.Runs, LastRun: s.LastRun, LastPassed: s.LastPassed, Due: s.Due, Overdue: s.Overdue}
		if s.LastRun != nil {
			l.Outcome = s.LastRun.Outcome
		}
		lines = append(lines, l)
	}
	return lines, nil
}

func writeListing(w io.Writer, lines []listing) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tCADENCE\tRUNS\tLAST RUN\tOUTCOME\tLAST PASSED\tSTATUS\tFILE")
	day := func(r *report.RunRef) string {
		if r == nil {
			return "never"
		}
		return r.StartedAt.Format("2006-01-02 15:04")
	}
	for _, l := range lines {
		status := "ok"
		switch {
		case l.Overdue:
			status = "OVERDUE"
		case l.Due != nil:
			status = "due " + l.Due.UTC().Format("2006-01-02")
		case l.Cadence == "":
			status = "no cadence"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", l.Scenario, dashIfEmpty(l.Cadence), l.Runs, day(l.LastRun),
			dashIfEmpty(string(l.Outcome)), day(l.LastPassed), status, l.File)
	}
	return tw.Flush()
}

func dashIfEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
