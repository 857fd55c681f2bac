package local

import (
	"context"
	"errors"
	"testing"
)

func TestProbe(t *testing.T) {
	p := NewProvider(Options{TempDir: t.TempDir()})
	if _, err := p.Binaries(); errors.Is(err, ErrNoBinaries) {
		t.Skipf("skipping: %v", err)
	}
	c, err := p.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.PostgresMajor < 9 || c.PostgresVersion == "" || c.FreeBytes <= 0 {
		t.Errorf("Probe = %+v: want a PostgreSQL version and free space", c)
	}
	if _, err := NewProvider(Options{TempDir: "/nonexistent/drill"}).Probe(context.Background()); err == nil {
		t.Error("Probe of a missing directory succeeded")
	}
}
