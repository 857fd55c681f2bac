package app

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/results"
)

func newResultsCommand(streams Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "results",
		Short: "Work with the stores of run records",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newResultsCopyCommand(streams))
	return cmd
}

func newResultsCopyCommand(streams Streams) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "copy --from STORE --to STORE",
		Short: "Copy every run record from one store to another",
		Long: `Copy every run record from one store to another: a directory (one JSON file
per run) or a postgres:// URL (the password may come from PGPASSWORD).
A record of the same run in the target is replaced, so copying again is
harmless; records only in the target are kept.`,
		Example: `  # move a directory of records into the team's shared database
  PGPASSWORD=... drill results copy --from drill-results --to postgres://drill@db.example.com/drill

  # and back, e.g. to commit them to a results branch
  drill results copy --from postgres://drill@db.example.com/drill --to drill-results`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usageError{fmt.Errorf("drill results copy needs --from and --to")}
			}
			src, closeSrc, err := openStore(cmd.Context(), from)
			if err != nil {
				return err
			}
			defer closeSrc.Close()
			dst, closeDst, err := openStore(cmd.Context(), to)
			if err != nil {
				return err
			}
			defer closeDst.Close()
			n, err := results.Copy(cmd.Context(), src, dst)
			if err != nil {
				return infraError(fmt.Errorf("copy from %s to %s after %d records: %w", storeName(from), storeName(to), n, err))
			}
			fmt.Fprintf(streams.Err, "copied %d run records from %s to %s\n", n, storeName(from), storeName(to))
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the store to copy from: a directory or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the store to copy to: a directory or a postgres:// URL")
	return cmd
}
