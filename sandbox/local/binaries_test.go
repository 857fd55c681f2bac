package local

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out     string
		version string
		major   int
		wantErr bool
	}{
		{out: "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n", version: "15.18", major: 15},
		{out: "pg_restore (PostgreSQL) 16.4\n", version: "16.4", major: 16},
		{out: "psql (PostgreSQL) 9.6.24\n", version: "9.6.24", major: 9},
		{out: "postgres (PostgreSQL) 17beta1\n", version: "17beta1", major: 17},
		{out: "postgres (PostgreSQL) 18devel\n", version: "18devel", major: 18},
		{out: "initdb: command not found\n", wantErr: true},
		{out: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			version, major, err := ParseVersion(tt.out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseVersion(%q) error = %v, want error %v", tt.out, err, tt.wantErr)
			}
			if version != tt.version || major != tt.major {
				t.Errorf("ParseVersion(%q) = %q, %d; want %q, %d", tt.out, version, major, tt.version, tt.major)
			}
		})
	}
}

// fakeBinDir makes a directory of shell scripts that answer --version like
// the PostgreSQL programs would. versions maps program to version; programs
// not in the map are not created.
func fakeBinDir(t *testing.T, versions map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for prog, v := range versions {
		script := "#!/bin/sh\necho '" + prog + " (PostgreSQL) " + v + "'\n"
		if err := os.WriteFile(filepath.Join(dir, prog), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func allPrograms(version string) map[string]string {
	m := map[string]string{}
	for _, p := range append(append([]string{}, serverPrograms...), clientPrograms...) {
		m[p] = version
	}
	return m
}

func without(m map[string]string, prog string) map[string]string {
	c := map[string]string{}
	for k, v := range m {
		if k != prog {
			c[k] = v
		}
	}
	return c
}

func with(m map[string]string, prog, version string) map[string]string {
	c := without(m, prog)
	c[prog] = version
	return c
}

func TestFindIn(t *testing.T) {
	good16 := allPrograms("16.4")
	tests := []struct {
		name    string
		dirs    []map[string]string
		want    int    // index of the dir that should win; -1 for none
		problem string // in the error when none wins
	}{
		{name: "first complete dir wins", dirs: []map[string]string{good16, allPrograms("15.18")}, want: 0},
		{name: "skips a dir without clients", dirs: []map[string]string{without(good16, "pg_restore"), allPrograms("15.18")}, want: 1},
		{name: "skips a dir without postgres", dirs: []map[string]string{without(good16, "postgres"), allPrograms("15.18")}, want: 1},
		{name: "skips mixed majors", dirs: []map[string]string{with(good16, "psql", "15.2"), allPrograms("15.18")}, want: 1},
		{name: "same major, other minor is fine", dirs: []map[string]string{with(good16, "pg_dump", "16.1")}, want: 0},
		{name: "none usable", dirs: []map[string]string{without(good16, "pg_dump")}, want: -1, problem: "no pg_dump"},
		{name: "mixed majors named", dirs: []map[string]string{with(good16, "pg_restore", "14.1")}, want: -1, problem: "pg_restore is version 14.1 but postgres is 16.4"},
		{name: "nothing to look in", want: -1, problem: "nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dirs []string
			for _, m := range tt.dirs {
				dirs = append(dirs, fakeBinDir(t, m))
			}
			b, err := findIn(dirs)
			if tt.want < 0 {
				if err == nil {
					t.Fatalf("findIn = %+v, want an error", b)
				}
				if !errors.Is(err, ErrNoBinaries) || !fault.IsInfra(err) {
					t.Errorf("error %v: want ErrNoBinaries marked as infra", err)
				}
				for _, s := range []string{tt.problem, "apt-get install postgresql", "spec.sandbox.local.binDir"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("findIn: %v", err)
			}
			if b.Dir != dirs[tt.want] {
				t.Errorf("Dir = %s, want %s", b.Dir, dirs[tt.want])
			}
			if want := tt.dirs[tt.want]["postgres"]; b.Version != want {
				t.Errorf("Version = %s, want %s", b.Version, want)
			}
		})
	}
}

func TestFindInFollowsInitdbLink(t *testing.T) {
	real := fakeBinDir(t, allPrograms("15.18"))
	onPath := t.TempDir() // like a directory on PATH with links to some programs
	for _, prog := range []string{"initdb", "postgres"} {
		if err := os.Symlink(filepath.Join(real, prog), filepath.Join(onPath, prog)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := findIn([]string{onPath})
	if err != nil {
		t.Fatalf("findIn: %v", err)
	}
	if b.Dir != real {
		t.Errorf("Dir = %s, want the link's target directory %s", b.Dir, real)
	}
}

func TestFindBinariesLooksInBinDirFirst(t *testing.T) {
	dir := fakeBinDir(t, allPrograms("99.1"))
	b, err := FindBinaries(dir)
	if err != nil {
		t.Fatalf("FindBinaries: %v", err)
	}
	if b.Dir != dir || b.Major != 99 {
		t.Errorf("FindBinaries(%s) = %+v, want that dir, major 99", dir, b)
	}
}

func TestDebianDirs(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"9.6", "10", "16", "15", "common", "17beta"} {
		if err := os.MkdirAll(filepath.Join(root, d, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "14"), nil, 0o644); err != nil { // a file, not a dir
		t.Fatal(err)
	}
	var want []string
	for _, d := range []string{"16", "15", "10", "9.6"} {
		want = append(want, filepath.Join(root, d, "bin"))
	}
	if got := debianDirs(root); !reflect.DeepEqual(got, want) {
		t.Errorf("debianDirs = %v, want %v", got, want)
	}
	if got := debianDirs(filepath.Join(root, "missing")); got != nil {
		t.Errorf("debianDirs(missing) = %v, want nil", got)
	}
}
