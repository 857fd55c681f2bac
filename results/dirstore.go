package results

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// recordExt ends every record file's name; temporary files never end in it.
const recordExt = ".json"

// DirStore keeps one JSON file per run at <Dir>/<scenario>/<runId>.json.
//
// Every write goes to a temporary file in the same directory, is synced, and
// is renamed over the old record, so a crash leaves either the old record or
// the new one, never half of one.
type DirStore struct {
	Dir string
}

var _ Store = DirStore{}

// Save writes r atomically, creating the directories it needs.
func (s DirStore) Save(ctx context.Context, r *Record) error {
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
	dir := filepath.Join(s.Dir, c.Scenario)
	if err := makeDir(dir); err != nil {
		return fmt.Errorf("save run record %s/%s: %w", c.Scenario, c.RunID, err)
	}
	if err := writeFileAtomic(dir, c.RunID+recordExt, data); err != nil {
		return fmt.Errorf("save run record %s/%s: %w", c.Scenario, c.RunID, err)
	}
	return nil
}

// Load reads one record and refuses a format it does not know.
func (s DirStore) Load(ctx context.Context, scenario, runID string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load run record: %w", err)
	}
	if err := checkName("scenario", scenario); err != nil {
		return nil, err
	}
	if err := checkName("run id", runID); err != nil {
		return nil, err
	}
	path := filepath.Join(s.Dir, scenario, runID+recordExt)
	r, err := readRecordFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no run %s of scenario %s in %s", ErrNotFound, runID, scenario, s.Dir)
	}
	if err != nil {
		return nil, err
	}
	if r.Scenario != scenario || r.RunID != runID {
		return nil, fmt.Errorf("run record %s holds run %s of scenario %s, not what its name says; move it back or delete it",
			path, r.RunID, r.Scenario)
	}
	return r, nil
}

// List reads every record of a scenario, ordered by start time. Files that
// are not records (left-over temporary files, other names) are ignored.
func (s DirStore) List(ctx context.Context, scenario string) ([]*Record, error) {
	if err := checkName("scenario", scenario); err != nil {
		return nil, err
	}
	dir := filepath.Join(s.Dir, scenario)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list run records of scenario %s: %w", scenario, err)
	}
	var records []*Record
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("list run records of scenario %s: %w", scenario, err)
		}
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, recordExt) {
			continue
		}
		r, err := readRecordFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		records = append(records, r)
	}
	sortByStart(records)
	return records, nil
}

func readRecordFile(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read run record: %w", err)
	}
	r, err := decodeRecord(data)
	if err != nil {
		return nil, fmt.Errorf("run record %s: %w", path, err)
	}
	return r, nil
}

// makeDir creates dir and, when it was new, syncs its parent so that the new
// directory entry survives a crash too.
func makeDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// writeFileAtomic replaces dir/name with data: temporary file, fsync, rename,
// fsync of the directory. The temporary file starts with a dot and does not
// end in recordExt, so List never mistakes it for a record.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
