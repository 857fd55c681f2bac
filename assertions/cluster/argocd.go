package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/scenarios"
)

const argoCDExpected = "Synced/Healthy"

// argoCDCheck waits until an app of the scenario is Synced and Healthy.
//
// It re-reads the app's status on a short backoff: gitops.Deployer offers
// Status, not a watch, so that the check stays independent of how the app
// was brought up (an Argo CD watch stream, or a Helm release's workloads).
// The backoff tops out at two seconds, small next to the minutes an app
// takes to come up.
type argoCDCheck struct {
	name    string
	timeout time.Duration
	app     string
}

func newArgoCDCheck(name string, timeout time.Duration, a scenarios.ArgoCDCheck) (*argoCDCheck, error) {
	if a.App == "" {
		return nil, fmt.Errorf("check %s: no app named: give the name of one of the scenario's apps", name)
	}
	return &argoCDCheck{name: name, timeout: timeout, app: a.App}, nil
}

// Run reads the app's status until it is Synced and Healthy or the check's
// time is up.
func (c *argoCDCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	app, ok := env.Apps[c.app]
	if !ok || app == nil {
		return errorResult(argoCDExpected, fmt.Errorf("app %s is not one of this run's apps: name an app of the scenario", c.app))
	}
	wctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	var (
		last    *gitops.Status
		lastErr error
		b       backoff
	)
	for {
		st, err := app.Status(wctx)
		switch {
		case err == nil && st.Ready():
			return passed(argoCDExpected, describeStatus(st), time.Now())
		case err == nil:
			last, lastErr = &st, nil
		case wctx.Err() == nil:
			lastErr = err
		}
		if !b.wait(wctx) {
			break
		}
	}
	subject := "app " + c.app
	if last == nil {
		// Never read: the check could not run, unless the run itself ended.
		if ctx.Err() != nil {
			r := endOfWait(ctx, c.timeout, subject, argoCDExpected)
			r.Expected, r.Observed = argoCDExpected, "no status"
			return r
		}
		if lastErr == nil {
			lastErr = wctx.Err()
		}
		return errorResult(argoCDExpected, fmt.Errorf("read the status of app %s: %w", c.app, lastErr))
	}
	r := endOfWait(ctx, c.timeout, subject, argoCDExpected)
	r.Expected, r.Observed = argoCDExpected, describeStatus(*last)
	if len(last.Conditions) > 0 {
		r.Message += ": " + strings.Join(last.Conditions, "; ")
	}
	if lastErr != nil {
		r.Message += fmt.Sprintf(" (the last read failed: %v)", lastErr)
	}
	return r
}

// describeStatus is "OutOfSync/Degraded", with the revision when known.
func describeStatus(st gitops.Status) string {
	s := orUnknown(st.Sync) + "/" + orUnknown(st.Health)
	if st.Revision != "" {
		s += " at " + shortRevision(st.Revision)
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "Unknown"
	}
	return s
}

// shortRevision shortens a git commit the way git does; a chart's name and
// version stays as it is.
func shortRevision(rev string) string {
	if len(rev) == 40 && strings.Trim(rev, "0123456789abcdef") == "" {
		return rev[:7]
	}
	return rev
}
