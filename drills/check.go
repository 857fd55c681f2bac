package drills

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// Kinds of the checks drill check records for each restore.
const (
	CheckBackupExists = "backup-exists"
	CheckBackupAge    = "backup-age"
	CheckBackupSize   = "backup-size"
	CheckBackupFormat = "backup-format"
)

// SandboxNone is the sandbox kind of a check's record: nothing is restored.
const SandboxNone = "none"

// CheckOptions configure Check.
type CheckOptions struct {
	// RunID names the check; empty means a new one.
	RunID string
	// Methods builds the restore method that inspects each backup.
	Methods func(r scenarios.Restore) (restore.Method, error)
	// Readable reads a whole backup to prove it can be restored. Nil
	// leaves it at the method's Inspect (the header).
	Readable func(ctx context.Context, r scenarios.Restore, art *source.Artifact) error
	// MaxAge is the oldest a newest backup may be. Zero takes the scenario's
	// RPO objective, else its cadence; without either, age is not judged.
	MaxAge time.Duration
	// MinBytes is the smallest a backup may be. Defaults to 1: an empty
	// backup is the classic silent failure.
	MinBytes int64
	// Timeout bounds the whole check. Defaults to 10 minutes.
	Timeout time.Duration
	// Progress receives lines for people. Nil discards.
	Progress io.Writer
	// DrillVersion and Host are recorded.
	DrillVersion string
	Host         string
}

// Check proves, without restoring anything, that each restore of sc has a
// backup that a drill could use: the newest backup exists, is young enough,
// is not too small, and reads whole. It is the nightly job between drills.
// The record has one check per question and restore; nothing is stored.
func Check(ctx context.Context, sc *scenarios.Scenario, opts CheckOptions) *results.Record {
	if opts.MinBytes <= 0 {
		opts.MinBytes = 1
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	start := time.Now()
	if opts.RunID == "" {
		opts.RunID = NewRunID(start)
	}
	rec := newRecord(sc, Options{RunID: opts.RunID, SandboxKind: SandboxNone, DrillVersion: opts.DrillVersion, Host: opts.Host}, start)
	rec.Checks = []results.Check{}
	// Nothing is recovered, so no RTO or data loss is judged; the RPO
	// objective shows as the age limit instead.
	rec.Objectives = results.Objectives{}
	runCtx, cancel := context.WithTimeoutCause(ctx, opts.Timeout, fmt.Errorf("check timed out after %s", opts.Timeout))
	defer cancel()
	c := &backupCheck{sc: sc, opts: opts, rec: rec, start: start, prog: &progress{w: opts.Progress, heartbeat: 30 * time.Second},
		ctxs: contexts{caller: ctx, run: runCtx}, verdict: results.Passed}
	c.prog.printf("drill check %s: %d backup(s), nothing restored", sc.Name, len(sc.Restores))
	for i := range sc.Restores {
		c.restore(runCtx, i)
	}
	c.finish()
	return rec
}

type backupCheck struct {
	sc      *scenarios.Scenario
	opts    CheckOptions
	rec     *results.Record
	start   time.Time
	prog    *progress
	ctxs    contexts
	verdict results.Outcome
	reason  string
}

// maxAge is the age limit of the day and where it comes from.
func (c *backupCheck) maxAge() (time.Duration, string) {
	switch {
	case c.opts.MaxAge > 0:
		return c.opts.MaxAge, "--max-age"
	case c.sc.Objectives.RPO > 0:
		return c.sc.Objectives.RPO, "the RPO objective"
	case c.sc.Cadence.Interval > 0:
		return c.sc.Cadence.Interval, "the cadence"
	}
	return 0, ""
}

// restore checks restore i's newest backup.
func (c *backupCheck) restore(ctx context.Context, i int) {
	r := c.sc.Restores[i]
	rr := &c.rec.Restores[i]
	rr.Message = "not restored: drill check reads the backup only"
	stepStart := time.Now()
	done := c.prog.start("check/"+r.Name, r.Source.String())

	// Always the newest: the nightly question is whether the latest backup
	// is good, whatever backup a drill would pick at random.
	src := r.Source
	src.Pick = scenarios.Pick{Rule: scenarios.PickNewest, Pattern: src.Pick.Pattern}
	m, err := c.opts.Methods(r)
	var art *source.Artifact
	if err == nil {
		// For a physical backup: the newest finished one, its WAL complete.
		art, err = findBackup(ctx, m, src)
	}
	if err != nil {
		c.add(r.Name, CheckBackupExists, "a backup", "", err)
		c.skip(r.Name, "not checked: there is no backup", CheckBackupAge, CheckBackupSize, CheckBackupFormat)
		c.end(done, r.Name, stepStart)
		return
	}
	a := &rr.Archive
	a.Path, a.Bytes, a.ModTime = art.Name(), art.Bytes, art.ModTime.UTC()
	if o := art.Object; o != nil {
		a.Bucket, a.Key, a.ETag = o.Bucket, o.Key, o.ETag
	}
	c.add(r.Name, CheckBackupExists, "a backup", art.Name(), nil)

	age := c.start.Sub(art.ModTime)
	if old := c.rec.RPO.BackupAgeSeconds; old == nil || age.Seconds() > *old {
		c.rec.RPO.BackupAgeSeconds = seconds(age)
	}
	if limit, from := c.maxAge(); limit > 0 {
		var err error
		if age > limit {
			err = fmt.Errorf("the newest backup is %s old, older than %s (%s) by %s: is the backup job running?",
				results.FormatDuration(age), results.FormatDuration(limit), from, results.FormatDuration(age-limit))
		}
		c.add(r.Name, CheckBackupAge, "<= "+results.FormatDuration(limit), results.FormatDuration(age), err)
	} else {
		c.skip(r.Name, "no age limit: set objectives.rpo, a cadence, or --max-age", CheckBackupAge)
	}

	var sizeErr error
	if art.Bytes < c.opts.MinBytes {
		sizeErr = fmt.Errorf("the newest backup %s is %d bytes, below the minimum of %d: the backup job wrote nothing useful", art.Name(), art.Bytes, c.opts.MinBytes)
	}
	c.add(r.Name, CheckBackupSize, fmt.Sprintf(">= %d bytes", c.opts.MinBytes), fmt.Sprintf("%d bytes", art.Bytes), sizeErr)

	format, err := c.readable(ctx, r, m, art)
	a.Path, a.SHA256 = art.Name(), art.SHA256
	if format.Format != "" {
		a.Format, a.DumpedBy, a.DumpedFrom = format.Format, format.DumpedBy, format.DumpedFrom
	}
	c.add(r.Name, CheckBackupFormat, "a readable backup", format.Format, err)
	c.end(done, r.Name, stepStart)
}

// readable inspects the backup and reads it whole, downloading it first
// when it is an object. The download is removed before returning.
func (c *backupCheck) readable(ctx context.Context, r scenarios.Restore, m restore.Method, art *source.Artifact) (restore.Inspection, error) {
	if !isLocator(m) && art.Object != nil {
		dir, err := os.MkdirTemp("", "drill-"+c.opts.RunID+"-download-")
		if err != nil {
			return restore.Inspection{}, fault.Infra(fmt.Errorf("make a directory for the download: %w", err))
		}
		defer os.RemoveAll(dir)
		if err := source.Fetch(ctx, r.Source, art, dir, nil); err != nil {
			return restore.Inspection{}, err
		}
	}
	insp, err := m.Inspect(ctx, art)
	if err != nil || c.opts.Readable == nil {
		return insp, err
	}
	return insp, c.opts.Readable(ctx, r, art)
}

// add records one check of restore name; err nil means it passed.
func (c *backupCheck) add(name, kind, expected, observed string, err error) {
	chk := results.Check{Name: name + "-" + kind, Kind: kind, Restore: name, Expected: expected, Observed: observed,
		Outcome: classify(err, c.ctxs)}
	if err != nil {
		chk.Message = stepMessage(err, c.ctxs)
		c.fail(chk.Outcome, fmt.Sprintf("%s: %s", chk.Name, chk.Message))
	} else {
		at := time.Now().UTC()
		chk.PassedAt = &at
	}
	c.rec.Checks = append(c.rec.Checks, chk)
	if err != nil {
		c.prog.printf("    %s %s: %s", marks[chk.Outcome], chk.Name, chk.Message)
	} else {
		c.prog.printf("    %s %s: %s", marks[chk.Outcome], chk.Name, observed)
	}
}

// skip records checks that could not be made, and why.
func (c *backupCheck) skip(name, why string, kinds ...string) {
	for _, kind := range kinds {
		c.rec.Checks = append(c.rec.Checks, results.Check{Name: name + "-" + kind, Kind: kind, Restore: name, Outcome: results.Skipped, Message: why})
	}
}

func (c *backupCheck) fail(outcome results.Outcome, reason string) {
	if c.reason == "" || severity[outcome] > severity[c.verdict] {
		c.reason = reason
	}
	c.verdict = worse(c.verdict, outcome)
	c.rec.Findings = append(c.rec.Findings, reason)
}

// end closes the progress step of restore name with the worst outcome of
// its checks.
func (c *backupCheck) end(done func(results.Outcome, time.Duration, string), name string, started time.Time) {
	outcome := results.Passed
	for _, chk := range c.rec.Checks {
		if chk.Restore == name {
			outcome = worse(outcome, chk.Outcome)
		}
	}
	done(outcome, time.Since(started), "")
}

func (c *backupCheck) finish() {
	end := time.Now().UTC()
	c.rec.FinishedAt = &end
	c.rec.Outcome, c.rec.Reason = c.verdict, c.reason
	line := fmt.Sprintf("%s %s", c.sc.Name, c.verdict)
	if c.reason != "" {
		line += ": " + c.reason
	}
	c.prog.printf("%s", line)
}
