package cluster

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

func httpCheckOf(h scenarios.HTTPCheck, timeout time.Duration) scenarios.Check {
	return scenarios.Check{Name: "answers", Timeout: timeout, HTTP: &h}
}

// An application that answers 503 while it warms up passes once it answers
// 200 with the body asked for; the moment is that of the good answer.
func TestHTTPRetriesUntilTheAppAnswers(t *testing.T) {
	var calls atomic.Int32
	var readyFrom atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		if calls.Add(1) < 3 {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		readyFrom.CompareAndSwap(0, time.Now().UnixNano())
		fmt.Fprint(w, "billing ok")
	}))
	defer srv.Close()

	r := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{URL: srv.URL + "/healthz", Status: 200, BodyContains: "billing ok"}, 10*time.Second), nil).
		Run(context.Background(), (&fakeCluster{}).env())
	if r.Outcome != results.Passed || r.Observed != "status 200" || r.Expected != `status 200 (body contains "billing ok")` {
		t.Fatalf("outcome %s expected %q observed %q (%s), want passed", r.Outcome, r.Expected, r.Observed, r.Message)
	}
	if r.ReadyAt == nil || r.ReadyAt.UnixNano() < readyFrom.Load() {
		t.Errorf("ReadyAt %v is before the good answer was sent", r.ReadyAt)
	}
	if calls.Load() != 3 {
		t.Errorf("%d GETs, want 3 (two 503s, then the answer)", calls.Load())
	}
}

func TestHTTPFailsWithTheLastAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wrong-body" {
			fmt.Fprint(w, "maintenance page")
			return
		}
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name, path, contains string
		observed, message    string
	}{
		{name: "wrong status", path: "/", observed: "status 503", message: `body "database unavailable\n"`},
		{name: "body without the substring", path: "/wrong-body", contains: "billing ok", observed: `status 200, body without "billing ok"`, message: `body "maintenance page"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{URL: srv.URL + tc.path, BodyContains: tc.contains}, 700*time.Millisecond), nil).
				Run(context.Background(), (&fakeCluster{}).env())
			if r.Outcome != results.Failed || r.Observed != tc.observed || !strings.Contains(r.Message, tc.message) {
				t.Fatalf("outcome %s observed %q message %q, want failed, %q, message with %q", r.Outcome, r.Observed, r.Message, tc.observed, tc.message)
			}
		})
	}
}

// Nothing listening: every attempt is refused until the timeout, and the
// failure says so.
func TestHTTPNoAnswer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	r := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{URL: url}, 500*time.Millisecond), nil).Run(context.Background(), (&fakeCluster{}).env())
	if r.Outcome != results.Failed || r.Observed != "no answer" || !strings.Contains(r.Message, "connection refused") {
		t.Fatalf("outcome %s observed %q message %q, want failed, no answer, connection refused", r.Outcome, r.Observed, r.Message)
	}
}

// A redirect is an answer in its own right: it is not followed.
func TestHTTPRedirectIsNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("/login", http.StatusFound))
	defer srv.Close()
	r := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{URL: srv.URL + "/", Status: 302}, 5*time.Second), nil).Run(context.Background(), (&fakeCluster{}).env())
	if r.Outcome != results.Passed {
		t.Fatalf("outcome %s observed %q (%s), want passed on the 302 itself", r.Outcome, r.Observed, r.Message)
	}
}

// Service mode goes through a port-forward (faked at the boundary: the
// lab's pods serve nothing); a forward that stops is opened again.
func TestHTTPServiceThroughAForwardThatIsReopened(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		if r.URL.Path != "/status" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()

	fc := newFakeCluster(nil)
	c := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{Service: "web", Port: 80, Path: "/status"}, 10*time.Second), fc.connect).(*httpCheck)
	var mu sync.Mutex
	var opened, closed int
	c.open = func(ctx context.Context, cl *clients, namespace, service string, port int) (*tunnel, error) {
		if namespace != testNamespace || service != "web" || port != 80 {
			t.Errorf("forward to %s/%s:%d, want %s/web:80", namespace, service, port, testNamespace)
		}
		mu.Lock()
		defer mu.Unlock()
		opened++
		done := make(chan struct{})
		if opened == 1 {
			close(done) // the first pod goes away after one answer
		}
		return &tunnel{addr: strings.TrimPrefix(srv.URL, "http://"), done: done, close: func() {
			mu.Lock()
			closed++
			mu.Unlock()
		}}, nil
	}
	r := c.Run(context.Background(), fc.env())
	if r.Outcome != results.Passed {
		t.Fatalf("outcome %s observed %q (%s), want passed", r.Outcome, r.Observed, r.Message)
	}
	mu.Lock()
	defer mu.Unlock()
	if opened != 2 || closed != 2 {
		t.Errorf("forwards opened %d, closed %d; want 2 and 2 (the stopped one reopened, both closed)", opened, closed)
	}
}

// Service mode with the real opener against a fake API server: a Service
// that does not exist is named when the check gives up. (The forward itself
// needs a kubelet: only a real cluster proves it.)
func TestHTTPServiceMissing(t *testing.T) {
	fc := newFakeCluster(nil)
	r := mustCheck(t, httpCheckOf(scenarios.HTTPCheck{Service: "web", Port: 80, Path: "/status"}, 600*time.Millisecond), fc.connect).Run(context.Background(), fc.env())
	if r.Outcome != results.Failed || r.Observed != "not reached" || !strings.Contains(r.Message, "GET /status on service web port 80 not answered") ||
		!strings.Contains(r.Message, "read service web in namespace "+testNamespace) {
		t.Fatalf("outcome %s observed %q message %q, want failed, not reached, naming the service", r.Outcome, r.Observed, r.Message)
	}
}
