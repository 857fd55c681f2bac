package argocd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"k8s.io/apimachinery/pkg/watch"
)

// Timings of the watch. Argo CD's server lists the Application and then
// subscribes to changes; a change between the two is not sent, so a watch
// that has been quiet for idleReopen is opened again (which sends the
// current state). The controller rewrites a syncing Application often, so
// this only matters when the last change was lost.
var (
	primeWait    = 5 * time.Second
	idleReopen   = 30 * time.Second
	reopenDelay  = time.Second
	goneRecheck  = 5 * time.Second
	maxBadReopen = 3
)

type received struct {
	ev  *v1alpha1.ApplicationWatchEvent
	err error
}

// watcher follows one Application through Argo CD's watch stream.
type watcher struct {
	apps      applicationpkg.ApplicationServiceClient
	name      string
	namespace string
	project   string
	opts      Options
	progress  io.Writer

	events <-chan received
	held   *received // an event primed took, not handled yet
	cancel context.CancelFunc
	last   *v1alpha1.Application
	// what has been reported, so that each change is said once
	health, syncingAt string
}

func (w *watcher) open(ctx context.Context) error {
	sctx, cancel := context.WithCancel(ctx)
	stream, err := w.apps.Watch(sctx, appQuery(w.name, w.namespace, w.project))
	if err != nil {
		cancel()
		return apiError(err, "watch Argo CD application "+w.name, w.opts)
	}
	ch := make(chan received)
	go func() {
		for {
			ev, err := stream.Recv()
			select {
			case ch <- received{ev, err}:
			case <-sctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	w.events, w.cancel = ch, cancel
	return nil
}

func (w *watcher) close() {
	if w.cancel != nil {
		w.cancel()
	}
}

// reopen replaces a broken or quiet stream. Three broken streams in a row
// without an event in between end the wait: Argo CD is not answering.
func (w *watcher) reopen(ctx context.Context, cause error, bad *int) error {
	w.close()
	if cause != nil {
		*bad++
		if *bad >= maxBadReopen {
			return apiError(cause, "watch Argo CD application "+w.name, w.opts)
		}
		select {
		case <-ctx.Done():
			return nil // the caller's loop reports ctx's end
		case <-time.After(reopenDelay):
		}
	}
	return w.open(ctx)
}

// primed waits (at most max) for the watch's first event, the state the
// server lists before it subscribes to changes: once it has come, the
// subscription follows at once, so a sync asked for now is seen whole.
// An app the server does not list yet sends nothing; then the wait just
// ends. The event is kept for untilReady.
func (w *watcher) primed(ctx context.Context, max time.Duration) {
	timer := time.NewTimer(max)
	defer timer.Stop()
	select {
	case r := <-w.events:
		w.held = &r
	case <-timer.C:
	case <-ctx.Done():
	}
}

// next is the event primed held, or the stream's.
func (w *watcher) next() <-chan received {
	if w.held == nil {
		return w.events
	}
	ch := make(chan received, 1)
	ch <- *w.held
	w.held = nil
	return ch
}

// untilReady follows the Application until assess says ready or failed, or
// ctx ends.
func (w *watcher) untilReady(ctx context.Context, mark syncMark) (*v1alpha1.Application, time.Time, error) {
	idle := time.NewTimer(idleReopen)
	defer idle.Stop()
	bad := 0
	for {
		select {
		case <-ctx.Done():
			return nil, time.Time{}, w.notReady(ctx.Err())
		case r := <-w.next():
			if app, readyAt, done, err := w.handle(ctx, r, mark, &bad); done {
				return app, readyAt, err
			}
			idle.Reset(idleReopen)
		case <-idle.C:
			if err := w.reopen(ctx, nil, &bad); err != nil {
				return nil, time.Time{}, err
			}
			idle.Reset(idleReopen)
		}
	}
}

// handle takes one event of untilReady; done says the wait is over.
func (w *watcher) handle(ctx context.Context, r received, mark syncMark, bad *int) (app *v1alpha1.Application, readyAt time.Time, done bool, err error) {
	if r.err != nil {
		if ctx.Err() != nil {
			return nil, time.Time{}, true, w.notReady(ctx.Err())
		}
		if err := w.reopen(ctx, r.err, bad); err != nil {
			return nil, time.Time{}, true, err
		}
		return nil, time.Time{}, false, nil
	}
	*bad = 0
	if r.ev.Type == watch.Deleted {
		return nil, time.Time{}, true, fmt.Errorf("argocd application %s was deleted while drill waited for it to be ready", w.name)
	}
	app = &r.ev.Application
	w.last = app
	w.report(app, mark)
	switch assess(app, mark) {
	case ready:
		return app, time.Now(), true, nil
	case failed:
		return nil, time.Time{}, true, fmt.Errorf("argocd application %s failed to sync: %s", w.name, Describe(app))
	}
	return nil, time.Time{}, false, nil
}

func (w *watcher) notReady(cause error) error {
	if w.last == nil {
		return fmt.Errorf("argocd application %s not Synced + Healthy: %w; no status was seen", w.name, cause)
	}
	return fmt.Errorf("argocd application %s not Synced + Healthy: %w; last status: %s", w.name, cause, Describe(w.last))
}

// report writes a line when the sync starts at a revision and when the
// app's health changes.
func (w *watcher) report(app *v1alpha1.Application, mark syncMark) {
	if op := mark.ours(app); op != nil && op.SyncResult != nil {
		if rev := ShortRevision(strings.Join(syncedRevisions(op.SyncResult), ",")); rev != "" && rev != w.syncingAt {
			w.syncingAt = rev
			fmt.Fprintf(w.progress, "argocd: %s syncing at revision %s\n", w.name, rev)
		}
	}
	if h := string(app.Status.Health.Status); h != "" && h != w.health {
		w.health = h
		fmt.Fprintf(w.progress, "argocd: %s health %s\n", w.name, h)
	}
}

// untilGone waits for the Application's deletion: a DELETED event, or a
// read that finds it gone (checked at the start and now and then, in case
// the event fell between the server's list and its subscription).
func (w *watcher) untilGone(ctx context.Context) error {
	gone, err := w.gone(ctx)
	if gone || err != nil {
		return err
	}
	tick := time.NewTicker(goneRecheck)
	defer tick.Stop()
	bad := 0
	for {
		select {
		case <-ctx.Done():
			return w.notGone(ctx.Err())
		case <-tick.C:
			if gone, err := w.gone(ctx); gone || err != nil {
				return err
			}
		case r := <-w.events:
			if r.err != nil {
				if ctx.Err() != nil {
					return w.notGone(ctx.Err())
				}
				if err := w.reopen(ctx, r.err, &bad); err != nil {
					return err
				}
				continue
			}
			bad = 0
			if r.ev.Type == watch.Deleted {
				return nil
			}
			w.last = &r.ev.Application
		}
	}
}

func (w *watcher) gone(ctx context.Context) (bool, error) {
	app, err := w.apps.Get(ctx, appQuery(w.name, w.namespace, w.project))
	switch {
	case err == nil:
		w.last = app
		return false, nil
	case isNotFound(err):
		return true, nil
	case ctx.Err() != nil:
		return false, w.notGone(ctx.Err())
	case status.Code(err) == codes.Unavailable || status.Code(err) == codes.Unauthenticated:
		return false, apiError(err, "read Argo CD application "+w.name, w.opts)
	}
	return false, nil // a passing error: the watch or the next read decides
}

func (w *watcher) notGone(cause error) error {
	err := fmt.Errorf("argocd application %s still exists after its deletion: %w", w.name, cause)
	if w.last != nil {
		err = fmt.Errorf("%w; last status: %s", err, Describe(w.last))
		if w.last.DeletionTimestamp == nil {
			err = errors.Join(err, errors.New("it was never marked for deletion"))
		}
	}
	return err
}
