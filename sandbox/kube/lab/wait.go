package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// waitReady polls ready until it succeeds. It fails at once, with the end of
// the program's log, when the program named name has exited: a program that
// could not bind its port or read its flags says why there.
func (l *Lab) waitReady(ctx context.Context, name string, ready func(context.Context) error) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		if last = ready(ctx); last == nil {
			return nil
		}
		if !l.running(name) {
			return fmt.Errorf("%s exited while starting; the end of its log:\n%s", name, l.logTail(name))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w (last: %v); the end of its log:\n%s", name, ctx.Err(), last, l.logTail(name))
		case <-tick.C:
		}
	}
}

// running reports whether the program recorded as name still runs.
func (l *Lab) running(name string) bool {
	b, err := os.ReadFile(filepath.Join(l.Dir, pidsDir, name))
	if err != nil {
		return false
	}
	pid, ok := recordedPID(string(b))
	return ok && alive(pid)
}
