package drills

import (
	"io"
	"log/slog"
	"time"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// Options are what a run needs besides its scenario. Every dependency is
// passed in, so tests can put a fake at a process boundary.
type Options struct {
	// RunID names the run; empty means a new one (NewRunID).
	RunID string
	// Sandbox creates the throwaway place.
	Sandbox sandbox.Provider
	// SandboxKind is recorded ("local").
	SandboxKind string
	// Methods builds the restore method of each restore.
	Methods func(r scenarios.Restore) (restore.Method, error)
	// Checks builds each check that reads a restored database (sql, rpo,
	// command with restore).
	Checks func(c scenarios.Check) (assertions.Check, error)
	// ClusterChecks builds each check that reads a cluster sandbox
	// (workload, argocd, http, exists, command with pod). Nil when the
	// scenario has none.
	ClusterChecks func(c scenarios.Check) (assertions.ClusterCheck, error)
	// Apps builds the deployer of each app. Nil when the scenario has none.
	Apps func(a scenarios.App) (gitops.Deployer, error)
	// Platform builds the bootstrap of a full-cluster rebuild (Argo CD,
	// repositories, a root app-of-apps). Nil when the scenario has none.
	Platform func(b *scenarios.Bootstrap) (gitops.Platform, error)
	// Retain keeps a run that did not pass for debugging: its apps stay and
	// a sandbox that is a sandbox.Keeper is kept rather than destroyed.
	Retain bool
	// DiagnosticsDir, when set, is where a cluster sandbox's diagnostics go
	// when a run does not pass: DIR/RUN_ID/..., recorded relative to DIR.
	DiagnosticsDir string
	// Store receives the record at the start, at each phase and at the end.
	// Nil keeps the record in memory only.
	Store results.Store
	// Progress receives one line per step for people. Nil discards.
	Progress io.Writer
	// ToolLog receives the restore tools' own output. Nil discards.
	ToolLog io.Writer
	// Logger is for diagnostics. Nil discards.
	Logger *slog.Logger
	// Timeout overrides the scenario's whole-run timeout when positive.
	Timeout time.Duration
	// TeardownTimeout bounds teardown, which runs even after Ctrl-C.
	// Defaults to 2 minutes.
	TeardownTimeout time.Duration
	// Heartbeat is how often a long step says it is still running.
	// Defaults to 30 seconds.
	Heartbeat time.Duration
	// DrillVersion and Host are recorded.
	DrillVersion string
	Host         string
}

func (o *Options) defaults() {
	if o.TeardownTimeout <= 0 {
		o.TeardownTimeout = 2 * time.Minute
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 30 * time.Second
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.ToolLog == nil {
		o.ToolLog = io.Discard
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}
