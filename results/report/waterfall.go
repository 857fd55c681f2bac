package report

import (
	"strings"
	"time"

	"github.com/restore-drill/drill/results"
)

// Waterfall is one run's phases and checks on a common time axis, with the
// critical path marked: the chain of steps that decided the RTO.
type Waterfall struct {
	RunID      string          `json:"runId"`
	StartedAt  time.Time       `json:"startedAt"`
	Outcome    results.Outcome `json:"outcome"`
	RTOSeconds *float64        `json:"rtoSeconds"`
	Steps      []Step          `json:"steps"`
	// CriticalPath names the critical steps in order, e.g. locate →
	// provision → restore/billing → check/newest-invoice.
	CriticalPath []string `json:"criticalPath"`
}

// Step is one bar of the waterfall.
type Step struct {
	Name string `json:"name"`
	// Offset is when the step started, in seconds after the run's start.
	Offset   float64         `json:"offsetSeconds"`
	Seconds  float64         `json:"seconds"`
	Outcome  results.Outcome `json:"outcome"`
	Critical bool            `json:"critical"`
}

// BuildWaterfall lays out a run's phases and checks. The engine runs
// locate, then provision, then every restore at once, and each restore's
// checks one after another as soon as it is done; so the RTO is decided by
// locate → provision → the restore of the check that passed last → that
// restore's checks. Without a passed check, the slowest restore and its
// checks are taken. Phases the engine runs around the others (verify spans
// all checks; teardown comes after the RTO) are shown but never critical.
//
// A record that carries its own critical path (drill records which steps
// each step waited for, and finds the path when the run ends) is marked
// with that path instead: apps, bootstrap steps and sync waves included.
func BuildWaterfall(r *results.Record) *Waterfall {
	if len(r.CriticalPath) > 0 {
		return recordedWaterfall(r)
	}
	w := &Waterfall{RunID: r.RunID, StartedAt: r.StartedAt.UTC(), Outcome: r.Outcome, RTOSeconds: r.RTOSeconds}
	offset := func(t time.Time) float64 { return t.Sub(r.StartedAt).Seconds() }
	critRestore := criticalRestore(r)
	for _, p := range r.Phases {
		critical := p.Name == "locate" || p.Name == "provision" || p.Name == "restore/"+critRestore
		w.Steps = append(w.Steps, Step{Name: p.Name, Offset: offset(p.Start), Seconds: p.Seconds, Outcome: p.Outcome, Critical: critical && critRestore != ""})
	}
	for _, c := range r.Checks {
		if c.Outcome == results.Skipped {
			continue
		}
		start := checkStart(r, c)
		critical := critRestore != "" && c.Restore == critRestore
		w.Steps = append(w.Steps, Step{Name: "check/" + c.Name, Offset: start, Seconds: c.Seconds, Outcome: c.Outcome, Critical: critical})
	}
	for _, s := range w.Steps {
		if s.Critical {
			w.CriticalPath = append(w.CriticalPath, s.Name)
		}
	}
	return w
}

// criticalRestore names the restore on the critical path, or "".
func criticalRestore(r *results.Record) string {
	var last *results.Check
	for i, c := range r.Checks {
		if c.PassedAt != nil && (last == nil || c.PassedAt.After(*last.PassedAt)) {
			last = &r.Checks[i]
		}
	}
	if last != nil && last.Restore != "" {
		return last.Restore
	}
	slowest, end := "", time.Time{}
	for _, p := range r.Phases {
		if name, ok := strings.CutPrefix(p.Name, "restore/"); ok && p.End != nil && p.End.After(end) {
			slowest, end = name, *p.End
		}
	}
	return slowest
}

// checkStart places a check on the run's time axis: it passed at PassedAt
// after running Seconds. A check that did not pass is placed after the
// previous check of its restore, or after its restore.
func checkStart(r *results.Record, c results.Check) float64 {
	if c.PassedAt != nil {
		return c.PassedAt.Sub(r.StartedAt).Seconds() - c.Seconds
	}
	start := 0.0
	for _, p := range r.Phases {
		if p.Name == "restore/"+c.Restore && p.End != nil {
			start = p.End.Sub(r.StartedAt).Seconds()
		}
	}
	for _, other := range r.Checks {
		if other.Name == c.Name {
			break
		}
		if other.Restore == c.Restore && other.PassedAt != nil {
			start = max(start, other.PassedAt.Sub(r.StartedAt).Seconds())
		}
	}
	return start
}

// recordedWaterfall lays out a run's phases and checks and marks the
// critical path the record holds.
func recordedWaterfall(r *results.Record) *Waterfall {
	w := &Waterfall{RunID: r.RunID, StartedAt: r.StartedAt.UTC(), Outcome: r.Outcome, RTOSeconds: r.RTOSeconds, CriticalPath: r.CriticalPath}
	critical := map[string]bool{}
	for _, s := range r.CriticalPath {
		critical[s] = true
	}
	for _, p := range r.Phases {
		w.Steps = append(w.Steps, Step{Name: p.Name, Offset: p.Start.Sub(r.StartedAt).Seconds(), Seconds: p.Seconds, Outcome: p.Outcome, Critical: critical[p.Name]})
	}
	for _, c := range r.Checks {
		if c.Outcome == results.Skipped {
			continue
		}
		name := "check/" + c.Name
		w.Steps = append(w.Steps, Step{Name: name, Offset: checkStart(r, c), Seconds: c.Seconds, Outcome: c.Outcome, Critical: critical[name]})
	}
	return w
}
