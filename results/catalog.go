package results

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
)

// Catalog is a Store that can also say which scenarios it holds records of:
// what a report over the whole history, a listing and a copy need. Every
// store in this module is one.
type Catalog interface {
	Store
	// Scenarios names every scenario with at least one record, sorted.
	Scenarios(ctx context.Context) ([]string, error)
}

var (
	_ Catalog = DirStore{}
	_ Catalog = (*MemStore)(nil)
)

// Scenarios names the scenario directories under Dir. A Dir that does not
// exist yet holds no scenarios, which is not an error.
func (s DirStore) Scenarios(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list scenarios in %s: %w", s.Dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && checkName("scenario", e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// Scenarios names the scenarios held in memory.
func (m *MemStore) Scenarios(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.records))
	for name := range m.records {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// ReadAll reads every record of every scenario in c, each scenario's
// records oldest first, scenarios in name order. Scenarios are read at once
// (decoding thousands of records is most of a report's time).
func ReadAll(ctx context.Context, c Catalog) ([]*Record, error) {
	names, err := c.Scenarios(ctx)
	if err != nil {
		return nil, err
	}
	lists := make([][]*Record, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { lists[i], errs[i] = c.List(ctx, name) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(lists...), nil
}

// Copy saves every record of from into to, replacing records of the same
// run, and returns how many it copied. Copying twice is harmless.
func Copy(ctx context.Context, from Catalog, to Store) (int, error) {
	records, err := ReadAll(ctx, from)
	if err != nil {
		return 0, fmt.Errorf("read the records to copy: %w", err)
	}
	for i, r := range records {
		if err := to.Save(ctx, r); err != nil {
			return i, fmt.Errorf("copy run record %s/%s: %w", r.Scenario, r.RunID, err)
		}
	}
	return len(records), nil
}
