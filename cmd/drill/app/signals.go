package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interrupted is the cause of a context cancelled by a signal.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return fmt.Sprintf("interrupted by %s", i.sig) }

// signalContext returns a context cancelled by the first SIGINT or SIGTERM.
// Later signals do not kill drill: teardown is running under its own
// deadline, and cutting it short would leave the sandbox behind.
func signalContext(parent context.Context, errOut io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				if first {
					fmt.Fprintf(errOut, "\ndrill: %s received: stopping and tearing down the sandbox\n", sig)
					cancel(interrupted{sig})
					first = false
					continue
				}
				fmt.Fprintf(errOut, "drill: still tearing down, so that nothing is left behind; please wait\n")
			}
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
