package report

import (
	"reflect"
	"testing"
	"time"

	"github.com/restore-drill/drill/results"
)

// A record that carries its critical path (a rebuild: the bootstrap, a
// wave of children, a restore waiting for one of them) has exactly those
// steps marked, apps included, and the path as recorded.
func TestWaterfallMarksTheRecordedCriticalPath(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	at := func(s int) *time.Time { v := t0.Add(time.Duration(s) * time.Second); return &v }
	r := &results.Record{RunID: "r1", StartedAt: t0, Outcome: results.Passed}
	for _, p := range []struct {
		name       string
		start, end int
	}{{"locate", 0, 1}, {"provision", 1, 3}, {"bootstrap/argocd", 3, 20}, {"app/root", 20, 25}, {"app/db", 25, 40}, {"app/web", 40, 50}, {"restore/billing", 40, 90}, {"verify", 90, 91}, {"teardown", 91, 99}} {
		r.Phases = append(r.Phases, results.Phase{Name: p.name, Start: *at(p.start), End: at(p.end), Seconds: float64(p.end - p.start), Outcome: results.Passed})
	}
	r.Checks = []results.Check{{Name: "invoices", Restore: "billing", Outcome: results.Passed, Seconds: 1, PassedAt: at(91)}}
	r.CriticalPath = []string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db", "restore/billing", "check/invoices"}

	w := BuildWaterfall(r)
	var marked []string
	for _, s := range w.Steps {
		if s.Critical {
			marked = append(marked, s.Name)
		}
	}
	if !reflect.DeepEqual(marked, r.CriticalPath) || !reflect.DeepEqual(w.CriticalPath, r.CriticalPath) {
		t.Errorf("marked %v, path %v; want both %v", marked, w.CriticalPath, r.CriticalPath)
	}
	if s := w.Steps[len(w.Steps)-1]; s.Name != "check/invoices" || s.Offset != 90 {
		t.Errorf("last step %+v, want check/invoices starting 90 s in", s)
	}
}
