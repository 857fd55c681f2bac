package bootstrap

import (
	"slices"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
)

// event is one call a Platform made on its Events.
type event struct {
	what string // begin, end
	step gitops.Step
	res  gitops.Result
	err  error
	at   time.Time
}

// recorder keeps what a Platform told its Events, in order.
type recorder struct {
	mu       sync.Mutex
	children []gitops.Step
	calls    int // Children calls
	events   []event
}

func (r *recorder) Children(c []gitops.Step) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.children = slices.Clone(c)
}

func (r *recorder) Begin(s gitops.Step) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{what: "begin", step: s, at: time.Now()})
}

func (r *recorder) End(s gitops.Step, res gitops.Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{what: "end", step: s, res: res, err: err, at: time.Now()})
}

// find is the first event of what for the named step.
func (r *recorder) find(what, step string) (event, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e.what == what && e.step.Name == step {
			return e, true
		}
	}
	return event{}, false
}

// index is the position of the first event of what for step, -1 if none.
func (r *recorder) index(what, step string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.IndexFunc(r.events, func(e event) bool { return e.what == what && e.step.Name == step })
}
