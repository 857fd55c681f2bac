package pitr

import (
	"context"
	"fmt"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/sandbox"
)

// Recover has the sandbox start a server on the data recovery prepares,
// replaying WAL until it promotes, then proves with Prove where it
// stopped. The server has until ctx's deadline. It records the log's last
// lines and the last replayed commit in res, whatever the outcome.
func Recover(ctx context.Context, sb sandbox.Sandbox, name string, recovery sandbox.Recovery, target time.Time, database string, res *restore.Result) error {
	rec, ok := sb.(sandbox.Recoverer)
	if !ok {
		return fault.Infra(fmt.Errorf("restore %s: this sandbox cannot start a server on restored data: use sandbox local", name))
	}
	if dl, ok := ctx.Deadline(); ok {
		recovery.Timeout = time.Until(dl)
	}
	r, err := rec.Recover(ctx, name, recovery)
	if err != nil {
		return err
	}
	newest, tail, err := Prove(ctx, r, target, database)
	res.LogTail, res.NewestData = tail, newest
	return err
}
