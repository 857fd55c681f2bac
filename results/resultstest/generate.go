package resultstest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/restore-drill/drill/results"
)

// Scenario describes one generated drill: how often it runs, how long its
// restore takes, and its objectives.
type Scenario struct {
	Name      string
	Cadence   string
	Interval  time.Duration
	Restores  []string
	RestoreS  float64 // typical restore time in seconds
	RTOTarget float64
	RPOTarget float64
}

// Scenarios are three drills of a typical platform team: a daily identity
// database, a weekly GitLab restore and a monthly billing restore.
var Scenarios = []Scenario{
	{Name: "identity-daily", Cadence: "daily", Interval: 24 * time.Hour, Restores: []string{"authentik"}, RestoreS: 40, RTOTarget: 300, RPOTarget: 3600},
	{Name: "gitlab-weekly", Cadence: "weekly", Interval: 7 * 24 * time.Hour, Restores: []string{"gitlab", "registry"}, RestoreS: 420, RTOTarget: 1200, RPOTarget: 86400},
	{Name: "billing-monthly", Cadence: "monthly", Interval: 30 * 24 * time.Hour, Restores: []string{"billing"}, RestoreS: 150, RTOTarget: 600, RPOTarget: 93600},
}

// Generate returns n records spread over the given scenarios (round robin),
// each scenario's runs one cadence interval apart and the newest ending
// before end. The same seed gives the same records. About one run in ten
// fails a check and one in forty cannot provision.
func Generate(seed uint64, n int, scenarios []Scenario, end time.Time) []*results.Record {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	perScenario := make([]int, len(scenarios))
	for i := range n {
		perScenario[i%len(scenarios)]++
	}
	var out []*results.Record
	for si, sc := range scenarios {
		count := perScenario[si]
		for i := range count {
			start := end.Add(-time.Duration(count-i) * sc.Interval).Add(time.Duration(rng.IntN(3600)) * time.Second)
			out = append(out, generateRun(rng, sc, i, start))
		}
	}
	return out
}

func generateRun(rng *rand.Rand, sc Scenario, seq int, start time.Time) *results.Record {
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	r := &results.Record{
		APIVersion:   results.APIVersion,
		Kind:         results.Kind,
		RunID:        fmt.Sprintf("%s-%04d", start.UTC().Format("20060102-150405"), seq),
		Scenario:     sc.Name,
		ScenarioFile: "scenarios/" + sc.Name + ".yaml",
		Labels:       map[string]string{"team": "platform"},
		Cadence:      sc.Cadence,
		DrillVersion: "v0.1.0",
		Host:         "runner-" + fmt.Sprint(1+rng.IntN(3)),
		Sandbox:      results.Sandbox{Kind: "local", Description: "local PostgreSQL 15.18 on 127.0.0.1:4" + fmt.Sprint(1000+rng.IntN(9000))},
		StartedAt:    start,
		Objectives:   results.Objectives{RTOSeconds: ptr(sc.RTOTarget), RPOSeconds: ptr(sc.RPOTarget)},
	}
	locate := 0.01 + rng.Float64()*0.2
	provision := 1.5 + rng.Float64()
	r.Phases = append(r.Phases,
		phase("locate", start, 0, locate, results.Passed),
		phase("provision", start, locate, provision, results.Passed))
	if rng.IntN(40) == 0 {
		r.Phases[1].Outcome = results.Error
		r.Phases[1].Message = "initdb failed: could not create directory: no space left on device"
		r.Outcome = results.Error
		r.Reason = "provision: " + r.Phases[1].Message
		r.FinishedAt = ptr(at(locate + provision))
		return r
	}
	restoresStart := locate + provision
	// Restores slowly get slower as the databases grow.
	growth := 1 + float64(seq)*0.002
	backupAge := sc.RPOTarget * (0.2 + rng.Float64()*0.6)
	var restoresEnd float64
	for i, name := range sc.Restores {
		secs := sc.RestoreS * growth * (0.85 + rng.Float64()*0.3) / float64(i+1)
		restoresEnd = max(restoresEnd, restoresStart+secs)
		size := int64(sc.RestoreS*growth*4e6) / int64(i+1)
		mod := start.Add(-time.Duration(backupAge*(1+0.1*float64(i))) * time.Second)
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", sc.Name, name, seq)))
		r.Restores = append(r.Restores, results.Restore{
			Name:   name,
			Method: "postgres",
			Archive: results.Archive{
				Path:       fmt.Sprintf("/var/backups/%s/%s-%s.dump", name, name, mod.UTC().Format("2006-01-02T1504")),
				Format:     "custom",
				Bytes:      size,
				SHA256:     hex.EncodeToString(sum[:]),
				ModTime:    mod.UTC().Truncate(time.Second),
				DumpedBy:   "15.18",
				DumpedFrom: "15.18",
			},
			Database: name,
			Jobs:     2,
			Seconds:  secs,
			Outcome:  results.Passed,
			Message:  fmt.Sprintf("%s restored", results.FormatBytes(size)),
			Log:      "pg_restore: creating TABLE \"public." + name + "\"\npg_restore: creating INDEX\n",
		})
		if i > 0 {
			// Later restores read their backup from an object store.
			a := &r.Restores[i].Archive
			a.Bucket, a.Key, a.ETag = "backups", strings.TrimPrefix(a.Path, "/var/backups/"), fmt.Sprintf("%x", sum[:16])
			a.Path = "s3://backups/" + a.Key
		}
		r.Phases = append(r.Phases, phase("restore/"+name, start, restoresStart, secs, results.Passed))
	}
	r.RPO.BackupAgeSeconds = ptr(backupAge * (1 + 0.1*float64(len(sc.Restores)-1)))
	dataLoss := backupAge + 60 + rng.Float64()*600
	r.RPO.DataLossSeconds = ptr(dataLoss)
	r.RPO.NewestData = ptr(start.Add(-time.Duration(dataLoss * float64(time.Second))))

	failing := rng.IntN(10) == 0
	verifyEnd := restoresStart
	for i, name := range sc.Restores {
		restoreEnd := restoresStart + r.Restores[i].Seconds
		count := checkAt(r, start, "rows-"+name, name, restoreEnd, 0.05+rng.Float64()*0.3, failing && i == 0, ">= 1000", fmt.Sprint(20000+seq*10))
		newest := checkAt(r, start, "newest-"+name, name, count.end, 0.02+rng.Float64()*0.1, false, "", r.RPO.NewestData.UTC().Format(time.RFC3339))
		verifyEnd = max(verifyEnd, newest.end)
	}
	r.Phases = append(r.Phases, phase("verify", start, restoresStart, verifyEnd-restoresStart, results.Passed))
	if failing {
		r.Phases[len(r.Phases)-1].Outcome = results.Failed
		r.Outcome = results.Failed
		r.Reason = "1 check failed"
		r.Findings = []string{r.Checks[0].Message}
		if seq%2 == 0 {
			// A cluster sandbox keeps what it saw, and may be retained.
			r.Sandbox = results.Sandbox{Kind: "namespace", Description: "namespace drill-" + sc.Name + "-" + fmt.Sprint(seq), Namespace: "drill-" + sc.Name + "-" + fmt.Sprint(seq), Retained: true}
			r.Apps = []results.App{{Name: "web", Kind: "argocd", Outcome: results.Passed, Message: "Synced + Healthy", Seconds: 4.2, Revision: "3f2a9c1", Resources: 4, ReadyAt: ptr(at(restoresStart))}}
			r.Diagnostics = []string{"diagnostics/events.txt", "diagnostics/pods.txt"}
		}
	} else {
		r.Outcome = results.Passed
		r.RecoveredAt = ptr(at(verifyEnd))
		r.RTOSeconds = ptr(verifyEnd)
	}
	linkSteps(r)
	teardown := 0.05 + rng.Float64()*0.3
	r.Phases = append(r.Phases, phase("teardown", start, verifyEnd, teardown, results.Passed))
	if r.Outcome == results.Passed {
		r.CriticalPath = results.CriticalPath(r)
	}
	r.FinishedAt = ptr(at(verifyEnd + teardown))
	return r
}

type span struct{ end float64 }

// checkAt adds one check that starts at offset from (seconds after start).
func checkAt(r *results.Record, start time.Time, name, restore string, from, secs float64, fail bool, expected, observed string) span {
	c := results.Check{Name: name, Kind: "sql", Restore: restore, Outcome: results.Passed, Expected: expected, Observed: observed, Seconds: secs}
	if expected == "" {
		c.Kind = "rpo"
	}
	end := from + secs
	if fail {
		c.Outcome = results.Failed
		c.Observed = "0"
		c.Message = fmt.Sprintf("check %s failed: expected %s, observed 0", name, expected)
	} else {
		c.PassedAt = ptr(start.Add(time.Duration(end * float64(time.Second))))
	}
	r.Checks = append(r.Checks, c)
	return span{end: end}
}

func phase(name string, start time.Time, from, secs float64, o results.Outcome) results.Phase {
	begin := start.Add(time.Duration(from * float64(time.Second)))
	end := begin.Add(time.Duration(secs * float64(time.Second)))
	return results.Phase{Name: name, Start: begin, End: &end, Seconds: secs, Outcome: o}
}

func ptr[T any](v T) *T { return &v }

// linkSteps records what each step waited for, as the engine does:
// provision after locate, restores after provision, each check after its
// restore and the check of that restore before it.
func linkSteps(r *results.Record) {
	for i := range r.Phases {
		switch p := &r.Phases[i]; {
		case p.Name == "provision":
			p.After = []string{"locate"}
		case strings.HasPrefix(p.Name, "restore/"):
			p.After = []string{"provision"}
		}
	}
	prev := map[string]string{}
	for i := range r.Checks {
		c := &r.Checks[i]
		c.After = []string{"restore/" + c.Restore}
		if p, ok := prev[c.Restore]; ok {
			c.After = append(c.After, "check/"+p)
		}
		prev[c.Restore] = c.Name
	}
}
