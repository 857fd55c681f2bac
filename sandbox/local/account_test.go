package local

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/fault"
)

// fakeDirInfo is a directory's mode and owner, as os.Stat would report them.
type fakeDirInfo struct {
	mode     fs.FileMode
	uid, gid uint32
}

func (f fakeDirInfo) Name() string       { return "d" }
func (f fakeDirInfo) Size() int64        { return 0 }
func (f fakeDirInfo) Mode() fs.FileMode  { return fs.ModeDir | f.mode }
func (f fakeDirInfo) ModTime() time.Time { return time.Time{} }
func (f fakeDirInfo) IsDir() bool        { return true }
func (f fakeDirInfo) Sys() any           { return &syscall.Stat_t{Uid: f.uid, Gid: f.gid} }

func TestCanSearch(t *testing.T) {
	acct := &account{name: "postgres", uid: 101, gid: 104}
	tests := []struct {
		name string
		info fakeDirInfo
		want bool
	}{
		{"world searchable", fakeDirInfo{0o755, 0, 0}, true},
		{"root private", fakeDirInfo{0o700, 0, 0}, false},
		{"owned by the account", fakeDirInfo{0o700, 101, 0}, true},
		{"owner without x", fakeDirInfo{0o655, 101, 0}, false},
		{"group of the account", fakeDirInfo{0o750, 0, 104}, true},
		{"group without x", fakeDirInfo{0o705, 0, 104}, false},
		{"sticky tmp", fakeDirInfo{0o777 | fs.ModeSticky, 0, 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acct.canSearch(tt.info); got != tt.want {
				t.Errorf("canSearch(%v uid %d gid %d) = %v, want %v", tt.info.mode, tt.info.uid, tt.info.gid, got, tt.want)
			}
		})
	}
}

func TestCheckReachable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: the check only applies when drill runs as root")
	}
	acct, err := serverAccount()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	private := t.TempDir()
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	open, err := os.MkdirTemp("", "drill-local-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(open)
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := acct.checkReachable(open); err != nil {
		t.Errorf("checkReachable(%s, mode 0755) = %v, want nil", open, err)
	}
	err = acct.checkReachable(private)
	if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "cannot enter") {
		t.Errorf("checkReachable(%s, mode 0700, owned by root) = %v, want an infra error", private, err)
	}
}

func TestNilAccountRunsAsSelf(t *testing.T) {
	var acct *account
	if acct.credential() != nil {
		t.Error("credential of the nil account is set, want nil")
	}
	if err := acct.chown(t.TempDir()); err != nil {
		t.Errorf("chown: %v", err)
	}
	if err := acct.checkReachable("/nonexistent/dir"); err != nil {
		t.Errorf("checkReachable: %v", err)
	}
}

func TestInitdbArgs(t *testing.T) {
	tests := []struct {
		major  int
		hasArg bool
	}{{13, false}, {14, true}, {17, true}}
	for _, tt := range tests {
		args := initdbArgs("/d/data", "drill", "/d/pwfile", tt.major)
		if got := slices.Contains(args, "--no-instructions"); got != tt.hasArg {
			t.Errorf("major %d: --no-instructions present = %v, want %v", tt.major, got, tt.hasArg)
		}
		for _, want := range []string{"--pwfile=/d/pwfile", "--auth=scram-sha-256", "--username=drill", "--pgdata=/d/data"} {
			if !slices.Contains(args, want) {
				t.Errorf("major %d: args %v lack %s", tt.major, args, want)
			}
		}
	}
}
