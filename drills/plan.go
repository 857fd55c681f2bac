package drills

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// Plan is what a run would do, worked out without touching anything: no
// sandbox is created, no backup is restored, nothing is written.
type Plan struct {
	Scenario   string         `json:"scenario"`
	File       string         `json:"file,omitempty"`
	Cadence    string         `json:"cadence,omitempty"`
	Objectives PlanObjectives `json:"objectives"`
	Timeout    string         `json:"timeout"`
	Sandbox    PlanSandbox    `json:"sandbox"`
	Phases     []PlanPhase    `json:"phases"`
	Apps       []PlannedApp   `json:"apps,omitempty"`
	// Bootstrap is a rebuild's bootstrap: Argo CD, repositories, the root
	// and its children by wave.
	Bootstrap *PlannedBootstrap `json:"bootstrap,omitempty"`
	Restores  []PlannedRestore  `json:"restores"`
	Checks    []PlannedCheck    `json:"checks"`
	// Problems are what would make the run fail or not start.
	Problems []string `json:"problems,omitempty"`
	errs     []error
}

// Err joins the errors behind Problems, keeping their marks (fault.Infra),
// so the caller can exit as the run would. Nil when there are none.
func (p *Plan) Err() error { return errors.Join(p.errs...) }

func (p *Plan) problem(prefix string, err error) {
	p.Problems = append(p.Problems, prefix+err.Error())
	p.errs = append(p.errs, err)
}

// PlanObjectives are the targets as written, "" when absent.
type PlanObjectives struct {
	RTO string `json:"rto,omitempty"`
	RPO string `json:"rpo,omitempty"`
}

// PlanSandbox says what the sandbox would be.
type PlanSandbox struct {
	Kind        string `json:"kind"`
	Description string `json:"description,omitempty"`
}

// PlanPhase is one step of the run, in order.
type PlanPhase struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// PlannedRestore is a restore and the backup it would use.
type PlannedRestore struct {
	Name      string          `json:"name"`
	Method    string          `json:"method"`
	Database  string          `json:"database,omitempty"`
	Archive   results.Archive `json:"archive"`
	Jobs      int             `json:"jobs,omitempty"`
	BackupAge string          `json:"backupAge,omitempty"`
	Notes     []string        `json:"notes,omitempty"`
	Error     string          `json:"error,omitempty"`
}

// PlannedCheck is a check as it would run.
type PlannedCheck struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Restore string `json:"restore,omitempty"`
	Query   string `json:"query,omitempty"`
	// What is what a cluster check reads ("Deployment web"), or what a
	// command check runs.
	What   string `json:"what,omitempty"`
	Expect string `json:"expect,omitempty"`
}

// MakePlan works out the plan of a scenario. describeSandbox says what the
// sandbox would be without creating it. What would make the run fail is
// listed in Plan.Problems.
func MakePlan(ctx context.Context, sc *scenarios.Scenario, methods func(scenarios.Restore) (restore.Method, error), describeSandbox func(*scenarios.Scenario) (string, error)) *Plan {
	p := &Plan{
		Scenario: sc.Name,
		File:     sc.File,
		Cadence:  sc.Cadence.Name,
		Timeout:  results.FormatDuration(sc.Timeout),
		Sandbox:  PlanSandbox{Kind: sc.Sandbox.Kind},
		Phases:   []PlanPhase{{"locate", "find each backup and read what it is"}},
	}
	if sc.Objectives.RTO > 0 {
		p.Objectives.RTO = results.FormatDuration(sc.Objectives.RTO)
	}
	if sc.Objectives.RPO > 0 {
		p.Objectives.RPO = results.FormatDuration(sc.Objectives.RPO)
	}
	desc, err := describeSandbox(sc)
	if err != nil {
		p.problem("sandbox: ", err)
	}
	p.Sandbox.Description = desc
	if sc.Sandbox.Kind == scenarios.SandboxLocal {
		p.Phases = append(p.Phases, PlanPhase{"preflight", "check that the sandbox's PostgreSQL is not older than the backups' and its disk can hold them"})
	}
	p.Phases = append(p.Phases, PlanPhase{"provision", "create the " + sc.Sandbox.Kind + " sandbox"})
	for _, a := range sc.Apps {
		pa := planApp(a)
		p.Apps = append(p.Apps, pa)
		p.Phases = append(p.Phases, PlanPhase{"app/" + a.Name, fmt.Sprintf("bring up %s, ready within %s (all apps at once)", pa.Source, pa.Timeout)})
	}

	now := time.Now()
	for _, r := range sc.Restores {
		pr, err := planRestore(ctx, r, methods, now)
		if err != nil {
			pr.Error = err.Error()
			p.problem("restore "+r.Name+": ", err)
		}
		p.Restores = append(p.Restores, pr)
		desc := fmt.Sprintf("restore %s into %s (all restores run at once)", pr.Archive.Path, restoreTarget(r))
		if !r.Source.Set() {
			desc = fmt.Sprintf("restore with a %s (all restores run at once)", restoreTarget(r))
		}
		p.Phases = append(p.Phases, PlanPhase{"restore/" + r.Name, desc})
	}
	for _, c := range sc.Checks {
		pc := PlannedCheck{Name: c.Name, Kind: c.Kind(), Restore: c.Restore()}
		switch {
		case c.SQL != nil:
			pc.Query = c.SQL.Query
			pc.Expect = c.SQL.Expect
			if c.SQL.Rows != nil {
				pc.Expect = fmt.Sprintf("%d rows", *c.SQL.Rows)
			}
		case c.RPO != nil:
			pc.Query = c.RPO.Query
			pc.Expect = "the newest timestamp in the data (data loss = run start minus it)"
		case c.Command != nil:
			pc.What, pc.Expect = commandCheckWhat(c.Command)
		case c.InCluster():
			pc.What, pc.Expect = clusterCheckWhat(c)
		}
		p.Checks = append(p.Checks, pc)
	}
	p.Phases = append(p.Phases,
		PlanPhase{"verify", fmt.Sprintf("run %d check(s): each sql and rpo check as soon as its restore is done, cluster checks once every app and restore is", len(sc.Checks))},
		PlanPhase{"teardown", "remove the sandbox (not part of the RTO)"})
	return p
}

func planRestore(ctx context.Context, r scenarios.Restore, methods func(scenarios.Restore) (restore.Method, error), now time.Time) (PlannedRestore, error) {
	pr := PlannedRestore{Name: r.Name, Method: r.Method(), Database: databaseOf(r)}
	pr.Archive.Path = r.Source.String()
	m, err := methods(r)
	if err != nil {
		return pr, err
	}
	if !r.Source.Set() {
		insp, err := m.Inspect(ctx, nil)
		pr.Archive.Format, pr.Notes = insp.Format, insp.Notes
		return pr, err
	}
	art, err := findBackup(ctx, m, r.Source)
	if err != nil {
		return pr, err
	}
	pr.Archive = results.Archive{Path: art.Name(), Bytes: art.Bytes, ModTime: art.ModTime.UTC()}
	pr.BackupAge = results.FormatDuration(now.Sub(art.ModTime))
	if o := art.Object; o != nil && !isLocator(m) {
		// A plan touches nothing: the object is not downloaded, so its
		// content is read only when the run starts.
		pr.Archive.Bucket, pr.Archive.Key, pr.Archive.ETag = o.Bucket, o.Key, o.ETag
		pr.Notes = append(pr.Notes, "the object is downloaded when the run starts; its format is read then")
		return pr, nil
	}
	insp, err := m.Inspect(ctx, art)
	if err != nil {
		return pr, err
	}
	pr.Archive.Format, pr.Archive.DumpedBy, pr.Archive.DumpedFrom = insp.Format, insp.DumpedBy, insp.DumpedFrom
	pr.Jobs = insp.Jobs
	pr.Notes = insp.Notes
	return pr, nil
}

func isLocator(m restore.Method) bool {
	_, ok := m.(restore.Locator)
	return ok
}
