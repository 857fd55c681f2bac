package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

// metricsTimeout bounds the export after a run. The export runs even when
// the run was interrupted: an interrupted drill is an outcome to report too.
const metricsTimeout = time.Minute

// Environment variables for the Pushgateway's credentials. They are not
// flags so that they never show in a process list or a shell history.
const (
	envPushUsername = "DRILL_PUSHGATEWAY_USERNAME"
	envPushPassword = "DRILL_PUSHGATEWAY_PASSWORD"
	envPushToken    = "DRILL_PUSHGATEWAY_TOKEN"
)

type metricsFlags struct {
	textfileDir string
	pushgateway string
	pushJob     string
}

func addMetricsFlags(cmd *cobra.Command, f *metricsFlags) {
	cmd.Flags().StringVar(&f.textfileDir, "metrics-textfile", "", "write the run's Prometheus metrics to DIR/drill_<scenario>.prom for node-exporter's textfile collector")
	cmd.Flags().StringVar(&f.pushgateway, "pushgateway", "", "push the run's Prometheus metrics to this Pushgateway URL (credentials from "+envPushUsername+"/"+envPushPassword+" or "+envPushToken+")")
	cmd.Flags().StringVar(&f.pushJob, "pushgateway-job", metrics.DefaultJob, "the Pushgateway job label (the scenario is the other grouping label)")
}

// exportMetrics writes the metrics the flags ask for. The history in the
// store supplies what a failed run cannot: the last success, the counters.
func exportMetrics(ctx context.Context, store results.Store, rec *results.Record, f metricsFlags, progress io.Writer) error {
	if f.textfileDir == "" && f.pushgateway == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), metricsTimeout)
	defer cancel()
	history, err := store.List(ctx, rec.Scenario)
	if err != nil {
		return infraError(fmt.Errorf("read the history of scenario %s for its metrics: %w", rec.Scenario, err))
	}
	snap := metrics.FromRecords(rec, history)
	if f.textfileDir != "" {
		path, err := metrics.WriteTextfile(f.textfileDir, snap)
		if err != nil {
			return infraError(err)
		}
		fmt.Fprintf(progress, "metrics written to %s\n", path)
	}
	if f.pushgateway != "" {
		if err := metrics.Push(ctx, f.gateway(progress), snap); err != nil {
			return infraError(err)
		}
		fmt.Fprintf(progress, "metrics pushed to the Pushgateway (job %s, scenario %s)\n", f.pushJob, rec.Scenario)
	}
	return nil
}

// gateway is the Pushgateway the flags and the environment name. In GitHub
// Actions its secrets are masked first, so that the runner hides them.
func (f metricsFlags) gateway(progress io.Writer) metrics.Pushgateway {
	gw := metrics.Pushgateway{
		URL:         f.pushgateway,
		Job:         f.pushJob,
		Username:    os.Getenv(envPushUsername),
		Password:    os.Getenv(envPushPassword),
		BearerToken: os.Getenv(envPushToken),
	}
	maskInGitHub(progress, gw.Password, gw.BearerToken, urlPassword(gw.URL))
	return gw
}
