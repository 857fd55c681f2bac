package drills

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/restore-drill/drill/results"
)

// progress prints one line when a step starts, one when it ends, and a
// heartbeat while a long step runs, so a person watching a 40-minute restore
// knows it is alive. Lines go to a writer for people (stderr), never stdout.
type progress struct {
	mu        sync.Mutex
	w         io.Writer
	heartbeat time.Duration
}

var marks = map[results.Outcome]string{
	results.Passed:      "✓",
	results.Failed:      "✗",
	results.Error:       "!",
	results.Timeout:     "⏱",
	results.Interrupted: "⏹",
	results.Skipped:     "-",
}

func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// start announces a step and returns the function that ends it.
func (p *progress) start(step, detail string) func(outcome results.Outcome, took time.Duration, detail string) {
	if detail != "" {
		p.printf("  → %s: %s", step, detail)
	} else {
		p.printf("  → %s", step)
	}
	started := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(p.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.printf("  … %s: still running (%s)", step, results.FormatDuration(time.Since(started)))
			}
		}
	}()
	return func(outcome results.Outcome, took time.Duration, detail string) {
		close(stop)
		wg.Wait()
		line := fmt.Sprintf("  %s %s  %s", marks[outcome], step, results.FormatDuration(took))
		if detail != "" {
			line += "  " + detail
		}
		p.printf("%s", line)
	}
}
