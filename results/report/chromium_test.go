package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-analyze/charts"

	"github.com/restore-drill/drill/results/resultstest"
)

// Where the test pins each chart on the screenshot: one box per chart,
// stacked.
const (
	boxWidth  = 860
	boxHeight = 300
	boxGap    = 20
	// legendHeight is the top strip of a chart that holds its title and
	// legend.
	legendHeight = 50
)

// TestHTMLChartsDrawInChromium renders a history of 60 runs over three
// scenarios, opens the page in headless Chromium, takes a screenshot and
// checks that every chart holds drawn data: enough pixels of its data
// series' colour (the RTO line, the data-loss line, the critical path's
// bars) in its box. Axes, grid and text are grey and do not count.
func TestHTMLChartsDrawInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: starts a browser, which -short leaves out")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("skipping: chromium is not installed (Debian: apt-get install chromium; ci/install-deps.sh installs it)")
	}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	records := resultstest.Generate(21, 60, resultstest.Scenarios, end)
	rep := Build(records, Options{Now: end})
	var page bytes.Buffer
	if err := WriteHTML(&page, rep); err != nil {
		t.Fatal(err)
	}
	var ids []string
	data := map[string]charts.Color{}
	for _, s := range rep.Scenarios {
		ids = append(ids, s.Name+"-rto", s.Name+"-rpo", s.Name+"-waterfall")
		data[s.Name+"-rto"], data[s.Name+"-rpo"], data[s.Name+"-waterfall"] = colorRTO, colorDataLoss, colorCritical
	}
	// Pin the charts at known places and hide the rest, so the test knows
	// where to look; the charts themselves are the report's own.
	var pin strings.Builder
	pin.WriteString("<style>body * { visibility: hidden; } .chart, .chart * { visibility: visible; }\n")
	fmt.Fprintf(&pin, ".chart { position: absolute; left: 0; width: %dpx; height: %dpx; overflow: hidden; margin: 0; }\n", boxWidth, boxHeight)
	fmt.Fprintf(&pin, ".chart svg { width: %dpx; height: %dpx; }\n", boxWidth, boxHeight)
	for i, id := range ids {
		fmt.Fprintf(&pin, "#%s { top: %dpx; }\n", id, i*(boxHeight+boxGap))
	}
	pin.WriteString("body { margin: 0; }</style></head>")
	html := strings.Replace(page.String(), "</head>", pin.String(), 1)

	dir := t.TempDir()
	pagePath := filepath.Join(dir, "report.html")
	shot := filepath.Join(dir, "report.png")
	if err := os.WriteFile(pagePath, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--hide-scrollbars",
		fmt.Sprintf("--window-size=%d,%d", boxWidth+40, len(ids)*(boxHeight+boxGap)),
		"--screenshot="+shot, "file://"+pagePath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	for i, id := range ids {
		// Below the title and legend (whose symbols carry the series'
		// colours too): the plot area.
		top := i*(boxHeight+boxGap) + legendHeight
		box := image.Rect(0, top, boxWidth, i*(boxHeight+boxGap)+boxHeight)
		ink, series := countPixels(img, box, data[id])
		t.Logf("%s: %d drawn pixels, %d of the data series", id, ink, series)
		if series < 200 {
			t.Errorf("chart %s shows no data: %d pixels of its series' colour in its box (%d drawn at all)", id, series, ink)
		}
	}
	if t.Failed() {
		keep := filepath.Join(os.TempDir(), "drill-report-screenshot.png")
		if data, err := os.ReadFile(shot); err == nil && os.WriteFile(keep, data, 0o644) == nil {
			t.Logf("screenshot kept in %s", keep)
		}
	}
}

// countPixels counts the pixels in box that are not the white background,
// and among them those of the colour c (within anti-aliasing).
func countPixels(img image.Image, box image.Rectangle, c charts.Color) (ink, series int) {
	near := func(a uint32, b uint8) bool { return max(a, uint32(b))-min(a, uint32(b)) <= 40 }
	box = box.Intersect(img.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r > 245 && g > 245 && b > 245 {
				continue
			}
			ink++
			if near(r, c.R) && near(g, c.G) && near(b, c.B) {
				series++
			}
		}
	}
	return ink, series
}
