package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/restore-drill/drill/results"
)

// WriteExerciseMarkdown writes the exercise report as Markdown.
func WriteExerciseMarkdown(w io.Writer, e *Exercise) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	md, code := results.MarkdownText, results.MarkdownCode
	r := e.Record
	line("# %s", md(e.Title))
	line("")
	line("| | |")
	line("|---|---|")
	line("| Scenario | %s |", code(r.Scenario))
	line("| Run | %s |", code(r.RunID))
	line("| Outcome | %s %s |", results.OutcomeMark(r.Outcome), r.Outcome)
	line("| Window | %s |", windowText(e))
	sandbox := r.Sandbox.Kind
	if r.Sandbox.Description != "" {
		sandbox += ": " + r.Sandbox.Description
	}
	line("| Sandbox | %s |", md(sandbox))
	if r.ScenarioFile != "" {
		line("| Scenario file | %s |", code(r.ScenarioFile))
	}
	line("| drill | %s on %s |", md(r.DrillVersion), md(orDash(r.Host)))
	line("| Report made | %s |", stamp(e.GeneratedAt))
	if r.Reason != "" {
		line("")
		line("**%s**", md(r.Reason))
	}
	line("")
	line("## Scope")
	line("")
	line("Restores of %d backups into a throwaway %s sandbox, proven by %d checks.", len(r.Restores), md(r.Sandbox.Kind), len(r.Checks))
	line("")
	line("## Backups restored")
	line("")
	line("| Restore | Method | Archive | Format | Size | Modified | SHA-256 | Outcome | Time |")
	line("|---|---|---|---|---|---|---|---|---|")
	for _, rs := range r.Restores {
		a := rs.Archive
		line("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", md(rs.Name), md(rs.Method), code(a.Path), md(a.Format),
			results.FormatBytes(a.Bytes), stamp(a.ModTime), code(a.SHA256), rs.Outcome, results.FormatSeconds(rs.Seconds))
	}
	line("")
	line("## Objectives and measured recovery")
	line("")
	line("| | Measured | Objective | Verdict |")
	line("|---|---|---|---|")
	for _, o := range e.Objectives {
		line("| %s | %s | %s | %s |", o.Name, optionalSeconds(o.Measured), optionalSeconds(o.Objective), md(o.Verdict))
	}
	line("")
	line("## Timeline")
	line("")
	line("| At (UTC) | Step | Took | Outcome | Critical | Detail |")
	line("|---|---|---|---|---|---|")
	critical := map[string]bool{}
	for _, s := range e.Waterfall.CriticalPath {
		critical[s] = true
	}
	for _, t := range e.Timeline {
		crit := ""
		if critical[t.Step] {
			crit = "**yes**"
		}
		line("| %s | %s | %s | %s | %s | %s |", t.At.Format("15:04:05.000"), md(t.Step), results.FormatSeconds(t.Seconds), t.Outcome, crit, md(t.Detail))
	}
	line("")
	line("## Checks and evidence")
	line("")
	line("| Check | Kind | Restore | Outcome | Expected | Observed | Message |")
	line("|---|---|---|---|---|---|---|")
	for _, c := range r.Checks {
		line("| %s | %s | %s | %s %s | %s | %s | %s |", md(c.Name), md(c.Kind), md(c.Restore), results.OutcomeMark(c.Outcome), c.Outcome,
			code(c.Expected), code(c.Observed), md(c.Message))
	}
	line("")
	line("## Findings")
	line("")
	if len(r.Findings) == 0 {
		line("None: every restore and check passed and every objective was met.")
	}
	for _, f := range r.Findings {
		line("- %s", md(f))
	}
	line("")
	line("## Participants")
	line("")
	if len(e.Participants) == 0 {
		line("- ______________________")
	}
	for _, p := range e.Participants {
		line("- %s", md(p))
	}
	line("")
	line("## Sign-off")
	line("")
	line("Signed off by: %s    Date: ____________    Signature: ______________________", orBlank(md(e.SignOff)))
	_, err := io.WriteString(w, b.String())
	return err
}

func windowText(e *Exercise) string {
	start, end := e.Window()
	if end == nil {
		return stamp(start) + ", not finished"
	}
	return fmt.Sprintf("%s to %s (%s)", start.Format("2006-01-02 15:04:05"), end.UTC().Format("2006-01-02 15:04:05 UTC"), results.FormatSeconds(end.Sub(start).Seconds()))
}

func orBlank(s string) string {
	if s == "" {
		return "______________________"
	}
	return s
}
