package metrics

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/restore-drill/drill/results"
)

// TextfilePath is the file that holds one scenario's metrics in a textfile
// collector directory. One file per scenario lets several drills share the
// directory without ever rewriting each other's series.
func TextfilePath(dir, scenario string) string {
	return filepath.Join(dir, "drill_"+scenario+".prom")
}

// WriteTextfile writes s to the scenario's file in dir for node-exporter's
// textfile collector and returns its path. The file is written to a
// temporary name in dir (which the collector ignores) and renamed, so the
// collector never reads half a file. Values that describe earlier runs and
// that s lacks are taken from the file the previous run wrote, and the run
// counters never go down, even when the results store starts afresh.
func WriteTextfile(dir string, s Snapshot) (string, error) {
	path := TextfilePath(dir, s.Scenario)
	prev, err := ReadTextfile(path, s.Scenario)
	if err != nil {
		return "", err
	}
	s = carryOver(s, prev)
	reg := prometheus.NewRegistry()
	if err := register(prometheus.WrapRegistererWith(prometheus.Labels{"scenario": s.Scenario}, reg), s); err != nil {
		return "", fmt.Errorf("metrics of scenario %s: %w", s.Scenario, err)
	}
	if err := prometheus.WriteToTextfile(path, reg); err != nil {
		return "", fmt.Errorf("write the metrics textfile %s: %w; check that the directory exists and is writable", path, err)
	}
	return path, nil
}

// ReadTextfile reads back what a run wrote to path for scenario: the series
// a later run carries over (last success, latest RTO and RPO, run counters).
// A missing file is an empty snapshot.
func ReadTextfile(path, scenario string) (Snapshot, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Snapshot{}, nil
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("read the previous metrics textfile: %w", err)
	}
	defer f.Close()
	prev, err := parseText(f, scenario)
	if err != nil {
		return Snapshot{}, fmt.Errorf("read the previous metrics textfile %s: %w; remove it to start the series afresh", path, err)
	}
	return prev, nil
}

// carryOver fills in from prev what s does not know, and keeps every run
// counter at least at its previous value plus this run.
func carryOver(s, prev Snapshot) Snapshot {
	if prev.LastSuccess != nil && (s.LastSuccess == nil || prev.LastSuccess.After(*s.LastSuccess)) {
		s.LastSuccess = prev.LastSuccess
	}
	if s.RTO == nil {
		s.RTO = prev.RTO
	}
	rpo := maps.Clone(prev.RPO)
	if rpo == nil {
		rpo = map[string]float64{}
	}
	maps.Copy(rpo, s.RPO)
	s.RPO = rpo
	runs := maps.Clone(s.Runs)
	if runs == nil {
		runs = map[results.Outcome]float64{}
	}
	for o, n := range prev.Runs {
		if o == s.Outcome {
			n++ // this run, which the store may not know
		}
		runs[o] = max(runs[o], n)
	}
	s.Runs = runs
	return s
}
