package kube

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
)

// fakeForwarder listens on a real local port like client-go's forwarder,
// but forwards nothing: it stands in for the API server and the pod.
type fakeForwarder struct {
	stop     <-chan struct{}
	ready    chan struct{}
	failWith error // returned before listening
	lost     chan struct{}
	listener net.Listener
}

func (f *fakeForwarder) ForwardPorts() error {
	if f.failWith != nil {
		return f.failWith
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	f.listener = l
	defer l.Close()
	close(f.ready)
	select {
	case <-f.stop:
		return nil
	case <-f.lost:
		return portforward.ErrLostConnectionToPod
	}
}

func (f *fakeForwarder) GetPorts() ([]portforward.ForwardedPort, error) {
	return []portforward.ForwardedPort{{Local: uint16(f.listener.Addr().(*net.TCPAddr).Port), Remote: 5432}}, nil
}

func fakeStart(t *testing.T, ctx context.Context, fake *fakeForwarder) (*Forward, error) {
	t.Helper()
	return startForward(ctx, func(port int, stop <-chan struct{}, ready chan struct{}) (forwarder, error) {
		if port != 5432 {
			t.Errorf("forwarder made for port %d, want 5432", port)
		}
		fake.stop, fake.ready = stop, ready
		return fake, nil
	}, "sb", "db-0", 5432)
}

func dialable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func TestForwardListensUntilClosed(t *testing.T) {
	fake := &fakeForwarder{lost: make(chan struct{})}
	f, err := fakeStart(t, context.Background(), fake)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.Addr(), "127.0.0.1:") || !dialable(f.Addr()) {
		t.Fatalf("forward's address %q does not accept connections", f.Addr())
	}
	f.Close()
	f.Close() // twice is safe
	if dialable(f.Addr()) {
		t.Fatalf("%s still accepts connections after Close", f.Addr())
	}
	if f.Err() != nil {
		t.Fatalf("a closed forward reports %v", f.Err())
	}
}

func TestForwardEndsWithItsContext(t *testing.T) {
	fake := &fakeForwarder{lost: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	f, err := fakeStart(t, ctx, fake)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-f.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the forward still runs after its context ended")
	}
	if dialable(f.Addr()) {
		t.Fatalf("%s still accepts connections after the context ended", f.Addr())
	}
}

func TestForwardReportsALostPod(t *testing.T) {
	fake := &fakeForwarder{lost: make(chan struct{})}
	f, err := fakeStart(t, context.Background(), fake)
	if err != nil {
		t.Fatal(err)
	}
	close(fake.lost)
	<-f.Done()
	if !errors.Is(f.Err(), portforward.ErrLostConnectionToPod) || !strings.Contains(f.Err().Error(), "pod db-0 in namespace sb") {
		t.Fatalf("Err() = %v, want the lost connection, naming the pod", f.Err())
	}
	f.Close()
}

func TestForwardThatCannotStart(t *testing.T) {
	refused := errors.New("error upgrading connection: pods \"db-0\" is forbidden")
	_, err := fakeStart(t, context.Background(), &fakeForwarder{failWith: refused})
	if !errors.Is(err, refused) || !strings.Contains(err.Error(), "port 5432 of pod db-0 in namespace sb") {
		t.Fatalf("error %v, want the refusal, naming port and pod", err)
	}
}

// A forward that never becomes ready gives up with its context.
func TestForwardStartBoundedByContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	hang := &hangingForwarder{}
	_, err := startForward(ctx, func(_ int, stop <-chan struct{}, _ chan struct{}) (forwarder, error) {
		hang.stop = stop
		return hang, nil
	}, "sb", "db-0", 5432)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the deadline", err)
	}
}

// hangingForwarder dials forever (an API server that does not answer)
// until it is stopped.
type hangingForwarder struct{ stop <-chan struct{} }

func (h *hangingForwarder) ForwardPorts() error { <-h.stop; return nil }
func (h *hangingForwarder) GetPorts() ([]portforward.ForwardedPort, error) {
	return nil, errors.New("not ready")
}

func TestPortForwardURL(t *testing.T) {
	u, err := portForwardURL(&rest.Config{Host: "https://api.example:6443/prefix"}, "sb", "db-0")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://api.example:6443/prefix/api/v1/namespaces/sb/pods/db-0/portforward"; u.String() != want {
		t.Fatalf("URL %s, want %s", u, want)
	}
}

// An API server that refuses the upgrade (here: one that answers 403 to
// everything) fails PortForward with its answer, not a hang.
func TestPortForwardRefusedByTheServer(t *testing.T) {
	var asked string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.Method + " " + r.URL.Path
		http.Error(w, `pods "db-0" is forbidden`, http.StatusForbidden)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := PortForward(ctx, &rest.Config{Host: srv.URL}, "sb", "db-0", 5432)
	if err == nil || !strings.Contains(err.Error(), "pod db-0 in namespace sb") {
		t.Fatalf("error %v, want a refusal naming the pod", err)
	}
	if asked != "POST /api/v1/namespaces/sb/pods/db-0/portforward" {
		t.Fatalf("the server was asked %q", asked)
	}
}
