package pitr

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

// Log lines of a recovery (PostgreSQL 12 and later, lc_messages=C).
var (
	stoppingAt = regexp.MustCompile(`recovery stopping (before|after) commit of transaction \d+, time ([0-9-]+ [0-9:.]+[+-][0-9:]+)`)
	// endedEarly and friends mean the target was not reached.
	endedEarly = []string{
		"recovery ended before configured recovery target was reached",
		"requested recovery stop point is before consistent recovery point",
		"could not locate required checkpoint record",
	}
)

// Prove checks that the promoted server reached the target: it is out of
// recovery, its log holds no sign of an early end, for a time target it
// says where it stopped, and the last replayed commit is not after the
// target. It returns that commit's time and the log's last lines.
func Prove(ctx context.Context, r *sandbox.Recovered, target time.Time, database string) (*time.Time, string, error) {
	raw, err := os.ReadFile(r.LogFile)
	if err != nil {
		return nil, "", fault.Infra(fmt.Errorf("read the recovered server's log: %w", err))
	}
	log := string(raw)
	tail := LastLines(log, 20)
	for _, bad := range endedEarly {
		if strings.Contains(log, bad) {
			return nil, tail, fmt.Errorf("recovery did not reach its target: the server logged %q", bad)
		}
	}
	conn, err := pgx.Connect(ctx, r.Server.ConnString(database))
	if err != nil {
		return nil, tail, fault.Infra(fmt.Errorf("connect to the recovered server as %s: %w", r.Server.User, err))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var inRecovery bool
	var replayed *time.Time
	if err := conn.QueryRow(ctx, "select pg_is_in_recovery(), pg_last_xact_replay_timestamp()").Scan(&inRecovery, &replayed); err != nil {
		return nil, tail, fault.Infra(fmt.Errorf("ask the recovered server where it stopped: %w", err))
	}
	if inRecovery {
		return replayed, tail, fmt.Errorf("the server is still in recovery: it was not promoted")
	}
	if target.IsZero() {
		return replayed, tail, nil
	}
	m := stoppingAt.FindStringSubmatch(log)
	if m == nil {
		return replayed, tail, fmt.Errorf("the server's log does not say that recovery stopped at a commit near the target %s: it may have replayed everything it had", target.UTC().Format(time.RFC3339))
	}
	if replayed != nil && replayed.After(target) {
		return replayed, tail, fmt.Errorf("the last replayed commit (%s) is after the target %s", replayed.UTC().Format(time.RFC3339Nano), target.UTC().Format(time.RFC3339Nano))
	}
	return replayed, tail, nil
}

// LastLines is the last n lines of s, for messages.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
