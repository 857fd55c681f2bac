package namespace

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/restore-drill/drill/sandbox/kube"
)

// heartbeat renews the namespace's heartbeat annotation until stopped, so
// that drill cleanup can tell a live run's namespace from a dead one's.
type heartbeat struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	lastErr error // the latest renewal that failed, reported at stop
}

func startHeartbeat(cs kubernetes.Interface, ns string, every time.Duration, now func() time.Time) *heartbeat {
	ctx, cancel := context.WithCancel(context.Background())
	h := &heartbeat{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				err := beat(ctx, cs, ns, now())
				if ctx.Err() != nil {
					return
				}
				h.mu.Lock()
				h.lastErr = err
				h.mu.Unlock()
			}
		}
	}()
	return h
}

// beat writes at into the namespace's heartbeat annotation.
func beat(ctx context.Context, cs kubernetes.Interface, ns string, at time.Time) error {
	if err := annotate(ctx, cs, ns, kube.AnnotationHeartbeat, at); err != nil {
		return fmt.Errorf("renew the heartbeat of namespace %s: %w", ns, err)
	}
	return nil
}

// markRetained says on the namespace that its run kept it on purpose, so
// that drill cleanup leaves it until it expires or is named.
func markRetained(ctx context.Context, cs kubernetes.Interface, ns string, at time.Time) error {
	if err := annotate(ctx, cs, ns, kube.AnnotationRetained, at); err != nil {
		return fmt.Errorf("mark namespace %s as kept: %w", ns, err)
	}
	return nil
}

// annotate sets one time annotation on the namespace.
func annotate(ctx context.Context, cs kubernetes.Interface, ns, key string, at time.Time) error {
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{
		"annotations": map[string]string{key: at.UTC().Format(time.RFC3339)},
	}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = cs.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, patch, metav1.PatchOptions{})
	return err
}

// stop ends the renewals and waits for the goroutine; it returns the last
// renewal's error, if it failed. Safe to call more than once.
func (h *heartbeat) stop() error {
	if h == nil {
		return nil
	}
	h.cancel()
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastErr
}
