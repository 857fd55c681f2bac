package localtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// Port is a TCP port on 127.0.0.1 held for one test: bound, so that no
// other program can take it, and not listening, so that a connection to it
// is refused until Listen. (A port found free and closed again could be
// bound by another program before the test connects to it, and would then
// answer.)
type Port struct {
	Number int

	mu sync.Mutex
	fd int // -1 once handed to a listener or released
}

// ReservePort binds a port for the test; it is released when the test ends.
func ReservePort(t testing.TB) *Port {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("reserve a port: %v", err)
	}
	p := &Port{fd: fd}
	t.Cleanup(p.release)
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("reserve a port: bind 127.0.0.1:0: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("reserve a port: %v", err)
	}
	p.Number = sa.(*syscall.SockaddrInet4).Port
	return p
}

// Addr is the port's address, 127.0.0.1:PORT.
func (p *Port) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Number)) }

// Listen starts listening on the port: connections are accepted from then
// on, and closing the listener releases the port. It can be called once.
func (p *Port) Listen() (net.Listener, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fd < 0 {
		return nil, errors.New("listen on a reserved port: already listening or released")
	}
	if err := syscall.Listen(p.fd, syscall.SOMAXCONN); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", p.Addr(), err)
	}
	f := os.NewFile(uintptr(p.fd), p.Addr())
	p.fd = -1
	defer f.Close() // the listener has a copy of the descriptor
	return net.FileListener(f)
}

func (p *Port) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fd >= 0 {
		_ = syscall.Close(p.fd)
		p.fd = -1
	}
}
