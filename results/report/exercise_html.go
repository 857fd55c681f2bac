package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed exercise.html.tmpl
var exerciseTemplate string

var exercisePage = template.Must(template.New("exercise").Funcs(funcs).Funcs(template.FuncMap{
	"window": windowText,
}).Parse(exerciseTemplate))

// WriteExerciseHTML writes the exercise report as one self-contained HTML
// page, ready to print or to file as evidence.
func WriteExerciseHTML(w io.Writer, e *Exercise) error {
	var chart template.HTML
	if len(e.Waterfall.Steps) > 0 {
		svg, err := svgWaterfall(e.Waterfall)
		if err != nil {
			return fmt.Errorf("run %s: %w", e.Record.RunID, err)
		}
		chart = template.HTML(svg) // #nosec G203 -- SVG from the chart library, which escapes its text
	}
	critical := map[string]bool{}
	for _, s := range e.Waterfall.CriticalPath {
		critical[s] = true
	}
	return exercisePage.Execute(w, struct {
		*Exercise
		Chart    template.HTML
		Critical map[string]bool
	}{e, chart, critical})
}
