package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/restore-drill/drill/results"
)

// WriteJSON writes the report as indented JSON, for other tools.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func runText(r *RunRef) string {
	if r == nil {
		return "never"
	}
	return fmt.Sprintf("%s %s %s", results.OutcomeMark(r.Outcome), r.Outcome, stamp(r.StartedAt))
}

func lastPassedText(r *RunRef) string {
	if r == nil {
		return "never"
	}
	return stamp(r.StartedAt)
}

func dueText(s Scenario) string {
	switch {
	case s.Overdue && s.OverdueSeconds > 0:
		return "**overdue** by " + results.FormatSeconds(s.OverdueSeconds)
	case s.Overdue:
		return "**overdue**"
	case s.Due != nil:
		return stamp(*s.Due)
	}
	return "—"
}

func overdueText(s Scenario) string {
	if s.LastPassed == nil {
		return "no run ever passed."
	}
	return fmt.Sprintf("the last passed run started %s; with cadence %s the next was due %s.", stamp(s.LastPassed.StartedAt), s.Cadence, stamp(*s.Due))
}

func latestRTOText(s Scenario) string {
	if len(s.History) == 0 {
		return "—"
	}
	p := s.History[len(s.History)-1]
	return fmt.Sprintf("%s (%s)", optionalSeconds(p.RTOSeconds), results.Judge(p.RTOSeconds, p.RTOObjective))
}

func regressionText(r *Regression) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("**%s vs median %s**", results.FormatSeconds(r.LatestSeconds), results.FormatSeconds(r.MedianSeconds))
}
