package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
)

const (
	// Superuser is the name of the server's superuser.
	Superuser = "drill"
	// startTimeout bounds one server start; ctx may end it sooner.
	startTimeout = 60 * time.Second
	// portAttempts is how often a start is retried when the free port found
	// was taken by another process before postgres could bind it.
	portAttempts = 5
	// maxSocketPath is the longest unix socket path the kernel accepts
	// (sun_path is 108 bytes with its NUL).
	maxSocketPath = 107
)

// Options configure the local provider.
type Options struct {
	// BinDir is where the PostgreSQL programs are looked up first.
	BinDir string
	// TempDir is the parent of each sandbox's private directory; "" means
	// os.TempDir(). When drill runs as root, the server's user must be able
	// to enter it.
	TempDir string
	// Log receives progress and diagnostics for people; may be nil.
	Log io.Writer
}

// Provider creates local sandboxes. It is safe for concurrent use.
type Provider struct {
	opts Options

	// pickPort finds a free port; tests replace it to lose the race on purpose.
	pickPort func() (int, error)

	mu   sync.Mutex
	bins *Binaries // found on first use
}

var _ sandbox.Provider = (*Provider)(nil)

// NewProvider returns a provider; nothing is looked up until Create.
func NewProvider(o Options) *Provider {
	if o.Log == nil {
		o.Log = io.Discard
	}
	return &Provider{opts: o, pickPort: freePort}
}

// Binaries finds the PostgreSQL programs once and remembers them. A failure
// is not remembered, so that installing them fixes the next call.
func (p *Provider) Binaries() (*Binaries, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bins != nil {
		return p.bins, nil
	}
	b, err := FindBinaries(p.opts.BinDir)
	if err != nil {
		return nil, err
	}
	p.bins = b
	return b, nil
}

// Create starts a new PostgreSQL server in a private directory. On error,
// including ctx ending mid-start, nothing is left behind. Errors other than
// ctx's end are marked with fault.Infra.
func (p *Provider) Create(ctx context.Context, o sandbox.Options) (sandbox.Sandbox, error) {
	sb, err := p.create(ctx, o)
	if err != nil {
		if ctx.Err() == nil {
			err = fault.Infra(err)
		}
		return nil, fmt.Errorf("create local sandbox for run %s: %w", o.RunID, err)
	}
	return sb, nil
}

func (p *Provider) create(ctx context.Context, o sandbox.Options) (_ *localSandbox, err error) {
	begin := time.Now()
	bins, err := p.Binaries()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	parent := p.opts.TempDir
	if parent == "" {
		parent = os.TempDir()
	}
	if err := acct.checkReachable(parent); err != nil {
		return nil, err
	}
	dir, err := makeWorkDir(parent, Marker{Kind: "local", RunID: o.RunID, Scenario: o.Scenario, PID: os.Getpid(), Created: time.Now().UTC()})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			if rmErr := os.RemoveAll(dir); rmErr != nil {
				err = errors.Join(err, fmt.Errorf("remove the sandbox directory: %w", rmErr))
			}
		}
	}()
	if err := acct.chown(dir); err != nil {
		return nil, err
	}

	password, err := newPassword()
	if err != nil {
		return nil, err
	}
	dataDir, err := runInitdb(ctx, bins, acct, dir, Superuser, password)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(p.opts.Log, "local sandbox: initdb done in %s as %s (%.1fs)\n", dir, acct, time.Since(begin).Seconds())

	socketDir := dir
	if len(filepath.Join(dir, ".s.PGSQL.65535")) > maxSocketPath {
		// Too long for a unix socket: clients use TCP anyway.
		socketDir = ""
	}
	srv, err := p.startWithFreePort(ctx, bins, acct, dataDir, socketDir, startTimeout, serverExtra{})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(p.opts.Log, "local sandbox: PostgreSQL %s ready on 127.0.0.1:%d (%.1fs)\n", bins.Version, srv.port, time.Since(begin).Seconds())
	return &localSandbox{
		dir:      dir,
		server:   srv,
		log:      p.opts.Log,
		provider: p,
		bins:     bins,
		acct:     acct,
		socket:   socketDir != "",
		info: sandbox.PostgresServer{
			Host:     "127.0.0.1",
			Port:     srv.port,
			User:     Superuser,
			Password: password,
			Version:  bins.Version,
			Major:    bins.Major,
			BinDir:   bins.Dir,
		},
	}, nil
}

// startWithFreePort starts the server on a free port, and on another one
// when a different process took the port in between.
func (p *Provider) startWithFreePort(ctx context.Context, bins *Binaries, acct *account, dataDir, socketDir string, timeout time.Duration, extra serverExtra) (*server, error) {
	var lastErr error
	for attempt := 1; attempt <= portAttempts; attempt++ {
		port, err := p.pickPort()
		if err != nil {
			return nil, err
		}
		srv, err := startServer(ctx, bins, acct, dataDir, socketDir, port, timeout, extra)
		if err == nil {
			return srv, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
		lastErr = err
		fmt.Fprintf(p.opts.Log, "local sandbox: port %d was taken before postgres could bind it; trying another\n", port)
	}
	return nil, fmt.Errorf("start postgres: %d ports in a row were taken (%w): check what is binding ports on 127.0.0.1", portAttempts, lastErr)
}

// localSandbox is one running server and its private directory.
type localSandbox struct {
	dir    string
	server *server
	log    io.Writer
	info   sandbox.PostgresServer

	// What Recover needs to start more servers like the first.
	provider *Provider
	bins     *Binaries
	acct     *account
	socket   bool
	// recovered are the servers started on restored data, by restore.
	recovered map[string]*recoveredServer

	mu        sync.Mutex
	destroyed bool
}

var _ sandbox.Sandbox = (*localSandbox)(nil)

// Describe names the server for people.
func (s *localSandbox) Describe() string {
	return "local PostgreSQL " + s.info.Version + " on " + s.info.Host + ":" + strconv.Itoa(s.info.Port)
}

// Postgres returns the sandbox's one server, whatever the restore.
func (s *localSandbox) Postgres(ctx context.Context, restore string) (*sandbox.PostgresServer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.destroyed {
		return nil, fmt.Errorf("%s: the sandbox was destroyed", s.Describe())
	}
	srv, info := s.server, s.info // a copy: callers cannot change the sandbox's own
	if rs, ok := s.recovered[restore]; ok {
		srv, info = rs.server, rs.info
	}
	select {
	case <-srv.exited:
		return nil, fault.Infra(fmt.Errorf("%s: the server on 127.0.0.1:%d exited (%v); its last log lines:\n%s", s.Describe(), info.Port, srv.err, srv.log))
	default:
	}
	return &info, nil
}

// Destroy stops the server and removes the private directory. It is safe
// to call more than once; when it fails, calling it again retries.
func (s *localSandbox) Destroy(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.destroyed {
		return nil
	}
	var errs []error
	if err := s.stopRecovered(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := s.server.stop(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove %s: %w", s.dir, err))
	}
	if err := errors.Join(errs...); err != nil {
		return fault.Infra(fmt.Errorf("destroy %s: %w", s.Describe(), err))
	}
	s.destroyed = true
	fmt.Fprintf(s.log, "local sandbox: stopped PostgreSQL on 127.0.0.1:%d and removed %s\n", s.info.Port, s.dir)
	return nil
}
