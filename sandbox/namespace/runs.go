package namespace

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/restore-drill/drill/sandbox/kube"
)

// runVerdicts say, per run id, whether the run lives, as its own sandbox
// namespaces tell: everything else a run labelled follows that verdict.
type runVerdicts struct {
	now  time.Time
	opts CleanupOptions
	// own maps a run to its own namespace that is a leftover, or to nil
	// when the run lives; a run without an own namespace is absent.
	own map[string]*corev1.Namespace
}

func judgeRuns(nss []corev1.Namespace, now time.Time, opts CleanupOptions) runVerdicts {
	v := runVerdicts{now: now, opts: opts, own: map[string]*corev1.Namespace{}}
	for i := range nss {
		ns := &nss[i]
		if !isRunsOwn(ns) {
			continue
		}
		run := ns.Labels[kube.LabelRunID]
		live := namespaceWhy(ns, now, CleanupOptions{StaleAfter: opts.StaleAfter}) == ""
		if _, seen := v.own[run]; live {
			v.own[run] = nil // one live namespace keeps the run alive
		} else if !seen {
			v.own[run] = ns
		}
	}
	return v
}

// why says why an object of run, made at created, is a leftover, or ""
// when it stays. A run whose own namespace is gone is taken for gone once
// the object is older than StaleAfter: a young object may be a run's that
// is tearing down, which deletes it itself.
func (v runVerdicts) why(run string, created time.Time) string {
	ns, seen := v.own[run]
	switch {
	case seen && ns != nil:
		return fmt.Sprintf("its run's namespace %s is a leftover", ns.Name)
	case !seen && created.IsZero():
		return "its run's namespace is gone"
	case !seen && v.now.Sub(created) > v.opts.StaleAfter:
		return fmt.Sprintf("its run's namespace is gone (made %s ago)", age(v.now, created))
	}
	return v.opts.named()
}
