package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/go-analyze/charts"

	"github.com/restore-drill/drill/results"
)

//go:embed trend.html.tmpl
var trendTemplate string

var funcs = template.FuncMap{
	"seconds":  results.FormatSeconds,
	"optional": optionalSeconds,
	"time":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"bytes":    results.FormatBytes,
	"short":    shortDigest,
	"percent":  func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
	"judge":    results.Judge,
	"passRate": passRate,
	"latestRTO": func(s Scenario) *Point {
		if len(s.History) == 0 {
			return nil
		}
		return &s.History[len(s.History)-1]
	},
}

var trendPage = template.Must(template.New("trend").Funcs(funcs).Parse(trendTemplate))

// scenarioView is a scenario with its charts drawn.
type scenarioView struct {
	Scenario
	RTOChart, RPOChart, WaterfallChart template.HTML
	// Recent is the pass/fail strip: the newest runs, oldest first.
	Recent []Point
}

// WriteHTML writes the trend report as one self-contained HTML page: the
// charts are inline SVG, the styles inline, and nothing is fetched when it
// is viewed.
func WriteHTML(w io.Writer, rep *Report) error {
	views := make([]scenarioView, 0, len(rep.Scenarios))
	for _, s := range rep.Scenarios {
		v, err := viewOf(s, rep.chartRuns)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", s.Name, err)
		}
		views = append(views, v)
	}
	return trendPage.Execute(w, struct {
		*Report
		Views []scenarioView
	}{rep, views})
}

func viewOf(s Scenario, chartRuns int) (scenarioView, error) {
	v := scenarioView{Scenario: s}
	recent := s.History[max(0, len(s.History)-max(chartRuns, 1)):]
	v.Recent = recent
	if len(recent) == 0 {
		return v, nil
	}
	null := charts.GetNullValue()
	value := func(p *float64) float64 {
		if p == nil {
			return null
		}
		return *p
	}
	labels := make([]string, len(recent))
	rto, rtoObj := make([]float64, len(recent)), make([]float64, len(recent))
	age, loss, rpoObj := make([]float64, len(recent)), make([]float64, len(recent)), make([]float64, len(recent))
	for i, p := range recent {
		labels[i] = p.StartedAt.Format("2006-01-02")
		rto[i], rtoObj[i] = value(p.RTOSeconds), value(p.RTOObjective)
		age[i], loss[i], rpoObj[i] = value(p.BackupAgeSeconds), value(p.DataLossSeconds), value(p.RPOObjective)
	}
	svg, err := svgLineChart("RTO per run", labels, []string{"RTO", "RTO objective"},
		[]charts.Color{colorRTO, colorObjective}, [][]float64{rto, rtoObj})
	if err != nil {
		return v, err
	}
	v.RTOChart = template.HTML(svg) // #nosec G203 -- SVG from the chart library, which escapes its text
	svg, err = svgLineChart("RPO per run", labels, []string{"backup age", "data loss", "RPO objective"},
		[]charts.Color{colorBackupAge, colorDataLoss, colorObjective}, [][]float64{age, loss, rpoObj})
	if err != nil {
		return v, err
	}
	v.RPOChart = template.HTML(svg) // #nosec G203 -- as above
	if s.Waterfall != nil && len(s.Waterfall.Steps) > 0 {
		svg, err = svgWaterfall(s.Waterfall)
		if err != nil {
			return v, err
		}
		v.WaterfallChart = template.HTML(svg) // #nosec G203 -- as above
	}
	return v, nil
}

func optionalSeconds(p *float64) string {
	if p == nil {
		return "—"
	}
	return results.FormatSeconds(*p)
}

func shortDigest(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func passRate(s Scenario) string {
	if s.Runs == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d", s.Passed, s.Runs)
}
