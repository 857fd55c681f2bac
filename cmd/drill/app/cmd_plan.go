package app

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/scenarios"
)

func newPlanCommand(streams Streams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "plan SCENARIO",
		Short: "Show what a run would do and which backup it would use, touching nothing",
		Long: `Show the phases of a run and the backup each restore would use, without creating
a sandbox, restoring anything or writing a record. For a rebuild, the whole
graph: Argo CD, repositories, the root Application and its children by sync
wave, read from git, and what each restore waits for. A missing or unreadable
backup, or missing PostgreSQL binaries, are listed as problems and make plan
exit with the code the run would have (1 for a missing backup).`,
		Args: exactArgs(1, "the scenario file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			sc, err := scenarios.Load(args[0])
			if err != nil {
				return err
			}
			p := drills.MakePlan(cmd.Context(), sc, methodFor, describeSandbox)
			p.AddBootstrap(cmd.Context(), sc, readChildren)
			if output != outputText {
				err = writeData(streams.Out, output, p)
			} else {
				err = writePlan(streams.Out, p)
			}
			if err != nil {
				return err
			}
			if err := p.Err(); err != nil {
				return fmt.Errorf("the run would not pass: %w", err)
			}
			return nil
		},
	}
	addOutputFlag(cmd, &output)
	return cmd
}

func writePlan(w io.Writer, p *drills.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Scenario %s", p.Scenario)
	if p.File != "" {
		fmt.Fprintf(&b, " (%s)", p.File)
	}
	b.WriteString("\n")
	if p.Cadence != "" {
		fmt.Fprintf(&b, "  cadence:    %s\n", p.Cadence)
	}
	fmt.Fprintf(&b, "  objectives: RTO %s, RPO %s\n", orNone(p.Objectives.RTO), orNone(p.Objectives.RPO))
	fmt.Fprintf(&b, "  timeout:    %s\n", p.Timeout)
	fmt.Fprintf(&b, "  sandbox:    %s: %s\n", p.Sandbox.Kind, orNone(p.Sandbox.Description))
	b.WriteString("\nPhases:\n")
	for i, ph := range p.Phases {
		fmt.Fprintf(&b, "  %d. %-22s %s\n", i+1, ph.Name, ph.Description)
	}
	if len(p.Apps) > 0 {
		b.WriteString("\nApps:\n")
		for _, a := range p.Apps {
			fmt.Fprintf(&b, "  %s (%s): %s, ready within %s\n", a.Name, a.Kind, a.Source, a.Timeout)
		}
	}
	writePlannedBootstrap(&b, p.Bootstrap)
	b.WriteString("\nRestores:\n")
	for _, r := range p.Restores {
		if r.Archive.Path == "" {
			// A restore without a source (a job) fetches its own backup.
			fmt.Fprintf(&b, "  %s (%s)\n", r.Name, r.Method)
			writeProblemOrNotes(&b, r)
			continue
		}
		fmt.Fprintf(&b, "  %s (%s) → database %s\n", r.Name, r.Method, r.Database)
		fmt.Fprintf(&b, "    backup:  %s\n", r.Archive.Path)
		if r.Error != "" {
			fmt.Fprintf(&b, "    problem: %s\n", r.Error)
			continue
		}
		fmt.Fprintf(&b, "    format:  %s, %d bytes, modified %s (age %s)\n", r.Archive.Format, r.Archive.Bytes, r.Archive.ModTime.Format("2006-01-02 15:04:05Z07:00"), r.BackupAge)
		if r.Archive.DumpedBy != "" {
			fmt.Fprintf(&b, "    made by: pg_dump %s from PostgreSQL %s\n", r.Archive.DumpedBy, orNone(r.Archive.DumpedFrom))
		}
		fmt.Fprintf(&b, "    jobs:    %d\n", r.Jobs)
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "    note:    %s\n", n)
		}
	}
	b.WriteString("\nChecks:\n")
	for _, c := range p.Checks {
		if c.Restore == "" {
			fmt.Fprintf(&b, "  %s (%s): %s\n    expect: %s\n", c.Name, c.Kind, c.What, c.Expect)
			continue
		}
		fmt.Fprintf(&b, "  %s (%s on %s): %s\n    expect: %s\n", c.Name, c.Kind, c.Restore, cmp.Or(c.Query, c.What), c.Expect)
	}
	if len(p.Problems) > 0 {
		b.WriteString("\nProblems:\n")
		for _, pr := range p.Problems {
			fmt.Fprintf(&b, "  - %s\n", pr)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeProblemOrNotes(b *strings.Builder, r drills.PlannedRestore) {
	if r.Error != "" {
		fmt.Fprintf(b, "    problem: %s\n", r.Error)
		return
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "    note:    %s\n", n)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
