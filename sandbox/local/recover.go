package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

// defaultRecoveryTimeout bounds a recovery whose caller set no timeout.
const defaultRecoveryTimeout = 30 * time.Minute

// trustLocal is the client authentication of a recovered server: the
// restored roles keep production's passwords, which drill does not have,
// and the server only listens on 127.0.0.1 in a private directory.
const trustLocal = "local all all trust\nhost all all 127.0.0.1/32 trust\n"

var _ sandbox.Recoverer = (*localSandbox)(nil)

type recoveredServer struct {
	server *server
	info   sandbox.PostgresServer
}

// Recover fills a new data directory with r.Prepare and starts a server
// on it, waiting until it accepts connections: for a server in recovery,
// only once recovery has ended and it has been promoted.
func (s *localSandbox) Recover(ctx context.Context, restore string, r sandbox.Recovery) (*sandbox.Recovered, error) {
	dataDir := filepath.Join(s.dir, "recovered-"+restore)
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		return nil, fault.Infra(fmt.Errorf("make the data directory for restore %s: %w", restore, err))
	}
	if err := r.Prepare(ctx, dataDir); err != nil {
		return nil, err
	}
	// A copied postmaster.pid would make postgres believe a server runs.
	if err := os.Remove(filepath.Join(dataDir, "postmaster.pid")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fault.Infra(err)
	}
	hba := filepath.Join(s.dir, "recovered-"+restore+".hba.conf")
	if err := os.WriteFile(hba, []byte(trustLocal), 0o600); err != nil {
		return nil, fault.Infra(err)
	}
	for _, p := range []string{hba, dataDir} {
		if err := s.chownAll(p); err != nil {
			return nil, fault.Infra(err)
		}
	}
	logFile := filepath.Join(s.dir, "recovered-"+restore+".log")
	lf, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fault.Infra(err)
	}
	defer lf.Close()
	socketDir := ""
	if s.socket {
		socketDir = s.dir
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = defaultRecoveryTimeout
	}
	settings := append([]string{"hba_file=" + hba, "ssl=off", "archive_mode=off"}, r.Settings...)
	srv, err := s.provider.startWithFreePort(ctx, s.bins, s.acct, dataDir, socketDir, timeout, serverExtra{settings: settings, env: r.Env, log: lf})
	if err != nil {
		if ctx.Err() == nil {
			err = fault.Infra(err)
		}
		return nil, fmt.Errorf("start the recovered server of restore %s: %w", restore, err)
	}
	user := r.User
	if user == "" {
		user = "postgres"
	}
	rs := &recoveredServer{server: srv, info: sandbox.PostgresServer{
		Host: "127.0.0.1", Port: srv.port, User: user, Version: s.info.Version, Major: s.info.Major, BinDir: s.info.BinDir,
	}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recovered == nil {
		s.recovered = map[string]*recoveredServer{}
	}
	s.recovered[restore] = rs
	info := rs.info
	return &sandbox.Recovered{Server: &info, LogFile: logFile}, nil
}

// chownAll gives path and everything under it to the server's account.
func (s *localSandbox) chownAll(path string) error {
	if s.acct == nil {
		return nil
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return s.acct.chown(p)
	})
}

// stopRecovered stops every recovered server; the caller holds s.mu.
func (s *localSandbox) stopRecovered(ctx context.Context) error {
	var errs []error
	for name, rs := range s.recovered {
		if err := rs.server.stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("recovered server of restore %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
