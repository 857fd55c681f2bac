package results

import (
	"context"
	"fmt"
	"sync"
)

// MemStore keeps records in memory, for tests. It stores each record's JSON,
// so a caller changing a record after Save does not change the stored one,
// and the encoding is exercised just as with DirStore. The zero value is
// ready to use.
type MemStore struct {
	mu      sync.Mutex
	records map[string]map[string][]byte // scenario → run id → JSON
}

var _ Store = (*MemStore)(nil)

// Save stores a copy of r, replacing an earlier one of the same run.
func (m *MemStore) Save(ctx context.Context, r *Record) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save run record: %w", err)
	}
	c, err := stamped(r)
	if err != nil {
		return err
	}
	data, err := encodeJSON(c)
	if err != nil {
		return fmt.Errorf("encode run record %s/%s: %w", c.Scenario, c.RunID, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.records == nil {
		m.records = map[string]map[string][]byte{}
	}
	if m.records[c.Scenario] == nil {
		m.records[c.Scenario] = map[string][]byte{}
	}
	m.records[c.Scenario][c.RunID] = data
	return nil
}

// Load returns a copy of one stored record.
func (m *MemStore) Load(ctx context.Context, scenario, runID string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load run record: %w", err)
	}
	m.mu.Lock()
	data, ok := m.records[scenario][runID]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: no run %s of scenario %s in memory", ErrNotFound, runID, scenario)
	}
	return decodeRecord(data)
}

// List returns copies of a scenario's records, ordered by start time.
func (m *MemStore) List(ctx context.Context, scenario string) ([]*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list run records: %w", err)
	}
	m.mu.Lock()
	stored := make([][]byte, 0, len(m.records[scenario]))
	for _, data := range m.records[scenario] {
		stored = append(stored, data)
	}
	m.mu.Unlock()
	var records []*Record
	for _, data := range stored {
		r, err := decodeRecord(data)
		if err != nil {
			return nil, err
		}
		records = append(records, r)
	}
	sortByStart(records)
	return records, nil
}
