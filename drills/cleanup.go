package drills

import (
	"context"
	"errors"
	"sync"
)

// cleanupStack runs undo functions last-in first-out. Every function runs
// even when an earlier one failed; their errors are joined.
type cleanupStack struct {
	mu  sync.Mutex
	fns []func(context.Context) error
}

func (s *cleanupStack) push(fn func(context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fns = append(s.fns, fn)
}

// run empties the stack. ctx must not be the (possibly cancelled) run
// context: callers pass a teardown context with its own deadline.
func (s *cleanupStack) run(ctx context.Context) error {
	s.mu.Lock()
	fns := s.fns
	s.fns = nil
	s.mu.Unlock()
	var errs []error
	for i := len(fns) - 1; i >= 0; i-- {
		if err := fns[i](ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *cleanupStack) empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.fns) == 0
}
