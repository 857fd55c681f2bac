package results

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the record as GitHub-flavoured Markdown, for a GitHub
// Actions step summary: a heading with the outcome, the objectives, and
// tables of restores, checks and phases.
func WriteMarkdown(w io.Writer, r *Record) error {
	p := &printer{w: w}
	p.line("## %s Drill %s: %s", outcomeMark(r.Outcome), mdCode(r.Scenario), strings.ToUpper(string(r.Outcome)))
	p.line("")
	if r.Reason != "" {
		p.line("**%s**", mdText(r.Reason))
		p.line("")
	}
	started := "started " + formatTime(r.StartedAt)
	if d := runSeconds(r); d != nil {
		started += ", took " + formatSeconds(*d)
	}
	p.line("Run %s, %s, sandbox %s.", mdCode(r.RunID), started, mdText(sandboxText(r.Sandbox)))
	p.line("")

	p.line("| Objective | Measured | Target | Result |")
	p.line("|---|---|---|---|")
	p.mdObjective("RTO", formatOptSeconds(r.RTOSeconds, "not recovered"), r.RTOSeconds, r.Objectives.RTOSeconds)
	p.mdObjective("RPO: backup age", formatOptSeconds(r.RPO.BackupAgeSeconds, "not measured"), r.RPO.BackupAgeSeconds, r.Objectives.RPOSeconds)
	p.mdObjective("RPO: data loss", formatOptSeconds(r.RPO.DataLossSeconds, "not measured"), r.RPO.DataLossSeconds, r.Objectives.RPOSeconds)

	if len(r.Apps) > 0 {
		p.line("")
		p.line("### Apps")
		p.line("")
		p.line("| App | Outcome | Kind | Revision | Time | Message |")
		p.line("|---|---|---|---|---|---|")
		for _, a := range r.Apps {
			p.line("| %s | %s | %s | %s | %s | %s |", mdText(a.Name), mdOutcome(a.Outcome), mdText(a.Kind),
				mdCode(a.Revision), formatSeconds(a.Seconds), mdText(a.Message))
		}
	}
	if len(r.Restores) > 0 {
		p.line("")
		p.line("### Restores")
		p.line("")
		p.line("| Restore | Outcome | Archive | Format | Size | SHA-256 | Time |")
		p.line("|---|---|---|---|---|---|---|")
		for _, rs := range r.Restores {
			p.line("| %s | %s | %s | %s | %s | %s | %s |", mdText(rs.Name), mdOutcome(rs.Outcome),
				mdCode(rs.Archive.Path), mdText(rs.Archive.Format), humanBytes(rs.Archive.Bytes),
				mdCode(shortSHA(rs.Archive.SHA256)), formatSeconds(rs.Seconds))
		}
	}
	if len(r.Checks) > 0 {
		p.line("")
		p.line("### Checks")
		p.line("")
		p.line("| Check | Outcome | Expected | Observed | Time | Message |")
		p.line("|---|---|---|---|---|---|")
		for _, c := range r.Checks {
			p.line("| %s | %s | %s | %s | %s | %s |", mdText(c.Name), mdOutcome(c.Outcome),
				mdCode(c.Expected), mdCode(c.Observed), formatSeconds(c.Seconds), mdText(c.Message))
		}
	}
	if len(r.Phases) > 0 {
		p.line("")
		p.line("### Phases")
		p.line("")
		p.line("| Phase | Outcome | Time | Message |")
		p.line("|---|---|---|---|")
		for _, ph := range r.Phases {
			p.line("| %s | %s | %s | %s |", mdText(ph.Name), mdOutcome(ph.Outcome), formatSeconds(ph.Seconds), mdText(ph.Message))
		}
	}
	if len(r.CriticalPath) > 0 {
		steps := make([]string, len(r.CriticalPath))
		for i, s := range r.CriticalPath {
			steps[i] = mdCode(s)
		}
		p.line("")
		p.line("Critical path (the steps that decided the RTO): %s", strings.Join(steps, " → "))
	}
	if len(r.Findings) > 0 {
		p.line("")
		p.line("### Findings")
		p.line("")
		for _, f := range r.Findings {
			p.line("- %s", mdText(f))
		}
	}
	if len(r.Diagnostics) > 0 {
		p.line("")
		p.line("### Diagnostics")
		p.line("")
		for _, f := range r.Diagnostics {
			p.line("- %s", mdCode(f))
		}
	}
	if p.err != nil {
		return fmt.Errorf("write Markdown summary of run %s: %w", r.RunID, p.err)
	}
	return nil
}

func (p *printer) mdObjective(name, measured string, value, objective *float64) {
	target := "none"
	if objective != nil {
		target = formatSeconds(*objective)
	}
	p.line("| %s | %s | %s | %s |", name, measured, target, judge(value, objective))
}

// sandboxText prefers the description, which names the kind already.
func sandboxText(s Sandbox) string {
	text := s.Description
	if text == "" {
		text = s.Kind
	}
	if s.Retained {
		text += " (retained)"
	}
	return text
}

// outcomeMark lets a reader of a long list of summaries spot failures.
func outcomeMark(o Outcome) string {
	switch o {
	case Passed:
		return "✅"
	case Skipped:
		return "⏭️"
	case Running:
		return "⏳"
	default:
		return "❌"
	}
}

func mdOutcome(o Outcome) string {
	return outcomeMark(o) + " " + string(o)
}

// mdEscaper makes text safe in a table cell: a pipe would end the cell, a
// line break the row, '<' could open an HTML tag, and the rest would start
// emphasis, code or links.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes free text (names, messages) for a table cell or list item.
func mdText(s string) string {
	return mdEscaper.Replace(strings.TrimRight(s, "\r\n"))
}

// mdCode shows a value (a path, a query result) literally in a code span.
// Inside a table GitHub still splits cells on '|', so pipes keep their
// backslash, which is not shown. The fence is longer than any run of
// backticks in the value.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
