// Command drill-lab starts and stops the end-to-end test lab (a real
// Kubernetes control plane with kwok and Argo CD, see sandbox/kube/lab) in
// the background: `up` returns once the lab answers, leaving it running and
// its env file written; `down` stops every process it started, by PID, and
// removes its directory; `sweep` stops every lab one test run started.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx; a half-started lab is still
	// stopped.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "drill-lab: %v\n", err)
		os.Exit(1)
	}
}
