package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/metrics"
)

// pushgateway is a real HTTP server on 127.0.0.1 that keeps what it was sent.
type pushgateway struct {
	*httptest.Server
	mu       sync.Mutex
	requests []pushed
	status   int
}

type pushed struct {
	method, path, auth string
	families           map[string]*dto.MetricFamily
}

func newPushgateway(t *testing.T, status int) *pushgateway {
	gw := &pushgateway{status: status}
	gw.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := pushed{method: r.Method, path: r.URL.EscapedPath(), auth: r.Header.Get("Authorization"), families: map[string]*dto.MetricFamily{}}
		dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
		for {
			mf := &dto.MetricFamily{}
			if err := dec.Decode(mf); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("the push body does not decode: %v", err)
				break
			}
			p.families[mf.GetName()] = mf
		}
		gw.mu.Lock()
		gw.requests = append(gw.requests, p)
		gw.mu.Unlock()
		w.WriteHeader(gw.status)
	}))
	t.Cleanup(gw.Close)
	return gw
}

func (gw *pushgateway) only(t *testing.T) pushed {
	t.Helper()
	gw.mu.Lock()
	defer gw.mu.Unlock()
	if len(gw.requests) != 1 {
		t.Fatalf("the Pushgateway got %d requests, want 1", len(gw.requests))
	}
	return gw.requests[0]
}

func TestPushAddsUnderTheScenarioGroup(t *testing.T) {
	gw := newPushgateway(t, http.StatusOK)
	rec := record("r1", day0, results.Passed)
	u := strings.Replace(gw.URL, "http://", "http://drill:s3cret@", 1)
	if err := metrics.Push(context.Background(), metrics.Pushgateway{URL: u}, metrics.FromRecords(rec, nil)); err != nil {
		t.Fatal(err)
	}
	p := gw.only(t)
	if p.method != http.MethodPost {
		t.Errorf("method %s, want POST: PUT would erase the series this push leaves out", p.method)
	}
	if p.path != "/metrics/job/drill/scenario/billing-monthly" {
		t.Errorf("path %s, want the grouping key job=drill, scenario=billing-monthly", p.path)
	}
	if p.auth != "Basic ZHJpbGw6czNjcmV0" {
		t.Errorf("authorization %q, want basic auth from the URL", p.auth)
	}
	for _, name := range metrics.Names() {
		mf, ok := p.families[name]
		if !ok {
			t.Errorf("%s was not pushed", name)
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "scenario" || l.GetName() == "job" {
					t.Errorf("%s carries label %s; the grouping key holds it", name, l.GetName())
				}
			}
		}
	}
	if v := p.families[metrics.NameRTO].GetMetric()[0].GetGauge().GetValue(); v != 81.7 {
		t.Errorf("RTO pushed %v, want 81.7", v)
	}
}

// A failed run with no known success must leave drill_last_success out, so
// that the value an earlier push left in the Pushgateway stays.
func TestPushOfAFailedRunLeavesLastSuccessAlone(t *testing.T) {
	gw := newPushgateway(t, http.StatusAccepted)
	rec := record("r2", day0, results.Failed)
	if err := metrics.Push(context.Background(), metrics.Pushgateway{URL: gw.URL, BearerToken: "t0ken"}, metrics.FromRecords(rec, nil)); err != nil {
		t.Fatal(err)
	}
	p := gw.only(t)
	if _, ok := p.families[metrics.NameLastSuccess]; ok {
		t.Errorf("%s was pushed for a failed run without a known success", metrics.NameLastSuccess)
	}
	if _, ok := p.families[metrics.NameRTO]; ok {
		t.Errorf("%s was pushed for a run that did not recover", metrics.NameRTO)
	}
	if v := p.families[metrics.NameLastRunSuccess].GetMetric()[0].GetGauge().GetValue(); v != 0 {
		t.Errorf("last run success %v, want 0", v)
	}
	if p.auth != "Bearer t0ken" {
		t.Errorf("authorization %q, want the bearer token", p.auth)
	}
}

func TestPushErrorNeverShowsThePassword(t *testing.T) {
	gw := newPushgateway(t, http.StatusInternalServerError)
	u := strings.Replace(gw.URL, "http://", "http://drill:s3cret@", 1)
	err := metrics.Push(context.Background(), metrics.Pushgateway{URL: u}, metrics.FromRecords(record("r1", day0, results.Passed), nil))
	if err == nil {
		t.Fatal("a Pushgateway answering 500 was taken as success")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "500") {
		t.Errorf("error %v, want the status", err)
	}
	err = metrics.Push(context.Background(), metrics.Pushgateway{URL: "http://drill:s3cret@[::1"}, metrics.Snapshot{Scenario: "x"})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a malformed URL gave %v, want an error without the password", err)
	}
}

func TestPushTakesTheUserFromTheURLAndThePasswordFromOptions(t *testing.T) {
	gw := newPushgateway(t, http.StatusOK)
	u := strings.Replace(gw.URL, "http://", "http://drill@", 1)
	if err := metrics.Push(context.Background(), metrics.Pushgateway{URL: u, Password: "s3cret"}, metrics.FromRecords(record("r1", day0, results.Passed), nil)); err != nil {
		t.Fatal(err)
	}
	if p := gw.only(t); p.auth != "Basic ZHJpbGw6czNjcmV0" {
		t.Errorf("authorization %q, want drill:s3cret", p.auth)
	}
}
