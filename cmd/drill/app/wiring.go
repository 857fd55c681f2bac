package app

import (
	"fmt"
	"io"
	"strings"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/restore/barman"
	"github.com/restore-drill/drill/drills/restore/cnpg"
	"github.com/restore-drill/drill/drills/restore/etcd"
	"github.com/restore-drill/drill/drills/restore/job"
	"github.com/restore-drill/drill/drills/restore/pgbackrest"
	"github.com/restore-drill/drill/drills/restore/postgres"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/local"
	"github.com/restore-drill/drill/scenarios"
)

// sandboxFor picks the provider of the scenario's sandbox kind.
func sandboxFor(sc *scenarios.Scenario, f *clusterFlags, log io.Writer) (sandbox.Provider, error) {
	switch sc.Sandbox.Kind {
	case scenarios.SandboxLocal:
		return local.NewProvider(local.Options{BinDir: sc.Sandbox.Local.BinDir, Log: indented{w: log, prefix: "    "}}), nil
	case scenarios.SandboxNamespace:
		return namespaceProvider(sc, f, indented{w: log, prefix: "    "})
	case scenarios.SandboxKind:
		return kindProvider(sc, indented{w: log, prefix: "    "}), nil
	case scenarios.SandboxCluster:
		return clusterProvider(sc, f, indented{w: log, prefix: "    "})
	}
	return nil, usageError{fmt.Errorf("scenario %s: sandbox kind %q is not supported by this drill", sc.Name, sc.Sandbox.Kind)}
}

// methodFor builds the restore method of one restore.
func methodFor(r scenarios.Restore) (restore.Method, error) {
	switch {
	case r.Postgres != nil:
		return postgres.New(r.Name, r.Postgres), nil
	case r.Barman != nil:
		return barman.New(r.Name, r.Barman, r.Source), nil
	case r.PgBackRest != nil:
		return pgbackrest.New(r.Name, r.PgBackRest, r.Source), nil
	case r.Job != nil:
		return job.New(r.Name, *r.Job, job.Options{}), nil
	case r.Etcd != nil:
		return etcd.New(r.Name, r.Etcd, etcd.Options{}), nil
	case r.CNPG != nil:
		return cnpg.New(r.Name, r.CNPG, r.Source, cnpg.Options{}), nil
	}
	return nil, fmt.Errorf("restore %s: no restore method set", r.Name)
}

// describeSandbox says, without creating anything, what the sandbox would be.
func describeSandbox(sc *scenarios.Scenario) (string, error) {
	switch sc.Sandbox.Kind {
	case scenarios.SandboxLocal:
		bins, err := local.FindBinaries(sc.Sandbox.Local.BinDir)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("a throwaway PostgreSQL %s server from %s on a free port of 127.0.0.1", bins.Version, bins.Dir), nil
	case scenarios.SandboxNamespace:
		ns := sc.Sandbox.Namespace
		return fmt.Sprintf("a new namespace %s-%s-<run> in the cluster of --kubeconfig/--context, removed at teardown (expires after %s)", ns.Prefix, sc.Name, results.FormatDuration(ns.TTL)), nil
	case scenarios.SandboxKind, scenarios.SandboxCluster:
		return describeKindSandbox(sc), nil
	}
	return "", fmt.Errorf("sandbox kind %q is not supported", sc.Sandbox.Kind)
}

// indented prefixes every line written to it, so a sandbox's own messages
// sit under the progress line of the step that caused them.
type indented struct {
	w      io.Writer
	prefix string
}

func (i indented) Write(p []byte) (int, error) {
	s := strings.TrimRight(string(p), "\n")
	out := i.prefix + strings.ReplaceAll(s, "\n", "\n"+i.prefix) + "\n"
	if _, err := io.WriteString(i.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}
