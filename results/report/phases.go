package report

import (
	"cmp"
	"slices"

	"github.com/restore-drill/drill/results"
)

// PhaseCost is what one phase typically costs a scenario's runs: "which
// phase costs the most".
type PhaseCost struct {
	Name string `json:"name"`
	// MedianSeconds is the phase's median time over the runs that had it.
	MedianSeconds float64 `json:"medianSeconds"`
	// Share is MedianSeconds over the median RTO of the same runs.
	Share float64 `json:"share"`
	Runs  int     `json:"runs"`
}

// phaseCosts takes the newest runs that recovered (at most window) and
// returns their phases by median time, costliest first. Verify and
// teardown are left out: verify overlaps the restores and teardown is not
// part of the RTO.
func phaseCosts(runs []*results.Record, window int) []PhaseCost {
	times := map[string][]float64{}
	var rtos []float64
	for i := len(runs) - 1; i >= 0 && len(rtos) < window; i-- {
		r := runs[i]
		if r.RTOSeconds == nil {
			continue
		}
		rtos = append(rtos, *r.RTOSeconds)
		for _, p := range r.Phases {
			if p.Name != "verify" && p.Name != "teardown" {
				times[p.Name] = append(times[p.Name], p.Seconds)
			}
		}
	}
	if len(rtos) == 0 {
		return nil
	}
	rto := median(rtos)
	costs := make([]PhaseCost, 0, len(times))
	for name, ts := range times {
		c := PhaseCost{Name: name, MedianSeconds: median(ts), Runs: len(ts)}
		if rto > 0 {
			c.Share = c.MedianSeconds / rto
		}
		costs = append(costs, c)
	}
	slices.SortFunc(costs, func(a, b PhaseCost) int {
		if c := cmp.Compare(b.MedianSeconds, a.MedianSeconds); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return costs
}
