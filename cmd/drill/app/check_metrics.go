package app

import (
	"context"
	"fmt"
	"io"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

// exportCheckMetrics writes the backup-check metrics the flags ask for. A
// check stores no record, so the last success of a failed restore comes from
// the textfile before, or stays in the Pushgateway.
func exportCheckMetrics(ctx context.Context, rec *results.Record, f metricsFlags, progress io.Writer) error {
	if f.textfileDir == "" && f.pushgateway == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), metricsTimeout)
	defer cancel()
	snap := metrics.FromCheck(rec)
	if f.textfileDir != "" {
		path, err := metrics.WriteCheckTextfile(f.textfileDir, snap)
		if err != nil {
			return infraError(err)
		}
		fmt.Fprintf(progress, "metrics written to %s\n", path)
	}
	if f.pushgateway != "" {
		if err := metrics.PushCheck(ctx, f.gateway(progress), snap); err != nil {
			return infraError(err)
		}
		fmt.Fprintf(progress, "metrics pushed to the Pushgateway (job %s, scenario %s, kind %s)\n", f.pushJob, rec.Scenario, metrics.CheckGroupingKind)
	}
	return nil
}
