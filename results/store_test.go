package results

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// stores returns a fresh instance of every Store, so each behaviour below is
// checked for all of them.
func stores(t *testing.T) map[string]Store {
	return map[string]Store{
		"dir": DirStore{Dir: filepath.Join(t.TempDir(), "records")},
		"mem": &MemStore{},
	}
}

func TestStoreSaveLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			want := failedRecord()
			if err := s.Save(ctx, want); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, err := s.Load(ctx, want.Scenario, want.RunID)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Load returned a different record\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestStoreSaveReplaces(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			r := passedRecord()
			r.Outcome = Running
			r.FinishedAt = nil
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			r.Outcome = Passed
			r.FinishedAt = ptr(r.StartedAt.Add(time.Minute))
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx, r.Scenario, r.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Passed || got.FinishedAt == nil {
				t.Errorf("after the second Save, Load gives outcome %q finishedAt %v; want the second record", got.Outcome, got.FinishedAt)
			}
			list, err := s.List(ctx, r.Scenario)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Errorf("List has %d records after saving one run twice, want 1", len(list))
			}
		})
	}
}

func TestStoreSaveDoesNotKeepCallersRecord(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			r := passedRecord()
			r.APIVersion, r.Kind = "", ""
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			if r.APIVersion != "" || r.Kind != "" {
				t.Errorf("Save changed the caller's record: apiVersion %q kind %q", r.APIVersion, r.Kind)
			}
			r.Checks[0].Observed = "changed after save"
			got, err := s.Load(ctx, r.Scenario, r.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if got.APIVersion != APIVersion || got.Kind != Kind {
				t.Errorf("stored record has apiVersion %q kind %q, want them filled in", got.APIVersion, got.Kind)
			}
			if got.Checks[0].Observed != "1043" {
				t.Errorf("stored record follows later changes of the caller's: observed %q", got.Checks[0].Observed)
			}
		})
	}
}

func TestStoreListOrder(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Saved out of order, with run ids that sort differently from the
	// start times and two runs that started at the same instant.
	runs := []struct {
		id    string
		start time.Time
	}{
		{"c", base.Add(2 * time.Hour)},
		{"a", base.Add(3 * time.Hour)},
		{"z", base},
		{"b", base.Add(2 * time.Hour)},
	}
	want := []string{"z", "b", "c", "a"}
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, run := range runs {
				r := passedRecord()
				r.RunID, r.StartedAt = run.id, run.start
				if err := s.Save(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			other := passedRecord()
			other.Scenario = "other"
			if err := s.Save(ctx, other); err != nil {
				t.Fatal(err)
			}
			list, err := s.List(ctx, "orders-db")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range list {
				got = append(got, r.RunID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("List order = %v, want %v", got, want)
			}
		})
	}
}

func TestStoreMissing(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Load(ctx, "orders-db", "nope"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Load of a missing run: err = %v, want ErrNotFound", err)
			}
			list, err := s.List(ctx, "never-ran")
			if err != nil || len(list) != 0 {
				t.Errorf("List of an unknown scenario = %d records, err %v; want none and no error", len(list), err)
			}
		})
	}
}

func TestStoreSaveRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(r *Record)
		want   string
	}{
		{"other apiVersion", func(r *Record) { r.APIVersion = "restore-drill.io/v9" }, "apiVersion"},
		{"no scenario", func(r *Record) { r.Scenario = "" }, "no scenario"},
		{"no run id", func(r *Record) { r.RunID = "" }, "no run id"},
		{"scenario with slash", func(r *Record) { r.Scenario = "../etc" }, "cannot name a file"},
		{"run id dot dot", func(r *Record) { r.RunID = ".." }, "cannot name a file"},
		{"hidden run id", func(r *Record) { r.RunID = ".tmp" }, "cannot name a file"},
	}
	for name, s := range stores(t) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				r := passedRecord()
				tt.change(r)
				err := s.Save(ctx, r)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Save: err = %v, want one that mentions %q", err, tt.want)
				}
			})
		}
	}
}

func TestStoreHonoursCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.Save(ctx, passedRecord()); !errors.Is(err, context.Canceled) {
				t.Errorf("Save with a cancelled context: err = %v, want context.Canceled", err)
			}
		})
	}
}

func TestDirStoreLayoutAndNoTempLeft(t *testing.T) {
	ctx := context.Background()
	s := DirStore{Dir: t.TempDir()}
	r := passedRecord()
	for range 2 {
		if err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(s.Dir, r.Scenario))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{r.RunID + ".json"}; !reflect.DeepEqual(names, want) {
		t.Errorf("scenario directory holds %v, want only %v", names, want)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, r.Scenario, r.RunID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := encodeJSON(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(want) {
		t.Errorf("record file is not the record's JSON:\n%s", data)
	}
}

// A save that cannot complete must leave the old record and no temporary
// file behind.
func TestDirStoreFailedSaveKeepsOldRecord(t *testing.T) {
	ctx := context.Background()
	s := DirStore{Dir: t.TempDir()}
	r := passedRecord()
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	// A non-empty directory where the next run's file should go makes the
	// final rename fail after the temporary file was written.
	blocked := passedRecord()
	blocked.RunID = "blocked"
	dir := filepath.Join(s.Dir, r.Scenario)
	if err := os.MkdirAll(filepath.Join(dir, "blocked.json", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, blocked); err == nil {
		t.Fatal("Save over a directory succeeded, want an error")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("failed Save left %s behind", e.Name())
		}
	}
	if _, err := s.Load(ctx, r.Scenario, r.RunID); err != nil {
		t.Errorf("the earlier record is no longer readable: %v", err)
	}
}

func TestDirStoreListIgnoresLeftovers(t *testing.T) {
	ctx := context.Background()
	s := DirStore{Dir: t.TempDir()}
	r := passedRecord()
	if err := s.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Dir, r.Scenario)
	leftovers := map[string]string{
		// What a crash between write and rename leaves: half a record.
		"." + r.RunID + ".json.tmp-123456": `{"apiVersion": "restore-drill.io/v1alpha1", "runId": "half`,
		"notes.txt":                        "not a record",
		".hidden.json":                     `{"apiVersion": "restore-drill.io/v1alpha1"`,
	}
	for name, content := range leftovers {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, r.Scenario)
	if err != nil {
		t.Fatalf("List with leftover files: %v", err)
	}
	if len(list) != 1 || list[0].RunID != r.RunID {
		t.Errorf("List = %d records, want only run %s", len(list), r.RunID)
	}
}

func TestDirStoreRefusesUnknownRecords(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		content string
		want    error
		wantMsg string
	}{
		{"newer apiVersion", `{"apiVersion": "restore-drill.io/v2", "kind": "RunRecord", "runId": "r1", "scenario": "orders-db"}`, ErrUnknownAPIVersion, "v2"},
		{"no apiVersion", `{"kind": "RunRecord", "runId": "r1", "scenario": "orders-db"}`, ErrUnknownAPIVersion, "apiVersion"},
		{"other kind", `{"apiVersion": "restore-drill.io/v1alpha1", "kind": "Scenario", "runId": "r1", "scenario": "orders-db"}`, ErrUnknownAPIVersion, "Scenario"},
		{"not JSON", `apiVersion: restore-drill.io/v1alpha1`, nil, "not a run record"},
		{"wrong type", `{"apiVersion": "restore-drill.io/v1alpha1", "kind": "RunRecord", "runId": "r1", "scenario": "orders-db", "rtoSeconds": "fast"}`, nil, "decode run record"},
		{"other run inside", `{"apiVersion": "restore-drill.io/v1alpha1", "kind": "RunRecord", "runId": "r2", "scenario": "orders-db"}`, nil, "not what its name says"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DirStore{Dir: t.TempDir()}
			dir := filepath.Join(s.Dir, "orders-db")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "r1.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(ctx, "orders-db", "r1")
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Load: err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), path) {
				t.Errorf("Load: err = %q, want it to name %s and mention %q", err, path, tt.wantMsg)
			}
		})
	}
}

func TestDirStoreListRefusesUnknownAPIVersion(t *testing.T) {
	ctx := context.Background()
	s := DirStore{Dir: t.TempDir()}
	if err := s.Save(ctx, passedRecord()); err != nil {
		t.Fatal(err)
	}
	newer := `{"apiVersion": "restore-drill.io/v2", "kind": "RunRecord", "runId": "n", "scenario": "orders-db"}`
	if err := os.WriteFile(filepath.Join(s.Dir, "orders-db", "n.json"), []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(ctx, "orders-db"); !errors.Is(err, ErrUnknownAPIVersion) {
		t.Errorf("List with a record of a newer apiVersion: err = %v, want ErrUnknownAPIVersion", err)
	}
}
