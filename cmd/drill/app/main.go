package app

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Streams are the process's standard streams; tests pass buffers.
type Streams struct {
	In  io.Reader
	Out io.Writer // machine output: records, JSON
	Err io.Writer // people: progress, errors
}

// Main runs drill with the process's arguments and returns its exit code.
func Main() int {
	streams := Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
	ctx, stop := signalContext(context.Background(), streams.Err)
	defer stop()
	return ExitCode(Run(ctx, os.Args[1:], streams), streams.Err)
}

// Run executes one drill command. It never exits the process; its error says
// what failed and carries the exit code (see exitcode.go).
func Run(ctx context.Context, args []string, streams Streams) error {
	quietKubernetesClients()
	root := newRootCommand(streams)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRootCommand(streams Streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "drill",
		Short: "Rehearse disaster recovery: restore real backups, prove the data, measure RTO and RPO",
		Long: `drill restores real backups into a throwaway place, proves with checks that the
data is intact, measures how long recovery took (RTO) and how much data a
disaster at that moment would have lost (RPO), records the evidence, and
removes everything it created.

A scenario file says what to restore, where, and how to prove it:

  drill validate billing.yaml     check a scenario without touching anything
  drill plan billing.yaml         show the phases and the backup that would be used
  drill run billing.yaml          run the drill; the record goes to ./drill-results
  drill check billing.yaml        check the newest backups without restoring them
  drill report -o html > r.html   RTO/RPO trends, regressions, overdue drills
  drill list scenarios/           each scenario's last run and whether it is overdue
  drill cleanup --dry-run         what killed or kept runs left in a cluster
  drill schema > scenario.json    JSON Schema for editors (yaml-language-server)

Exit codes: 0 passed, 1 drill failed (restore or check failed, objective
missed, no backup), 2 invalid scenario or usage, 3 infrastructure error,
4 timed out, 130 interrupted.

Every flag can also be set from the environment as DRILL_<FLAG>, e.g.
DRILL_RESULTS=/srv/drill-results or DRILL_OUTPUT=json.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return flagsFromEnv(cmd, os.LookupEnv)
		},
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newValidateCommand(streams),
		newPlanCommand(streams),
		newRunCommand(streams),
		newReportCommand(streams),
		newListCommand(streams),
		newResultsCommand(streams),
		newCheckCommand(streams),
		newCleanupCommand(streams),
		newSchemaCommand(streams),
		newVersionCommand(streams),
	)
	return root
}
