package metrics

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/restore-drill/drill/results"
)

// Metric names of drill check, one series per scenario and restore. They
// are apart from a drill's so that the nightly check and the monthly drill
// never overwrite each other.
const (
	NameBackupCheckSuccess     = "drill_backup_check_success"
	NameBackupCheckLastRun     = "drill_backup_check_last_run_timestamp_seconds"
	NameBackupCheckLastSuccess = "drill_backup_check_last_success_timestamp_seconds"
	NameBackupAge              = "drill_backup_age_seconds"
	NameBackupSize             = "drill_backup_size_bytes"
)

// CheckNames lists every metric drill check exports.
func CheckNames() []string {
	return []string{NameBackupCheckSuccess, NameBackupCheckLastRun, NameBackupCheckLastSuccess, NameBackupAge, NameBackupSize}
}

// CheckGroupingKind is the Pushgateway grouping label kind of a check's
// push: with it the check's group differs from the drill's
// {job, scenario} even under the same job.
const CheckGroupingKind = "check"

// CheckSnapshot is what one scenario's backup-check metrics say.
type CheckSnapshot struct {
	Scenario string
	// LastRun is when the check ended.
	LastRun  time.Time
	Restores []RestoreCheck
}

// RestoreCheck is the verdict on one restore's newest backup. Nil pointers
// are series that are left out: nothing is known of them.
type RestoreCheck struct {
	Restore string
	Success bool
	// LastSuccess is when a check of this restore last passed.
	LastSuccess *time.Time
	// AgeSeconds and SizeBytes describe the newest backup, when one was found.
	AgeSeconds *float64
	SizeBytes  *float64
}

// FromCheck builds the snapshot of a drill check's record. A check keeps
// no history, so the last success is the check's end when it passed and
// unknown otherwise; WriteCheckTextfile and PushCheck keep the earlier one.
func FromCheck(rec *results.Record) CheckSnapshot {
	s := CheckSnapshot{Scenario: rec.Scenario, LastRun: endOf(rec)}
	for _, r := range rec.Restores {
		rc := RestoreCheck{Restore: r.Name, Success: restorePassed(rec, r.Name)}
		if rc.Success {
			t := s.LastRun
			rc.LastSuccess = &t
		}
		if !r.Archive.ModTime.IsZero() {
			age := rec.StartedAt.Sub(r.Archive.ModTime).Seconds()
			size := float64(r.Archive.Bytes)
			rc.AgeSeconds, rc.SizeBytes = &age, &size
		}
		s.Restores = append(s.Restores, rc)
	}
	return s
}

// restorePassed says whether every check of restore name passed or was
// skipped (an age without a limit), and at least one passed.
func restorePassed(rec *results.Record, name string) bool {
	passed := false
	for _, c := range rec.Checks {
		if c.Restore != name {
			continue
		}
		switch c.Outcome {
		case results.Passed:
			passed = true
		case results.Skipped:
		default:
			return false
		}
	}
	return passed
}

// CheckTextfilePath is the file that holds one scenario's backup-check
// metrics in a textfile collector directory, beside the drill's
// TextfilePath and never the same file.
func CheckTextfilePath(dir, scenario string) string {
	return filepath.Join(dir, "drill_check_"+scenario+".prom")
}

// WriteCheckTextfile writes s to the scenario's check file in dir, renamed
// into place like WriteTextfile, and returns its path. A restore whose
// check failed keeps the last success the previous file holds.
func WriteCheckTextfile(dir string, s CheckSnapshot) (string, error) {
	path := CheckTextfilePath(dir, s.Scenario)
	prev, err := readCheckLastSuccess(path, s.Scenario)
	if err != nil {
		return "", err
	}
	reg := prometheus.NewRegistry()
	for _, rc := range s.Restores {
		if rc.LastSuccess == nil {
			rc.LastSuccess = prev[rc.Restore]
		}
		labels := prometheus.Labels{"scenario": s.Scenario, "restore": rc.Restore}
		if err := registerCheck(prometheus.WrapRegistererWith(labels, reg), s.LastRun, rc); err != nil {
			return "", fmt.Errorf("check metrics of scenario %s: %w", s.Scenario, err)
		}
	}
	if err := prometheus.WriteToTextfile(path, reg); err != nil {
		return "", fmt.Errorf("write the check metrics textfile %s: %w; check that the directory exists and is writable", path, err)
	}
	return path, nil
}

// readCheckLastSuccess reads the last success of each restore of scenario
// from a check textfile; a missing file holds none.
func readCheckLastSuccess(path, scenario string) (map[string]*time.Time, error) {
	out := map[string]*time.Time{}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the previous check metrics textfile: %w", err)
	}
	defer f.Close()
	var p expfmt.TextParser
	families, err := p.TextToMetricFamilies(f)
	if err != nil {
		return nil, fmt.Errorf("read the previous check metrics textfile %s: not in Prometheus text format: %w; remove it to start the series afresh", path, err)
	}
	for _, m := range families[NameBackupCheckLastSuccess].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["scenario"] == scenario {
			t := fromUnix(m.GetGauge().GetValue())
			out[labels["restore"]] = &t
		}
	}
	return out, nil
}

// PushCheck sends s to the Pushgateway, one group per restore:
// {job, scenario, kind="check", restore}. Add semantics (POST) then keep a
// restore's last success when its check failed, whatever the other
// restores did.
func PushCheck(ctx context.Context, gw Pushgateway, s CheckSnapshot) error {
	for _, rc := range s.Restores {
		reg := prometheus.NewRegistry()
		if err := registerCheck(reg, s.LastRun, rc); err != nil {
			return fmt.Errorf("check metrics of scenario %s: %w", s.Scenario, err)
		}
		grouping := map[string]string{"scenario": s.Scenario, "kind": CheckGroupingKind, "restore": rc.Restore}
		if err := pushGroup(ctx, gw, grouping, reg); err != nil {
			return fmt.Errorf("push the check metrics of scenario %s to the Pushgateway: %w", s.Scenario, err)
		}
	}
	return nil
}

// registerCheck adds one restore's series to reg; the caller names the
// scenario and the restore (labels or grouping key).
func registerCheck(reg prometheus.Registerer, lastRun time.Time, rc RestoreCheck) error {
	var cs []prometheus.Collector
	gauge := func(name, help string, v float64) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		g.Set(v)
		cs = append(cs, g)
	}
	success := 0.0
	if rc.Success {
		success = 1
	}
	gauge(NameBackupCheckSuccess, "1 if the latest check of the restore's newest backup passed, 0 if it did not.", success)
	gauge(NameBackupCheckLastRun, "When the latest backup check ended, in seconds since the epoch.", unix(lastRun))
	if rc.LastSuccess != nil {
		gauge(NameBackupCheckLastSuccess, "When a backup check of the restore last passed, in seconds since the epoch.", unix(*rc.LastSuccess))
	}
	if rc.AgeSeconds != nil {
		gauge(NameBackupAge, "Age of the restore's newest backup when it was checked, in seconds.", *rc.AgeSeconds)
	}
	if rc.SizeBytes != nil {
		gauge(NameBackupSize, "Size of the restore's newest backup, in bytes.", *rc.SizeBytes)
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
