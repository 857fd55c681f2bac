package app

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/pgstore"
)

// defaultStore is where run records go when no --store is given.
const defaultStore = "drill-results"

const storeUsage = "where run records are kept: a directory (one JSON file per run) or a postgres:// URL (the password may come from PGPASSWORD)"

func addStoreFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "store", defaultStore, storeUsage)
}

// isDatabaseURL tells a PostgreSQL URL from a directory path.
func isDatabaseURL(spec string) bool {
	return strings.HasPrefix(spec, "postgres://") || strings.HasPrefix(spec, "postgresql://")
}

// storeName names a store for people: a URL without its password.
func storeName(spec string) string {
	if isDatabaseURL(spec) {
		return pgstore.Redact(spec)
	}
	return spec
}

// openStore opens the store spec names. Close it when done; closing a
// directory store does nothing.
func openStore(ctx context.Context, spec string) (results.Catalog, io.Closer, error) {
	if !isDatabaseURL(spec) {
		return results.DirStore{Dir: spec}, nopCloser{}, nil
	}
	s, err := pgstore.Open(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return s, pgCloser{s}, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// pgCloser ends the database connection even after Ctrl-C: the command's
// context may already be cancelled.
type pgCloser struct{ s *pgstore.Store }

func (c pgCloser) Close() error { return c.s.Close(context.Background()) }
