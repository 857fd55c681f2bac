package report

import (
	"fmt"

	"github.com/go-analyze/charts"

	"github.com/restore-drill/drill/results"
)

// Chart sizes in SVG pixels; the page scales them to its width.
const (
	chartWidth  = 860
	chartHeight = 300
)

var (
	colorRTO       = charts.Color{R: 37, G: 99, B: 235, A: 255}
	colorObjective = charts.Color{R: 220, G: 38, B: 38, A: 255}
	colorBackupAge = charts.Color{R: 217, G: 119, B: 6, A: 255}
	colorDataLoss  = charts.Color{R: 124, G: 58, B: 237, A: 255}
	colorStep      = charts.Color{R: 148, G: 163, B: 184, A: 255}
	colorCritical  = charts.Color{R: 220, G: 38, B: 38, A: 255}
)

// durationAxis prints axis values as durations.
func durationAxis(v float64) string { return results.FormatSeconds(v) }

// svgLineChart draws series over the run dates as an SVG document. Missing
// values (a run that did not recover) are gaps.
func svgLineChart(title string, labels []string, names []string, colors []charts.Color, values [][]float64) (string, error) {
	opt := charts.NewLineChartOptionWithData(values)
	opt.Theme = charts.GetTheme(charts.ThemeLight).WithSeriesColors(colors)
	opt.Title.Text = title
	opt.Title.FontStyle.FontSize = 14
	opt.XAxis.Labels = labels
	opt.XAxis.LabelCount = 5
	opt.XAxis.BoundaryGap = charts.Ptr(false)
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetRight
	opt.YAxis = []charts.YAxisOption{{Min: charts.Ptr(0.0), ValueFormatter: durationAxis}}
	opt.Symbol.Shape = charts.SymbolNone
	opt.LineStrokeWidth = 2
	opt.Padding = charts.NewBox(16, 16, 16, 16)
	return render(func(p *charts.Painter) error { return p.LineChart(opt) }, chartHeight)
}

// svgWaterfall draws the waterfall as stacked horizontal bars: an invisible
// bar up to each step's start, then the step in grey, or red when it is on
// the critical path.
func svgWaterfall(w *Waterfall) (string, error) {
	n := len(w.Steps)
	offsets, plain, critical := make([]float64, n), make([]float64, n), make([]float64, n)
	labels := make([]string, n)
	// Horizontal bar charts draw the first category at the bottom; reverse
	// so that the run reads top to bottom.
	for i, s := range w.Steps {
		j := n - 1 - i
		labels[j] = s.Name
		offsets[j] = s.Offset
		if s.Critical {
			critical[j] = s.Seconds
		} else {
			plain[j] = s.Seconds
		}
	}
	opt := charts.NewBarChartOptionWithData([][]float64{offsets, plain, critical})
	opt.Horizontal = true
	opt.StackSeries = charts.Ptr(true)
	opt.Theme = charts.GetTheme(charts.ThemeLight).WithSeriesColors([]charts.Color{charts.ColorTransparent, colorStep, colorCritical})
	opt.Title.Text = fmt.Sprintf("Phases of run %s (critical path in red)", w.RunID)
	opt.Title.FontStyle.FontSize = 14
	opt.CategoryAxis = charts.CategoryAxisOption{Labels: labels}
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), ValueFormatter: durationAxis}}
	opt.Legend.Show = charts.Ptr(false)
	opt.Padding = charts.NewBox(16, 16, 16, 16)
	height := max(160, 60+26*n)
	return render(func(p *charts.Painter) error { return p.BarChart(opt) }, height)
}

func render(draw func(*charts.Painter) error, height int) (string, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: chartWidth, Height: height})
	if err := draw(p); err != nil {
		return "", fmt.Errorf("draw chart: %w", err)
	}
	b, err := p.Bytes()
	if err != nil {
		return "", fmt.Errorf("render chart as SVG: %w", err)
	}
	return string(b), nil
}
