package cluster

import (
	"context"
	"time"
)

// Re-reads of what offers no watch start soon (an app that is nearly up
// answers within a second) and slow down so as not to hammer it.
const (
	firstRetry = 250 * time.Millisecond
	maxRetry   = 2 * time.Second
)

// backoff spaces the re-reads of something that offers no watch.
type backoff struct{ next time.Duration }

// wait sleeps before the next attempt; false when ctx ended first.
func (b *backoff) wait(ctx context.Context) bool {
	if b.next == 0 {
		b.next = firstRetry
	}
	t := time.NewTimer(b.next)
	defer t.Stop()
	b.next = min(2*b.next, maxRetry)
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
