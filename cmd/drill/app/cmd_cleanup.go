package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/namespace"
)

type cleanupFlags struct {
	cluster         clusterFlags // --kubeconfig and --context
	dryRun          bool
	all             bool
	run             string
	argocdNamespace string
	output          string
	timeout         time.Duration
}

// cleanedUp is one leftover in drill cleanup's -o json/yaml output.
type cleanedUp struct {
	namespace.Leftover
	Removed bool   `json:"removed"`
	Error   string `json:"error,omitempty"`
}

func newCleanupCommand(streams Streams) *cobra.Command {
	f := &cleanupFlags{}
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Remove what drill runs left in a cluster: abandoned sandbox namespaces and what their runs labelled",
		Long: `Find what drill runs left in the cluster and remove it. A run's own sandbox
namespace (labelled app.kubernetes.io/managed-by=drill, with a heartbeat and an
expiry) is left over once its expiry has passed or its run stopped renewing the
heartbeat more than 3 minutes ago (a run killed with SIGKILL, a machine that
went away). Everything else the run labelled follows its run: the namespaces a
rebuild's child apps made, drill's Argo CD Applications (a rebuild's root, whose
deletion Argo CD cascades to its child Applications), AppProjects and repository
Secrets in Argo CD's namespace, and what a Helm install of Argo CD made: its
namespace, CustomResourceDefinitions, ClusterRoles and ClusterRoleBindings.
They go when their run's namespace is a leftover, or is gone; they stay while
it lives. A namespace a run kept on purpose (--retain) stays until it expires,
or until --run names its run.

Nothing without drill's label is ever touched, and each object is read again
and checked before it is deleted. Applications go first, while Argo CD still
runs, and cluster-scoped objects last; objects of one kind are removed
together, each watched until it is really gone. One line per leftover: kind,
name, run, and why.

Exit codes: 0 nothing left (or --dry-run), 3 the cluster could not be reached
or something could not be removed, 4 --timeout passed.`,
		Example: `  # what would go, without removing anything
  drill cleanup --dry-run

  # remove what one run kept (drill run --retain)
  drill cleanup --run 20261127-105327-99f0eb

  # everything drill made in this cluster, live runs' too
  drill cleanup --all --context staging`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(f.output); err != nil {
				return err
			}
			return cleanupCluster(cmd.Context(), f, streams)
		},
	}
	addKubeFlags(cmd, &f.cluster)
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "list the leftovers, remove nothing")
	cmd.Flags().BoolVar(&f.all, "all", false, "take everything drill made for a leftover, also what live runs use")
	cmd.Flags().StringVar(&f.run, "run", "", "only this run's objects, whatever their age")
	cmd.Flags().StringVar(&f.argocdNamespace, "argocd-namespace", namespace.DefaultArgoCDNamespace, "the namespace of Argo CD's Applications, AppProjects and repository Secrets")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 10*time.Minute, "give up after this long (exit code 4)")
	addOutputFlag(cmd, &f.output)
	return cmd
}

func cleanupCluster(ctx context.Context, f *cleanupFlags, streams Streams) error {
	cfg, _, err := kube.Load(f.cluster.kubeconfig, f.cluster.context)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if err := kube.Reachable(ctx, cfg); err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return infraError(fmt.Errorf("client for %s: %w", cfg.Host, err))
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return infraError(fmt.Errorf("client for %s: %w", cfg.Host, err))
	}
	leftovers, err := namespace.Leftovers(ctx, cs, dyn, time.Now(), namespace.CleanupOptions{
		ArgoCDNamespace: f.argocdNamespace, All: f.all, RunID: f.run,
	})
	if err != nil {
		return infraError(err)
	}
	if len(leftovers) == 0 && f.output == outputText {
		fmt.Fprintln(streams.Err, "no leftovers")
		return nil
	}
	done := make([]cleanedUp, len(leftovers))
	for i, l := range leftovers {
		done[i].Leftover = l
	}
	var errs []error
	if f.dryRun {
		if f.output == outputText {
			for _, l := range leftovers {
				fmt.Fprintln(streams.Out, leftoverLine(l))
			}
		}
	} else {
		errs = removeLeftovers(ctx, cs, dyn, done, func(d cleanedUp) {
			switch {
			case f.output != outputText:
			case d.Removed:
				fmt.Fprintf(streams.Out, "%s: removed\n", leftoverLine(d.Leftover))
			default:
				fmt.Fprintf(streams.Out, "%s: not removed: %s\n", leftoverLine(d.Leftover), d.Error)
			}
		})
	}
	if f.output != outputText {
		if err := writeData(streams.Out, f.output, done); err != nil {
			return err
		}
	}
	if f.dryRun && f.output == outputText {
		fmt.Fprintf(streams.Err, "dry run: %d leftover(s), nothing removed\n", len(leftovers))
	}
	return removalError(ctx, errs)
}

// removeLeftovers removes the leftovers in their order, those of one kind
// together: their deletions mostly wait on the cluster's controllers, and
// one after another would add those waits up. It records each outcome in
// done, hands it to report once its kind is done, and returns the errors.
func removeLeftovers(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, done []cleanedUp, report func(cleanedUp)) []error {
	var errs []error
	for start := 0; start < len(done); {
		end := start + 1
		for end < len(done) && done[end].Kind == done[start].Kind {
			end++
		}
		group := make([]error, end-start)
		var wg sync.WaitGroup
		for i := start; i < end; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				group[i-start] = namespace.Remove(ctx, cs, dyn, done[i].Leftover)
			}()
		}
		wg.Wait()
		for i, err := range group {
			if err != nil {
				done[start+i].Error = err.Error()
				errs = append(errs, err)
			} else {
				done[start+i].Removed = true
			}
			report(done[start+i])
		}
		start = end
	}
	return errs
}

// leftoverLine is "Namespace drill-billing-2799f0eb (run RUN, scenario S): why".
func leftoverLine(l namespace.Leftover) string {
	name := l.Name
	if l.Namespace != "" {
		name = l.Namespace + "/" + l.Name
	}
	return fmt.Sprintf("%s %s (run %s): %s", l.Kind, name, l.RunID, l.Why)
}

// removalError is what failed; the timeout or an interrupt when that was
// why, else an infrastructure error.
func removalError(ctx context.Context, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	err := fmt.Errorf("%d leftover(s) not removed: %w", len(errs), errors.Join(errs...))
	if ctx.Err() != nil {
		return err
	}
	return infraError(err)
}
