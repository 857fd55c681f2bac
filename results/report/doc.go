// Package report turns the history of run records into the trend report
// ("is recovery getting slower, which drill is overdue, which phase costs the
// most") and one run's record into the exercise report an auditor reads.
//
// Build computes everything from the records alone; the renderers (HTML
// with inline SVG charts, Markdown, JSON) only print what Build found, so
// the three formats never disagree. The HTML is self-contained: charts are
// SVG drawn by github.com/go-analyze/charts, styles are inline, nothing is
// fetched when the page is viewed.
package report
