// Command drill-sample makes sample "production" backups for the demo and the
// benchmark: it starts a throwaway PostgreSQL server, fills a sample billing
// database, dumps it with pg_dump into a directory and removes the server.
// Progress goes to stderr; the archive's path goes to stdout.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx; teardown still runs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	interrupted := ctx.Err() != nil
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "drill-sample: %v\n", err)
	}
	os.Exit(exitCode(err, interrupted))
}
