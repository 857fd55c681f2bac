package pitr

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/sandbox"
)

// plainSandbox cannot start a server on restored data.
type plainSandbox struct{}

func (plainSandbox) Describe() string { return "plain" }
func (plainSandbox) Postgres(context.Context, string) (*sandbox.PostgresServer, error) {
	return nil, errors.New("none")
}
func (plainSandbox) Destroy(context.Context) error { return nil }

// failingRecoverer records the recovery it was asked for and fails it.
type failingRecoverer struct {
	plainSandbox
	got sandbox.Recovery
}

func (f *failingRecoverer) Recover(_ context.Context, _ string, r sandbox.Recovery) (*sandbox.Recovered, error) {
	f.got = r
	return nil, errors.New("the server died at start")
}

func TestRecoverRefusesASandboxWithoutServers(t *testing.T) {
	var res restore.Result
	err := Recover(context.Background(), plainSandbox{}, "orders", sandbox.Recovery{}, time.Time{}, "app", &res)
	if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "restore orders: this sandbox cannot start a server") {
		t.Fatalf("err = %v, want an infrastructure error naming the restore", err)
	}
}

func TestRecoverGivesTheServerTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	sb := &failingRecoverer{}
	var res restore.Result
	err := Recover(ctx, sb, "orders", sandbox.Recovery{User: "postgres"}, time.Time{}, "app", &res)
	if err == nil || err.Error() != "the server died at start" {
		t.Fatalf("err = %v, want the sandbox's own", err)
	}
	if sb.got.User != "postgres" || sb.got.Timeout < 59*time.Minute || sb.got.Timeout > time.Hour {
		t.Errorf("recovery = %+v, want the user kept and the hour left as Timeout", sb.got)
	}
	if res.LogTail != "" || res.NewestData != nil {
		t.Errorf("result = %+v, want nothing proved", res)
	}
}
