package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// initdbArgs are initdb's arguments for a throwaway cluster: password
// authentication for every connection, UTF-8 and the C locale (the same
// result on every machine), and no fsync, since the data is thrown away.
func initdbArgs(dataDir, superuser, pwfile string, major int) []string {
	args := []string{
		"--pgdata=" + dataDir,
		"--username=" + superuser,
		"--pwfile=" + pwfile,
		"--auth=scram-sha-256",
		"--encoding=UTF8",
		"--locale=C",
		"--no-sync",
	}
	if major >= 14 {
		args = append(args, "--no-instructions")
	}
	return args
}

// runInitdb creates the cluster in dir/data. The password reaches initdb
// through a file readable only by the server's user, never a command line,
// and the file is removed as soon as initdb is done.
func runInitdb(ctx context.Context, bins *Binaries, acct *account, dir, superuser, password string) (dataDir string, err error) {
	dataDir = filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write the password file for initdb: %w", err)
	}
	defer os.Remove(pwfile)
	if err := acct.chown(pwfile); err != nil {
		return "", err
	}

	out := newLogTail("")
	cmd := serverCommand(exec.CommandContext(ctx, bins.Path("initdb"), initdbArgs(dataDir, superuser, pwfile, bins.Major)...),
		acct, dir, syscall.SIGKILL)
	cmd.Stdout, cmd.Stderr = out, out
	// initdb runs postgres in single-user mode as its child: on cancel, kill
	// the whole group so that nothing still writes into the directory that
	// the caller is about to remove.
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid, syscall.SIGKILL) }
	if err := runOnOwnThread(cmd); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("initdb in %s interrupted: %w", dir, ctx.Err())
		}
		return "", fmt.Errorf("initdb in %s as %s failed: %w; its last output:\n%s", dir, acct, err, out)
	}
	return dataDir, nil
}
