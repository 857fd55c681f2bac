package report

import (
	"slices"
	"time"

	"github.com/restore-drill/drill/results"
)

// ExerciseOptions fill the parts of an exercise report that a record cannot
// know: who took part and who signs it off.
type ExerciseOptions struct {
	// Title heads the report; empty means "Recovery exercise: SCENARIO".
	Title string
	// Participants are the people who took part, "Name (role)".
	Participants []string
	// SignOff names who signs the report off; empty leaves a blank line to
	// sign by hand.
	SignOff string
	// Now is when the report was made; zero means now.
	Now time.Time
}

// Exercise is the auditor-ready record of one run.
type Exercise struct {
	Title        string          `json:"title"`
	GeneratedAt  time.Time       `json:"generatedAt"`
	Record       *results.Record `json:"record"`
	Participants []string        `json:"participants,omitempty"`
	SignOff      string          `json:"signOff,omitempty"`
	// Objectives are the measured values against their targets.
	Objectives []ObjectiveResult `json:"objectives"`
	// Timeline is every phase and check in the order they started.
	Timeline []TimelineEntry `json:"timeline"`
	// Waterfall is the same timeline as offsets, with the critical path.
	Waterfall *Waterfall `json:"waterfall"`
}

// ObjectiveResult is one measured value against its objective.
type ObjectiveResult struct {
	Name      string   `json:"name"`
	Measured  *float64 `json:"measuredSeconds"`
	Objective *float64 `json:"objectiveSeconds,omitempty"`
	Verdict   string   `json:"verdict"`
}

// TimelineEntry is one step at wall-clock time.
type TimelineEntry struct {
	At      time.Time       `json:"at"`
	Step    string          `json:"step"`
	Seconds float64         `json:"seconds"`
	Outcome results.Outcome `json:"outcome"`
	Detail  string          `json:"detail,omitempty"`
}

// BuildExercise assembles the exercise report of one run.
func BuildExercise(r *results.Record, opts ExerciseOptions) *Exercise {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	e := &Exercise{
		Title:        opts.Title,
		GeneratedAt:  opts.Now.UTC(),
		Record:       r,
		Participants: opts.Participants,
		SignOff:      opts.SignOff,
		Waterfall:    BuildWaterfall(r),
	}
	if e.Title == "" {
		e.Title = "Recovery exercise: " + r.Scenario
	}
	e.Objectives = []ObjectiveResult{
		{Name: "RTO", Measured: r.RTOSeconds, Objective: r.Objectives.RTOSeconds, Verdict: results.Judge(r.RTOSeconds, r.Objectives.RTOSeconds)},
		{Name: "RPO: backup age", Measured: r.RPO.BackupAgeSeconds, Objective: r.Objectives.RPOSeconds, Verdict: results.Judge(r.RPO.BackupAgeSeconds, r.Objectives.RPOSeconds)},
		{Name: "RPO: data loss", Measured: r.RPO.DataLossSeconds, Objective: r.Objectives.RPOSeconds, Verdict: results.Judge(r.RPO.DataLossSeconds, r.Objectives.RPOSeconds)},
	}
	for _, p := range r.Phases {
		e.Timeline = append(e.Timeline, TimelineEntry{At: p.Start.UTC(), Step: p.Name, Seconds: p.Seconds, Outcome: p.Outcome, Detail: p.Message})
	}
	for _, c := range r.Checks {
		if c.Outcome == results.Skipped {
			continue
		}
		at := r.StartedAt.Add(time.Duration(checkStart(r, c) * float64(time.Second)))
		e.Timeline = append(e.Timeline, TimelineEntry{At: at.UTC(), Step: "check/" + c.Name, Seconds: c.Seconds, Outcome: c.Outcome, Detail: c.Message})
	}
	slices.SortStableFunc(e.Timeline, func(a, b TimelineEntry) int { return a.At.Compare(b.At) })
	return e
}

// Window is when the exercise ran: its start and, when it finished, its end.
func (e *Exercise) Window() (start time.Time, end *time.Time) {
	return e.Record.StartedAt.UTC(), e.Record.FinishedAt
}
