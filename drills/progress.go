package drills

import (
	"fmt"
	"io"
	"strings"
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

// under is a writer whose every line is printed with prefix, so that what
// a step's own machinery says sits under the step's line.
func (p *progress) under(prefix string) io.Writer {
	return lineWriter(func(line string) { p.printf("%s%s", prefix, line) })
}

type lineWriter func(string)

func (f lineWriter) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f(line)
	}
	return len(b), nil
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
