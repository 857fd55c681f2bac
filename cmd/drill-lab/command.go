package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/restore-drill/drill/sandbox/kube/lab"
	"github.com/spf13/cobra"
)

// stopTimeout bounds a teardown: each program gets a grace period, then
// SIGKILL.
const stopTimeout = time.Minute

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := newCommand(stdout, stderr)
	cmd.SetArgs(args)
	return cmd.ExecuteContext(ctx)
}

func newCommand(stdout, stderr io.Writer) *cobra.Command {
	var (
		dir, binDir, run string
		withoutArgoCD    bool
	)
	root := &cobra.Command{
		Use:           "drill-lab",
		Short:         "Start and stop the end-to-end test lab (Kubernetes + kwok + Argo CD)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&dir, "dir", ".lab", "the lab's directory (state, logs, PIDs, env file)")

	up := &cobra.Command{
		Use:   "up --bin DIR",
		Short: "Start a lab in the background and print the path of its env file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if binDir == "" {
				return fmt.Errorf("--bin is required: the directory ci/lab/build.sh prints")
			}
			start := time.Now()
			l, err := lab.Start(cmd.Context(), lab.Options{BinDir: binDir, Dir: dir, WithoutArgoCD: withoutArgoCD, Progress: stderr})
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "lab: ready in %s\n", time.Since(start).Round(100*time.Millisecond))
			fmt.Fprintln(stdout, filepath.Join(l.Dir, lab.EnvFile))
			return nil
		},
	}
	up.Flags().BoolVar(&withoutArgoCD, "without-argocd", false, "start the Kubernetes half only (no Redis, no Argo CD)")
	up.Flags().StringVar(&binDir, "bin", os.Getenv("DRILL_LAB_BIN"), "the directory of the lab's programs ($DRILL_LAB_BIN)")

	down := &cobra.Command{
		Use:   "down",
		Short: "Stop every process of the lab, by PID, and remove its directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), stopTimeout)
			defer cancel()
			return lab.StopDir(ctx, dir)
		},
	}

	sweep := &cobra.Command{
		Use:   "sweep --run ID",
		Short: "Stop every lab process started with " + lab.RunEnv + "=ID",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), stopTimeout)
			defer cancel()
			return lab.Sweep(ctx, run)
		},
	}
	sweep.Flags().StringVar(&run, "run", os.Getenv(lab.RunEnv), "the run id ($"+lab.RunEnv+")")

	root.AddCommand(up, down, sweep)
	return root
}
