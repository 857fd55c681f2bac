package local

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

var _ sandbox.Prober = (*Provider)(nil)

// Probe finds the PostgreSQL programs a sandbox would run and the space free
// where its directory would go. Errors are marked with fault.Infra.
func (p *Provider) Probe(ctx context.Context) (sandbox.Capacity, error) {
	if err := ctx.Err(); err != nil {
		return sandbox.Capacity{}, err
	}
	bins, err := p.Binaries()
	if err != nil {
		return sandbox.Capacity{}, fault.Infra(err)
	}
	dir := p.opts.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	c := sandbox.Capacity{PostgresVersion: bins.Version, PostgresMajor: bins.Major, Dir: dir, FreeBytes: -1}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return c, fault.Infra(fmt.Errorf("free space in %s: %w: set TMPDIR to a directory that exists", dir, err))
	}
	c.FreeBytes = int64(st.Bavail) * int64(st.Bsize)
	return c, nil
}
