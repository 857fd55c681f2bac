package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/restore-drill/drill/results"
)

// historyRuns is how many of a scenario's newest runs the Markdown report
// lists one by one.
const historyRuns = 10

// stripRuns is how many of a scenario's newest runs the pass/fail line shows.
const stripRuns = 30

// WriteMarkdown writes the trend report as GitHub-flavoured Markdown: the
// summary table, then per scenario the regression and overdue verdicts, the
// newest runs with RTO and RPO against their objectives, the phase
// breakdown of the latest run and the backups it used.
func WriteMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	md, code := results.MarkdownText, results.MarkdownCode
	line("# Recovery trend report")
	line("")
	line("Generated %s from %d run records of %d scenarios. A regression is a latest RTO more than %.0f %% above the median of up to %d previous runs.",
		stamp(rep.GeneratedAt), rep.Records, len(rep.Scenarios), rep.RegressionThreshold*100, rep.RegressionWindow)
	line("")
	line("| Scenario | Cadence | Passed | Last run | Last passed | Due | Latest RTO | Regression |")
	line("|---|---|---|---|---|---|---|---|")
	for _, s := range rep.Scenarios {
		line("| %s | %s | %s | %s | %s | %s | %s | %s |", md(s.Name), md(orDash(s.Cadence)), passRate(s),
			runText(s.LastRun), lastPassedText(s.LastPassed), dueText(s), latestRTOText(s), regressionText(s.Regression))
	}
	for _, s := range rep.Scenarios {
		line("")
		line("## %s", md(s.Name))
		line("")
		if s.Overdue {
			line("**Overdue:** %s", overdueText(s))
			line("")
		}
		if s.Regression != nil {
			r := s.Regression
			line("**RTO regression:** run %s took %s, %.0f %% of the median %s of %d previous runs.",
				code(r.RunID), results.FormatSeconds(r.LatestSeconds), r.Ratio*100, results.FormatSeconds(r.MedianSeconds), r.Runs)
			line("")
		}
		if len(s.History) > 0 {
			var strip strings.Builder
			for _, p := range s.History[max(0, len(s.History)-stripRuns):] {
				strip.WriteString(results.OutcomeMark(p.Outcome))
			}
			line("Pass/fail, oldest first (last %d runs): %s", min(len(s.History), stripRuns), strip.String())
			line("")
			line("| Run | Started | Outcome | RTO | RTO objective | Backup age | Data loss | RPO objective |")
			line("|---|---|---|---|---|---|---|---|")
			for i := len(s.History) - 1; i >= 0 && i >= len(s.History)-historyRuns; i-- {
				p := s.History[i]
				line("| %s | %s | %s %s | %s | %s | %s | %s | %s |", code(p.RunID), stamp(p.StartedAt), results.OutcomeMark(p.Outcome), p.Outcome,
					optionalSeconds(p.RTOSeconds), optionalSeconds(p.RTOObjective),
					optionalSeconds(p.BackupAgeSeconds), optionalSeconds(p.DataLossSeconds), optionalSeconds(p.RPOObjective))
			}
		}
		if len(s.PhaseCosts) > 0 {
			line("")
			line("### Which phase costs the most (median of the last %d runs that recovered)", s.PhaseCosts[0].Runs)
			line("")
			line("| Phase | Median | Share of the RTO |")
			line("|---|---|---|")
			for _, c := range s.PhaseCosts {
				line("| %s | %s | %.0f %% |", md(c.Name), results.FormatSeconds(c.MedianSeconds), c.Share*100)
			}
		}
		if wf := s.Waterfall; wf != nil {
			line("")
			line("### Latest run %s: where the time went", code(wf.RunID))
			line("")
			line("Critical path: %s.", md(strings.Join(wf.CriticalPath, " → ")))
			line("")
			line("| Step | Starts | Takes | Outcome | Critical |")
			line("|---|---|---|---|---|")
			for _, st := range wf.Steps {
				crit := ""
				if st.Critical {
					crit = "**yes**"
				}
				line("| %s | +%s | %s | %s | %s |", md(st.Name), results.FormatSeconds(st.Offset), results.FormatSeconds(st.Seconds), st.Outcome, crit)
			}
		}
		if len(s.Backups) > 0 {
			line("")
			line("### Backups used by the newest runs")
			line("")
			line("| Run | Restore | Archive | Size | Modified | SHA-256 |")
			line("|---|---|---|---|---|---|")
			for _, u := range s.Backups {
				line("| %s | %s | %s | %s | %s | %s |", code(u.RunID), md(u.Restore), code(u.Path), results.FormatBytes(u.Bytes), stamp(u.ModTime), code(shortDigest(u.SHA256)))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
