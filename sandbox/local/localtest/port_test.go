package localtest_test

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/local/localtest"
)

// A reserved port refuses connections and cannot be bound by anyone else;
// once listening it accepts them.
func TestReservePort(t *testing.T) {
	p := localtest.ReservePort(t)
	if _, err := net.DialTimeout("tcp", p.Addr(), 5*time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %s before Listen: %v, want connection refused", p.Addr(), err)
	}
	if l, err := net.Listen("tcp", p.Addr()); err == nil {
		l.Close()
		t.Fatalf("another listener could bind the reserved %s", p.Addr())
	}

	l, err := p.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	c, err := net.DialTimeout("tcp", p.Addr(), 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s after Listen: %v", p.Addr(), err)
	}
	c.Close()
	if err := <-accepted; err != nil {
		t.Fatalf("accept: %v", err)
	}
	if _, err := p.Listen(); err == nil {
		t.Error("a second Listen succeeded")
	}
}
