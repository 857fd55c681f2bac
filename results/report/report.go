package report

import (
	"slices"
	"time"

	"github.com/restore-drill/drill/results"
)

// Options tune a trend report. The zero value is usable: now, a 20 %
// regression threshold, a window of 10 previous runs.
type Options struct {
	// Now is the moment overdue drills are judged against; zero means now.
	Now time.Time
	// RegressionThreshold is how far above the median of the previous runs
	// the latest RTO may rise before it is a regression, as a fraction
	// (0.2 = 20 %). Zero means 0.2.
	RegressionThreshold float64
	// RegressionWindow is how many previous runs the median is taken over;
	// a window follows the data as databases grow. Zero means 10.
	RegressionWindow int
	// ChartRuns is how many of a scenario's newest runs the charts show;
	// the tables and JSON keep every run. Zero means 120.
	ChartRuns int
	// BackupRuns is how many of a scenario's newest runs list the backups
	// they used. Zero means 10.
	BackupRuns int
	// Cadences gives a scenario's cadence from its scenario file, which wins
	// over the cadence its records were written with.
	Cadences map[string]string
	// Scenarios are scenarios to report even when they have no records yet
	// (a drill that never ran is overdue).
	Scenarios []string
}

func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.RegressionThreshold == 0 {
		o.RegressionThreshold = 0.2
	}
	if o.RegressionWindow == 0 {
		o.RegressionWindow = 10
	}
	if o.ChartRuns == 0 {
		o.ChartRuns = 120
	}
	if o.BackupRuns == 0 {
		o.BackupRuns = 10
	}
	return o
}

// Report is the trend report over a history of runs.
type Report struct {
	GeneratedAt         time.Time  `json:"generatedAt"`
	RegressionThreshold float64    `json:"regressionThreshold"`
	RegressionWindow    int        `json:"regressionWindow"`
	Records             int        `json:"records"`
	Scenarios           []Scenario `json:"scenarios"`
	// chartRuns is kept for the renderers; it is not part of the JSON.
	chartRuns int
}

// Scenario is everything the report says about one scenario.
type Scenario struct {
	Name    string `json:"name"`
	Cadence string `json:"cadence,omitempty"`
	Runs    int    `json:"runs"`
	Passed  int    `json:"passed"`
	// LastRun is the newest run, whatever its outcome.
	LastRun *RunRef `json:"lastRun,omitempty"`
	// LastPassed is the newest run that passed.
	LastPassed *RunRef `json:"lastPassed,omitempty"`
	// Due is when the next passing run is due: the last passed run plus the
	// cadence. Nil without a cadence, or when no run ever passed.
	Due *time.Time `json:"due,omitempty"`
	// Overdue is set when a cadence is known and the last passed run is older
	// than it, or no run ever passed.
	Overdue bool `json:"overdue"`
	// OverdueSeconds is how long past Due it is; 0 when not overdue or never
	// passed.
	OverdueSeconds float64     `json:"overdueSeconds,omitempty"`
	Regression     *Regression `json:"regression,omitempty"`
	// History is every run, oldest first.
	History []Point `json:"history"`
	// Waterfall is the phase breakdown of the newest finished run.
	Waterfall *Waterfall `json:"waterfall,omitempty"`
	// PhaseCosts are the phases of the newest runs that recovered (up to the
	// regression window), costliest first.
	PhaseCosts []PhaseCost `json:"phaseCosts,omitempty"`
	// Backups are the backups the newest runs used, newest run first.
	Backups []BackupUse `json:"backups,omitempty"`
	// CadenceError says why the cadence could not be read, when it could not.
	CadenceError string `json:"cadenceError,omitempty"`
}

// RunRef names one run.
type RunRef struct {
	RunID     string          `json:"runId"`
	StartedAt time.Time       `json:"startedAt"`
	Outcome   results.Outcome `json:"outcome"`
}

// Point is one run in a scenario's history.
type Point struct {
	RunID            string          `json:"runId"`
	StartedAt        time.Time       `json:"startedAt"`
	Outcome          results.Outcome `json:"outcome"`
	RTOSeconds       *float64        `json:"rtoSeconds"`
	BackupAgeSeconds *float64        `json:"backupAgeSeconds"`
	DataLossSeconds  *float64        `json:"dataLossSeconds"`
	RTOObjective     *float64        `json:"rtoObjectiveSeconds,omitempty"`
	RPOObjective     *float64        `json:"rpoObjectiveSeconds,omitempty"`
}

// Regression is a latest RTO clearly above the recent median.
type Regression struct {
	RunID         string  `json:"runId"`
	LatestSeconds float64 `json:"latestSeconds"`
	MedianSeconds float64 `json:"medianSeconds"`
	// Ratio is latest / median.
	Ratio float64 `json:"ratio"`
	// Runs is how many previous runs the median was taken over.
	Runs int `json:"runs"`
}

// BackupUse is one backup a run restored.
type BackupUse struct {
	RunID     string    `json:"runId"`
	StartedAt time.Time `json:"startedAt"`
	Restore   string    `json:"restore"`
	Path      string    `json:"path"`
	Format    string    `json:"format,omitempty"`
	Bytes     int64     `json:"bytes"`
	SHA256    string    `json:"sha256,omitempty"`
	ModTime   time.Time `json:"modTime"`
}

// Build computes the trend report over records of any number of scenarios,
// in any order. Records still running are counted in the history but never
// judged.
func Build(records []*results.Record, opts Options) *Report {
	opts = opts.withDefaults()
	byScenario := map[string][]*results.Record{}
	for _, name := range opts.Scenarios {
		byScenario[name] = nil
	}
	for _, r := range records {
		byScenario[r.Scenario] = append(byScenario[r.Scenario], r)
	}
	names := make([]string, 0, len(byScenario))
	for name := range byScenario {
		names = append(names, name)
	}
	slices.Sort(names)
	rep := &Report{
		GeneratedAt:         opts.Now.UTC(),
		RegressionThreshold: opts.RegressionThreshold,
		RegressionWindow:    opts.RegressionWindow,
		Records:             len(records),
		chartRuns:           opts.ChartRuns,
	}
	for _, name := range names {
		runs := byScenario[name]
		slices.SortStableFunc(runs, func(a, b *results.Record) int { return a.StartedAt.Compare(b.StartedAt) })
		rep.Scenarios = append(rep.Scenarios, buildScenario(name, runs, opts))
	}
	return rep
}

func buildScenario(name string, runs []*results.Record, opts Options) Scenario {
	s := Scenario{Name: name, Runs: len(runs), History: make([]Point, 0, len(runs))}
	for _, r := range runs {
		s.History = append(s.History, Point{
			RunID:            r.RunID,
			StartedAt:        r.StartedAt.UTC(),
			Outcome:          r.Outcome,
			RTOSeconds:       r.RTOSeconds,
			BackupAgeSeconds: r.RPO.BackupAgeSeconds,
			DataLossSeconds:  r.RPO.DataLossSeconds,
			RTOObjective:     r.Objectives.RTOSeconds,
			RPOObjective:     r.Objectives.RPOSeconds,
		})
		if r.Outcome == results.Passed {
			s.Passed++
			s.LastPassed = ref(r)
		}
		if r.Cadence != "" {
			s.Cadence = r.Cadence
		}
	}
	if c, ok := opts.Cadences[name]; ok && c != "" {
		s.Cadence = c
	}
	if len(runs) > 0 {
		s.LastRun = ref(runs[len(runs)-1])
	}
	judgeOverdue(&s, opts.Now)
	s.Regression = findRegression(runs, opts.RegressionThreshold, opts.RegressionWindow)
	if latest := latestFinished(runs); latest != nil {
		s.Waterfall = BuildWaterfall(latest)
	}
	s.PhaseCosts = phaseCosts(runs, opts.RegressionWindow)
	s.Backups = backupsUsed(runs, opts.BackupRuns)
	return s
}

func ref(r *results.Record) *RunRef {
	return &RunRef{RunID: r.RunID, StartedAt: r.StartedAt.UTC(), Outcome: r.Outcome}
}

// latestFinished is the newest run that is not still running.
func latestFinished(runs []*results.Record) *results.Record {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Outcome != results.Running {
			return runs[i]
		}
	}
	return nil
}

func backupsUsed(runs []*results.Record, newest int) []BackupUse {
	var out []BackupUse
	for i := len(runs) - 1; i >= 0 && i >= len(runs)-newest; i-- {
		r := runs[i]
		for _, rs := range r.Restores {
			a := rs.Archive
			out = append(out, BackupUse{
				RunID: r.RunID, StartedAt: r.StartedAt.UTC(), Restore: rs.Name,
				Path: a.Path, Format: a.Format, Bytes: a.Bytes, SHA256: a.SHA256, ModTime: a.ModTime.UTC(),
			})
		}
	}
	return out
}
