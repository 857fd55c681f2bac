package drills

import (
	"context"
	"sync"
	"time"

	"github.com/restore-drill/drill/results"
)

// runState is the record of a run in progress. Restores and checks update it
// from their own goroutines, so every change goes through its lock, and every
// phase boundary is saved so that a crash leaves the latest known state.
type runState struct {
	mu      sync.Mutex
	rec     *results.Record
	start   time.Time // carries the monotonic reading that RTO is measured on
	store   results.Store
	saveErr error
}

// update applies fn to the record under the lock.
func (s *runState) update(fn func(r *results.Record)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.rec)
}

// save writes a copy of the record. The first failure is kept: a run whose
// record cannot be written has lost its evidence, which the caller reports.
func (s *runState) save(ctx context.Context) {
	if s.store == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.Save(context.WithoutCancel(ctx), s.rec); err != nil && s.saveErr == nil {
		s.saveErr = err
	}
}

// phase starts a named phase, which waited for the phases named in after,
// and returns the function that ends it.
func (s *runState) phase(name string, after ...string) func(outcome results.Outcome, message string) time.Duration {
	started := time.Now()
	var idx int
	s.update(func(r *results.Record) {
		r.Phases = append(r.Phases, results.Phase{Name: name, Start: started.UTC(), Outcome: results.Running, After: after})
		idx = len(r.Phases) - 1
	})
	return func(outcome results.Outcome, message string) time.Duration {
		ended := time.Now()
		took := ended.Sub(started)
		s.update(func(r *results.Record) {
			p := &r.Phases[idx]
			end := ended.UTC()
			p.End = &end
			p.Seconds = took.Seconds()
			p.Outcome = outcome
			p.Message = message
		})
		return took
	}
}

// since is the time elapsed from the run's start on the monotonic clock.
func (s *runState) since(t time.Time) time.Duration { return t.Sub(s.start) }

func seconds(d time.Duration) *float64 {
	v := d.Seconds()
	return &v
}
