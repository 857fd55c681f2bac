package results

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the summary a person reads at the end of a run: the
// outcome, the objectives, and the evidence for each restore, check and
// phase. It writes no colour codes; a caller that wants colour adds it.
func WriteText(w io.Writer, r *Record) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := &printer{w: tw}
	p.header(r)
	p.objectives(r)
	p.apps(r.Apps)
	p.restores(r.Restores)
	p.checks(r.Checks)
	p.phases(r.Phases)
	p.criticalPath(r.CriticalPath)
	p.findings(r.Findings)
	p.diagnostics(r.Diagnostics)
	if p.err != nil {
		return fmt.Errorf("write summary of run %s: %w", r.RunID, p.err)
	}
	return tw.Flush()
}

// printer keeps the first write error so that the layout code reads as a
// list of lines.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *printer) header(r *Record) {
	p.line("Drill %s: %s", r.Scenario, strings.ToUpper(string(r.Outcome)))
	if r.Reason != "" {
		p.line("  reason\t%s", oneLine(r.Reason))
	}
	p.line("  run\t%s", r.RunID)
	if d := runSeconds(r); d != nil {
		p.line("  started\t%s, took %s", formatTime(r.StartedAt), formatSeconds(*d))
	} else {
		p.line("  started\t%s, not finished", formatTime(r.StartedAt))
	}
	p.line("  sandbox\t%s", sandboxText(r.Sandbox))
}

func (p *printer) objectives(r *Record) {
	p.line("")
	p.line("Objectives")
	p.line("  RTO\t%s\t%s", formatOptSeconds(r.RTOSeconds, "not recovered"), objectiveText(r.RTOSeconds, r.Objectives.RTOSeconds))
	p.line("  RPO backup age\t%s\t%s", formatOptSeconds(r.RPO.BackupAgeSeconds, "not measured"), objectiveText(r.RPO.BackupAgeSeconds, r.Objectives.RPOSeconds))
	loss := formatOptSeconds(r.RPO.DataLossSeconds, "not measured")
	if r.RPO.NewestData != nil {
		loss += " (newest data " + formatTime(*r.RPO.NewestData) + ")"
	}
	p.line("  RPO data loss\t%s\t%s", loss, objectiveText(r.RPO.DataLossSeconds, r.Objectives.RPOSeconds))
}

func objectiveText(measured, objective *float64) string {
	if objective == nil {
		return "no objective"
	}
	return "objective " + formatSeconds(*objective) + ", " + judge(measured, objective)
}

func (p *printer) apps(apps []App) {
	if len(apps) == 0 {
		return
	}
	p.line("")
	p.line("Apps")
	for _, a := range apps {
		p.line("  %s	%s	%s", a.Name, a.Outcome, formatSeconds(a.Seconds))
		facts := a.Kind
		if a.Revision != "" {
			facts += ", revision " + a.Revision
		}
		if a.ReadyAt != nil {
			facts += ", ready " + formatTime(*a.ReadyAt)
		}
		p.line("    \t%s", facts)
		if a.Message != "" {
			p.line("    message\t%s", oneLine(a.Message))
		}
	}
}

func (p *printer) diagnostics(files []string) {
	if len(files) == 0 {
		return
	}
	p.line("")
	p.line("Diagnostics (in the results directory)")
	for _, f := range files {
		p.line("  %s", f)
	}
}

func (p *printer) restores(restores []Restore) {
	if len(restores) == 0 {
		return
	}
	p.line("")
	p.line("Restores")
	for _, rs := range restores {
		p.line("  %s\t%s\t%s", rs.Name, rs.Outcome, formatSeconds(rs.Seconds))
		p.line("    archive\t%s", rs.Archive.Path)
		p.line("    \t%s", archiveFacts(rs.Archive))
		if into := restoreTarget(rs); into != "" {
			p.line("    into\t%s", into)
		}
		if rs.Message != "" {
			p.line("    message\t%s", oneLine(rs.Message))
		}
	}
}

// archiveFacts is what identifies an archive at a glance.
func archiveFacts(a Archive) string {
	facts := []string{}
	if a.Format != "" {
		facts = append(facts, a.Format)
	}
	facts = append(facts, humanBytes(a.Bytes))
	if a.SHA256 != "" {
		facts = append(facts, "sha256 "+shortSHA(a.SHA256))
	}
	if !a.ModTime.IsZero() {
		facts = append(facts, "modified "+formatTime(a.ModTime))
	}
	return strings.Join(facts, ", ")
}

func restoreTarget(rs Restore) string {
	var parts []string
	if rs.Database != "" {
		parts = append(parts, "database "+rs.Database)
	}
	if rs.Method != "" {
		parts = append(parts, "method "+rs.Method)
	}
	if rs.Jobs > 0 {
		parts = append(parts, fmt.Sprintf("%d jobs", rs.Jobs))
	}
	return strings.Join(parts, ", ")
}

func (p *printer) checks(checks []Check) {
	if len(checks) == 0 {
		return
	}
	p.line("")
	p.line("Checks")
	for _, c := range checks {
		p.line("  %s\t%s\t%s", c.Name, c.Outcome, formatSeconds(c.Seconds))
		if c.Expected != "" {
			p.line("    expected\t%s", oneLine(c.Expected))
		}
		if c.Observed != "" {
			p.line("    observed\t%s", oneLine(c.Observed))
		}
		if c.Message != "" {
			p.line("    message\t%s", oneLine(c.Message))
		}
	}
}

func (p *printer) phases(phases []Phase) {
	if len(phases) == 0 {
		return
	}
	p.line("")
	p.line("Phases")
	for _, ph := range phases {
		msg := ""
		if ph.Message != "" {
			msg = "\t" + oneLine(ph.Message)
		}
		p.line("  %s\t%s\t%s%s", ph.Name, ph.Outcome, formatSeconds(ph.Seconds), msg)
	}
}

// criticalPath is the chain of steps that decided the RTO, on one line.
func (p *printer) criticalPath(path []string) {
	if len(path) == 0 {
		return
	}
	p.line("")
	p.line("Critical path: %s", strings.Join(path, " → "))
}

func (p *printer) findings(findings []string) {
	if len(findings) == 0 {
		return
	}
	p.line("")
	p.line("Findings")
	for _, f := range findings {
		p.line("  - %s", oneLine(f))
	}
}

// lineBreaks turns line breaks and tabs into spaces; tabs would also upset
// the column layout.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// oneLine keeps a multi-line message (PostgreSQL's DETAIL and HINT lines)
// on the line it belongs to. Other spaces are kept: an observed value is
// shown as it came.
func oneLine(s string) string {
	return lineBreaks.Replace(strings.TrimRight(s, "\r\n"))
}
