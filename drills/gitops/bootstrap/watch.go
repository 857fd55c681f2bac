package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/gitops-engine/pkg/sync/common"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"

	"github.com/restore-drill/drill/drills/gitops/argocd"
	"github.com/restore-drill/drill/sandbox/kube"
)

// verdict is where an Application stands while drill waits for it.
type verdict int

const (
	pending verdict = iota
	ready
	failed
)

// assess decides from one state of the Application. With a token, only
// the sync drill asked for counts; without one (an app with automated
// sync, which syncs by itself) any sync does. Ready means Synced and
// Healthy at the revision the sync applied. Failed means the sync failed
// or errored, or the app turned Degraded once no sync was running.
func assess(app *v1alpha1.Application, token string) verdict {
	op := app.Status.OperationState
	if token != "" {
		if op = ourSync(app, token); op == nil {
			return pending
		}
	}
	if op != nil {
		switch op.Phase {
		case synccommon.OperationFailed, synccommon.OperationError:
			return failed
		case synccommon.OperationRunning, synccommon.OperationTerminating:
			return pending
		}
	}
	st := app.Status
	if st.Health.Status == health.HealthStatusDegraded {
		return failed
	}
	if st.Sync.Status != v1alpha1.SyncStatusCodeSynced || st.Health.Status != health.HealthStatusHealthy {
		return pending
	}
	if op != nil && !argocd.AtSyncedRevision(app, op) {
		return pending
	}
	return ready
}

// untilReady watches the Application until assess says ready or failed, or
// ctx ends, and returns its ready state and when that was first seen.
func untilReady(ctx context.Context, apps dynamic.ResourceInterface, name, token string) (*v1alpha1.Application, time.Time, error) {
	var last *v1alpha1.Application
	var readyAt time.Time
	err := watchApp(ctx, apps, name, nil, func(ev watch.Event, u *unstructured.Unstructured) (bool, error) {
		if ev.Type == watch.Deleted {
			return false, errors.New("it was deleted while drill waited for it to be ready")
		}
		app, err := toApplication(u)
		if err != nil {
			return false, err
		}
		last = app
		switch assess(app, token) {
		case ready:
			readyAt = time.Now()
			return true, nil
		case failed:
			return false, fmt.Errorf("%s", argocd.Describe(app))
		}
		return false, nil
	})
	switch {
	case err == nil:
		return last, readyAt, nil
	case ctx.Err() != nil && last != nil:
		return nil, time.Time{}, fmt.Errorf("not Synced + Healthy: %w; last status: %s", context.Cause(ctx), argocd.Describe(last))
	case ctx.Err() != nil:
		return nil, time.Time{}, fmt.Errorf("not Synced + Healthy: %w; no status was seen", context.Cause(ctx))
	}
	return nil, time.Time{}, err
}

// untilGone watches until the Application is deleted, or ctx ends.
func untilGone(ctx context.Context, apps dynamic.ResourceInterface, namespace, name string) error {
	var last *unstructured.Unstructured
	gone := func(store cache.Store) (bool, error) {
		_, exists, err := store.GetByKey(namespace + "/" + name)
		return err == nil && !exists, err
	}
	err := watchApp(ctx, apps, name, gone, func(ev watch.Event, u *unstructured.Unstructured) (bool, error) {
		last = u
		return ev.Type == watch.Deleted, nil
	})
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("still there after its deletion: %w", context.Cause(ctx))
		if last != nil && last.GetDeletionTimestamp() != nil && len(last.GetFinalizers()) > 0 {
			err = fmt.Errorf("%w; finalizers %v remain: is Argo CD's application controller running?", err, last.GetFinalizers())
		}
	}
	return err
}

// watchApp lists and watches the one Application and hands each of its
// events to cond until cond says done, returns an error, or ctx ends.
func watchApp(ctx context.Context, apps dynamic.ResourceInterface, name string, pre watchtools.PreconditionFunc, cond func(watch.Event, *unstructured.Unstructured) (bool, error)) error {
	_, err := kube.Until(ctx, apps, &unstructured.Unstructured{}, kube.ByName(name), pre, func(ev watch.Event) (bool, error) {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			return false, nil
		}
		return cond(ev, u)
	})
	return err
}
