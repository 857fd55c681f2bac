package local

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/restore-drill/drill/drills/fault"
)

// account is the unprivileged user that initdb and postgres run as when drill
// runs as root, because PostgreSQL refuses to run as root. A nil *account
// means "run as drill's own user".
type account struct {
	name     string
	uid, gid uint32
}

// serverUsers are tried in order when drill runs as root.
var serverUsers = []string{"postgres", "nobody"}

// serverAccount picks the user the server runs as: nil unless euid is 0.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range serverUsers {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fault.Infra(errors.New("drill runs as root, which PostgreSQL refuses, and neither a postgres nor a nobody user exists to run the server as: " +
		"create a postgres system user (installing the postgresql package does) or run drill as an unprivileged user"))
}

// String names the account for people.
func (a *account) String() string {
	if a == nil {
		return "the current user"
	}
	return "user " + a.name
}

// credential is what exec needs to run a program as the account; nil runs
// it as drill's own user. Supplementary groups are dropped.
func (a *account) credential() *syscall.Credential {
	if a == nil {
		return nil
	}
	return &syscall.Credential{Uid: a.uid, Gid: a.gid}
}

// chown gives path to the account; a no-op for drill's own user.
func (a *account) chown(path string) error {
	if a == nil {
		return nil
	}
	if err := os.Chown(path, int(a.uid), int(a.gid)); err != nil {
		return fmt.Errorf("give %s to %s: %w", path, a, err)
	}
	return nil
}

// checkReachable fails when the account cannot enter dir or one of its
// parents: initdb would fail later with a less helpful message.
func (a *account) checkReachable(dir string) error {
	if a == nil {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for d := abs; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("check temp dir %s: %w", d, err)
		}
		if !a.canSearch(st) {
			return fault.Infra(fmt.Errorf("the sandbox's server runs as %s, who cannot enter %s (mode %v): "+
				"use a temp dir that every user can reach, such as /tmp", a, d, st.Mode().Perm()))
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// canSearch reports whether the account may enter a directory with this
// mode and owner. Only the primary group counts: supplementary groups are
// dropped when the server starts.
func (a *account) canSearch(st os.FileInfo) bool {
	perm := st.Mode().Perm()
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return perm&0o001 != 0
	}
	switch {
	case sys.Uid == a.uid:
		return perm&0o100 != 0
	case sys.Gid == a.gid:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
