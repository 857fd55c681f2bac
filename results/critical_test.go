package results

import (
	"reflect"
	"testing"
	"time"
)

// rebuild is a record of a rebuild: a root, two children in wave 0, a web
// app in wave 1, a restore per wave-0 child, and checks. Each restore's
// length is given, so a test can delay one.
func rebuild(restoreA, restoreB time.Duration) *Record {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := t0.Add(d); return &t }
	r := &Record{StartedAt: t0}
	phase := func(name string, start, end time.Duration, after ...string) {
		r.Phases = append(r.Phases, Phase{Name: name, Start: *at(start), End: at(end), After: after, Outcome: Passed})
	}
	phase("locate", 0, 1*time.Second)
	phase("provision", 1*time.Second, 3*time.Second, "locate")
	phase("bootstrap/argocd", 3*time.Second, 20*time.Second, "provision")
	phase("app/root", 20*time.Second, 25*time.Second, "bootstrap/argocd")
	phase("app/db-a", 25*time.Second, 40*time.Second, "app/root")
	phase("app/db-b", 25*time.Second, 45*time.Second, "app/root")
	phase("app/web", 45*time.Second, 70*time.Second, "app/db-a", "app/db-b")
	phase("restore/a", 40*time.Second, 40*time.Second+restoreA, "provision", "app/db-a")
	phase("restore/b", 45*time.Second, 45*time.Second+restoreB, "provision", "app/db-b")
	check := func(name string, passed time.Duration, after ...string) {
		r.Checks = append(r.Checks, Check{Name: name, Outcome: Passed, PassedAt: at(passed), After: after})
	}
	check("rows-a", 40*time.Second+restoreA+time.Second, "restore/a")
	check("rows-b", 45*time.Second+restoreB+time.Second, "restore/b")
	check("web-up", 71*time.Second, "app/web", "restore/a", "restore/b")
	last := *at(0)
	for _, c := range r.Checks {
		if c.PassedAt.After(last) {
			last = *c.PassedAt
		}
	}
	r.RecoveredAt = &last
	// Teardown ends last of all, and is never on the path.
	phase("teardown", 80*time.Second, 90*time.Second)
	return r
}

func TestCriticalPath(t *testing.T) {
	tests := []struct {
		name               string
		restoreA, restoreB time.Duration
		want               []string
	}{
		{"the later wave decides", 10 * time.Second, 10 * time.Second,
			[]string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-b", "app/web", "check/web-up"}},
		{"a delayed restore decides", 60 * time.Second, 10 * time.Second,
			[]string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-a", "restore/a", "check/rows-a"}},
		{"the other restore delayed", 10 * time.Second, 40 * time.Second,
			[]string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-b", "restore/b", "check/rows-b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CriticalPath(rebuild(tt.restoreA, tt.restoreB)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CriticalPath:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// A run that did not recover: the path leads to the step that ended last.
func TestCriticalPathWithoutRecovery(t *testing.T) {
	r := rebuild(10*time.Second, 10*time.Second)
	r.RecoveredAt = nil
	r.Checks = nil
	r.Phases = r.Phases[:len(r.Phases)-1] // no teardown
	want := []string{"locate", "provision", "bootstrap/argocd", "app/root", "app/db-b", "app/web"}
	if got := CriticalPath(r); !reflect.DeepEqual(got, want) {
		t.Errorf("CriticalPath:\n got %v\nwant %v", got, want)
	}
	if got := CriticalPath(&Record{}); got != nil {
		t.Errorf("CriticalPath of an empty record = %v, want nil", got)
	}
}
