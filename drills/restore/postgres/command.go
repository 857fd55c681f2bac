package postgres

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/restore-drill/drill/sandbox"
)

// pgRestoreArgs restores into database with pg_restore. It stops at the
// first error, so that the failure shown is the cause and not its echoes,
// and never asks for a password.
func pgRestoreArgs(archive, database string, jobs int, keepOwners bool) []string {
	args := []string{"--exit-on-error", "--no-password", "--jobs", strconv.Itoa(jobs)}
	if !keepOwners {
		args = append(args, "--no-owner", "--no-privileges")
	}
	return append(args, "--dbname", conninfoDatabase(database), argPath(archive))
}

// psqlArgs runs a plain dump through psql: stop at the first error, no
// ~/.psqlrc, no chatter, never a password prompt. The database comes from
// the environment. An empty file reads the script from stdin.
func psqlArgs(file string) []string {
	args := []string{"-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"}
	if file != "" {
		args = append(args, "-f", argPath(file))
	}
	return args
}

// conninfoDatabase names a database as a libpq connection string, so that
// a name with "=" in it is not taken for one.
func conninfoDatabase(name string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "dbname='" + r.Replace(name) + "'"
}

// argPath keeps a path that starts with "-" from reading as an option.
func argPath(p string) string {
	if strings.HasPrefix(p, "-") {
		return "." + string(filepath.Separator) + p
	}
	return p
}

// toolBin is where a client program is run from: the server's BinDir when
// it has one, PATH otherwise.
func toolBin(srv *sandbox.PostgresServer, name string) string {
	if srv.BinDir == "" {
		return name
	}
	return filepath.Join(srv.BinDir, name)
}
