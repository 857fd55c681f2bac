package report

import (
	"slices"
	"time"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// judgeOverdue sets Due and Overdue from the cadence and the last passed
// run. A failed run does not reset the clock: only a pass shows that
// recovery works.
func judgeOverdue(s *Scenario, now time.Time) {
	if s.Cadence == "" {
		return
	}
	c, err := scenarios.ParseCadence(s.Cadence)
	if err != nil {
		s.CadenceError = err.Error()
		return
	}
	if s.LastPassed == nil {
		s.Overdue = true
		return
	}
	due := s.LastPassed.StartedAt.Add(c.Interval)
	s.Due = &due
	if now.After(due) {
		s.Overdue = true
		s.OverdueSeconds = now.Sub(due).Seconds()
	}
}

// findRegression compares the newest run that recovered with the median RTO
// of the window runs that recovered before it.
func findRegression(runs []*results.Record, threshold float64, window int) *Regression {
	var rtos []float64
	var ids []string
	for _, r := range runs {
		if r.RTOSeconds != nil {
			rtos = append(rtos, *r.RTOSeconds)
			ids = append(ids, r.RunID)
		}
	}
	if len(rtos) < 2 {
		return nil
	}
	latest := rtos[len(rtos)-1]
	previous := rtos[max(0, len(rtos)-1-window) : len(rtos)-1]
	m := median(previous)
	if m <= 0 || latest <= m*(1+threshold) {
		return nil
	}
	return &Regression{RunID: ids[len(ids)-1], LatestSeconds: latest, MedianSeconds: m, Ratio: latest / m, Runs: len(previous)}
}

func median(values []float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
