package sandbox

import (
	"context"
	"time"
)

// Recovery starts a server on a data directory that a physical restore
// fills (a base backup plus the WAL to replay), rather than on a new one.
type Recovery struct {
	// Prepare fills dataDir, an empty private directory, before the server
	// starts: the base backup, recovery.signal, and whatever the method
	// needs. The sandbox then hands the directory to the server's user.
	Prepare func(ctx context.Context, dataDir string) error
	// Settings are server settings ("name=value") that win over the
	// restored postgresql.conf: restore_command, the recovery target,
	// archive_mode=off.
	Settings []string
	// Env is added to the server's environment (restore_command's
	// credentials). Never printed.
	Env []string
	// User is a superuser of the restored data to connect as; the restored
	// cluster's own roles and passwords are all there is. Default: postgres.
	User string
	// Timeout bounds recovery, until the server accepts connections.
	Timeout time.Duration
}

// Recovered is a server started on restored data.
type Recovered struct {
	Server *PostgresServer
	// LogFile holds the server's whole log since it started, for proof of
	// where recovery stopped.
	LogFile string
}

// Recoverer is a Sandbox that can start a server on restored data. The
// server then serves the named restore (Sandbox.Postgres).
type Recoverer interface {
	Recover(ctx context.Context, restore string, r Recovery) (*Recovered, error)
}
