package pgbackrest

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/scenarios"
)

// An encrypted repository: pgbackrest is told the cipher on its command
// line and the passphrase in its environment only; a missing passphrase
// names its variable.
func TestCipher(t *testing.T) {
	m := &method{spec: &scenarios.PgBackRestRestore{Stanza: "main", CipherPassEnv: "TEST_REPO_PASS"}, repo: posixRepo{path: "/srv/repo"}}
	t.Setenv("TEST_REPO_PASS", "pass-1")
	if args := m.commonArgs(m.repo.args()); !slices.Contains(args, "--repo1-cipher-type=aes-256-cbc") || strings.Contains(strings.Join(args, " "), "pass-1") {
		t.Errorf("args = %q, want the cipher type and no passphrase", args)
	}
	env, err := m.env()
	if err != nil || !slices.Equal(env, []string{"PGBACKREST_REPO1_CIPHER_PASS=pass-1"}) {
		t.Errorf("env = %q, %v; want the passphrase", env, err)
	}
	t.Setenv("TEST_REPO_PASS", "")
	if _, err := m.env(); err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "TEST_REPO_PASS") {
		t.Errorf("err = %v, want an infrastructure error naming the variable", err)
	}
	plain := &method{spec: &scenarios.PgBackRestRestore{Stanza: "main"}, repo: posixRepo{path: "/srv/repo"}}
	if args := plain.commonArgs(nil); slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, "cipher") }) {
		t.Errorf("a plain repository's args %q name a cipher", args)
	}
}

// What pgbackrest info writes for an encrypted repository read with the
// wrong passphrase is not JSON: said so, not taken for a missing backup.
func TestBackupsNotJSON(t *testing.T) {
	if _, err := backups([]byte("\x1c\x8f garbage")); !errors.Is(err, errInfoNotJSON) {
		t.Errorf("err = %v, want errInfoNotJSON", err)
	}
}

// A stanza pgBackRest could not read (status 99, "other": what a wrong
// passphrase gives when the wrong key still leaves parsable output) is
// told apart from one that holds no backup.
func TestBackupsStanzaUnreadable(t *testing.T) {
	info := func(code int, msg string) []byte {
		return []byte(`[{"name":"main","status":{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `"},"db":[],"backup":[]}]`)
	}
	if _, err := backups(info(99, "other")); !errors.Is(err, errStanzaUnreadable) {
		t.Errorf("status 99: err = %v, want errStanzaUnreadable", err)
	}
	_, err := backups(info(2, "no valid backups"))
	if err == nil || errors.Is(err, errStanzaUnreadable) || !strings.Contains(err.Error(), "no valid backups") {
		t.Errorf("status 2: err = %v, want pgBackRest's message and not errStanzaUnreadable", err)
	}
}
