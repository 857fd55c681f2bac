package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/scenarios"
)

// base is a fixed point in time; entries are dated relative to it so that
// the expected pick never depends on when the test runs.
var base = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// entry is one thing to lay out in a test directory: a file (content) or a
// directory (files), dated base+age.
type entry struct {
	name    string
	content string
	files   map[string]string // set for a directory
	age     time.Duration     // added to base; negative is older
}

func layout(t *testing.T, root string, entries []entry) {
	t.Helper()
	for _, e := range entries {
		p := filepath.Join(root, e.name)
		when := base.Add(e.age)
		if e.files == nil {
			write(t, p, e.content, when)
			continue
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range e.files {
			write(t, filepath.Join(p, name), content, when)
		}
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, path, content string, when time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		path    string // relative to the temp dir; "" is the temp dir itself
		want    string // relative path of the picked artifact
		wantDir bool
		bytes   int64
		modAge  time.Duration
		noBack  bool // the error wraps ErrNoBackup
		errHas  string
	}{
		{
			name:    "a file is that file",
			entries: []entry{{name: "billing.dump", content: "abc", age: -time.Hour}, {name: "newer.dump", content: "x"}},
			path:    "billing.dump",
			want:    "billing.dump",
			bytes:   3,
			modAge:  -time.Hour,
		},
		{
			name:    "the newest file of a directory",
			entries: []entry{{name: "a.dump", content: "old", age: -2 * time.Hour}, {name: "b.dump", content: "newest", age: -time.Minute}, {name: "c.dump", content: "mid", age: -time.Hour}},
			want:    "b.dump",
			bytes:   6,
			modAge:  -time.Minute,
		},
		{
			name: "a directory archive is that directory",
			entries: []entry{
				{name: "dump", files: map[string]string{"toc.dat": "PGDMP", "3001.dat.gz": "12345"}, age: -time.Hour},
			},
			path:    "dump",
			want:    "dump",
			wantDir: true,
			bytes:   10,
			modAge:  -time.Hour,
		},
		{
			name: "a directory archive newer than the files wins",
			entries: []entry{
				{name: "old.dump", content: "x", age: -3 * time.Hour},
				{name: "2024-03-01", files: map[string]string{"toc.dat": "PGDMP", "1.dat": "ab"}, age: -time.Minute},
			},
			want:    "2024-03-01",
			wantDir: true,
			bytes:   7,
			modAge:  -time.Minute,
		},
		{
			name: "a file newer than the directory archives wins",
			entries: []entry{
				{name: "d1", files: map[string]string{"toc.dat": "PGDMP"}, age: -3 * time.Hour},
				{name: "new.sql.gz", content: "gz", age: -time.Minute},
			},
			want:   "new.sql.gz",
			bytes:  2,
			modAge: -time.Minute,
		},
		{
			name: "hidden and temporary files are ignored",
			entries: []entry{
				{name: "good.dump", content: "ok", age: -time.Hour},
				{name: ".hidden.dump", content: "h", age: time.Hour},
				{name: "next.dump.tmp", content: "t", age: time.Hour},
				{name: "next.dump.partial", content: "p", age: time.Hour},
				{name: "NEXT.DUMP.PART", content: "p", age: time.Hour},
				{name: "edit.sql~", content: "e", age: time.Hour},
			},
			want:   "good.dump",
			bytes:  2,
			modAge: -time.Hour,
		},
		{
			name: "directories that are not archives are ignored",
			entries: []entry{
				{name: "good.dump", content: "ok", age: -time.Hour},
				{name: "logs", files: map[string]string{"run.log": "newer but not an archive"}, age: time.Hour},
			},
			want:   "good.dump",
			bytes:  2,
			modAge: -time.Hour,
		},
		{
			name: "equal times pick the greatest name",
			entries: []entry{
				{name: "2024-02-29.dump", content: "a"},
				{name: "2024-03-01.dump", content: "b"},
				{name: "2024-01-31.dump", content: "c"},
			},
			want:  "2024-03-01.dump",
			bytes: 1,
		},
		{
			name:    "an empty directory has no backup",
			entries: nil,
			noBack:  true,
			errHas:  "holds no archive",
		},
		{
			name:    "only temporary files is no backup",
			entries: []entry{{name: "x.dump.tmp", content: "t"}, {name: ".x", content: "h"}},
			noBack:  true,
			errHas:  "holds no archive",
		},
		{
			name:   "a missing path is no backup",
			path:   "gone/billing.dump",
			noBack: true,
			errHas: "no backup found at ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			layout(t, root, tt.entries)
			path := filepath.Join(root, tt.path)
			got, err := Pick(context.Background(), scenarios.Source{Path: path})
			if tt.noBack || tt.errHas != "" {
				if err == nil {
					t.Fatalf("Pick(%s) = %+v, want an error", tt.path, got)
				}
				if tt.noBack != errors.Is(err, ErrNoBackup) {
					t.Errorf("errors.Is(err, ErrNoBackup) = %v, want %v (err: %v)", !tt.noBack, tt.noBack, err)
				}
				if !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), path) {
					t.Errorf("error %q should contain %q and name %s", err, tt.errHas, path)
				}
				return
			}
			if err != nil {
				t.Fatalf("Pick: %v", err)
			}
			if want := filepath.Join(root, tt.want); got.Path != want {
				t.Errorf("Path = %s, want %s", got.Path, want)
			}
			if got.IsDir != tt.wantDir {
				t.Errorf("IsDir = %v, want %v", got.IsDir, tt.wantDir)
			}
			if got.Bytes != tt.bytes {
				t.Errorf("Bytes = %d, want %d", got.Bytes, tt.bytes)
			}
			if want := base.Add(tt.modAge); !got.ModTime.Equal(want) {
				t.Errorf("ModTime = %s, want %s", got.ModTime, want)
			}
		})
	}
}

func TestPickEmptyPath(t *testing.T) {
	_, err := Pick(context.Background(), scenarios.Source{})
	if err == nil || errors.Is(err, ErrNoBackup) {
		t.Fatalf("Pick with no path: err = %v, want a configuration error that is not ErrNoBackup", err)
	}
}

func TestPickDirectoryArchiveTimeIsNewestFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dump")
	write(t, filepath.Join(dir, "toc.dat"), "PGDMP", base.Add(-time.Hour))
	write(t, filepath.Join(dir, "3001.dat.gz"), "data", base)
	// The directory's own time says nothing about its content.
	if err := os.Chtimes(dir, base.Add(-48*time.Hour), base.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := Pick(context.Background(), scenarios.Source{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !got.ModTime.Equal(base) {
		t.Errorf("ModTime = %s, want the newest file's %s", got.ModTime, base)
	}
}

func TestPickFollowsSymlinks(t *testing.T) {
	root := t.TempDir()
	store := filepath.Join(root, "store")
	write(t, filepath.Join(store, "real.dump"), "real", base)
	backups := filepath.Join(root, "backups")
	write(t, filepath.Join(backups, "old.dump"), "old", base.Add(-time.Hour))
	if err := os.Symlink(filepath.Join(store, "real.dump"), filepath.Join(backups, "latest.dump")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(store, "missing.dump"), filepath.Join(backups, "dangling.dump")); err != nil {
		t.Fatal(err)
	}
	got, err := Pick(context.Background(), scenarios.Source{Path: backups})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(backups, "latest.dump"); got.Path != want || got.Bytes != 4 {
		t.Errorf("picked %s (%d bytes), want %s (4 bytes)", got.Path, got.Bytes, want)
	}
}

func TestPickPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("skipped as root: root reads any directory, so permission errors cannot happen")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "locked")
	write(t, filepath.Join(dir, "a.dump"), "a", base)
	if err := os.Chmod(dir, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	tests := []struct{ name, path string }{
		{"the directory", dir},
		{"a file inside it", filepath.Join(dir, "a.dump")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Pick(context.Background(), scenarios.Source{Path: tt.path})
			if err == nil {
				t.Fatal("Pick succeeded on an unreadable source")
			}
			if errors.Is(err, ErrNoBackup) {
				t.Errorf("a permission error must not read as a missing backup: %v", err)
			}
			if !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("error %q should say permission denied", err)
			}
		})
	}
}

func TestPickCancelled(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "a.dump"), "a", base)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Pick(ctx, scenarios.Source{Path: root}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestPickRulesInDirectory(t *testing.T) {
	root := t.TempDir()
	now := time.Now()
	for name, age := range map[string]time.Duration{
		"billing-1.dump": 72 * time.Hour, "billing-2.dump": 30 * time.Hour,
		"billing-3.dump": 2 * time.Hour, "crm-1.dump": time.Hour,
	} {
		write(t, filepath.Join(root, name), name, now.Add(-age))
	}
	pick := func(pk scenarios.Pick) (*Artifact, error) {
		return Pick(context.Background(), scenarios.Source{Path: root, Pick: pk})
	}

	got, err := pick(scenarios.Pick{Pattern: "billing-*.dump"})
	if err != nil || filepath.Base(got.Path) != "billing-3.dump" {
		t.Errorf("newest billing-*.dump = %v, %v; want billing-3.dump", got, err)
	}
	seen := map[string]int{}
	for range 60 {
		got, err := pick(scenarios.Pick{Rule: scenarios.PickRandom, Window: 48 * time.Hour, Pattern: "billing-*"})
		if err != nil {
			t.Fatal(err)
		}
		seen[filepath.Base(got.Path)]++
	}
	if len(seen) != 2 || seen["billing-2.dump"] == 0 || seen["billing-3.dump"] == 0 {
		t.Errorf("random picks %v: want both billing dumps younger than 48h, nothing else", seen)
	}
	if _, err := pick(scenarios.Pick{Window: 30 * time.Minute}); !errors.Is(err, ErrNoBackup) || !strings.Contains(err.Error(), "younger than pick.window 30m0s") {
		t.Errorf("nothing within the window: err = %v, want ErrNoBackup saying why", err)
	}
}
