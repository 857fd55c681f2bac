package results

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRenderersGolden(t *testing.T) {
	records := map[string]func() *Record{
		"passed":  passedRecord,
		"failed":  failedRecord,
		"errored": erroredRecord,
		"cluster": clusterRecord,
	}
	writers := []struct {
		ext   string
		write Writer
	}{
		{"json", WriteJSON},
		{"yaml", WriteYAML},
		{"txt", WriteText},
		{"xml", WriteJUnit},
		{"md", WriteMarkdown},
	}
	for name, record := range records {
		for _, w := range writers {
			golden := filepath.Join("testdata", name+"."+w.ext+".golden")
			t.Run(filepath.Base(golden), func(t *testing.T) {
				var buf bytes.Buffer
				if err := w.write(&buf, record()); err != nil {
					t.Fatalf("render: %v", err)
				}
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("read golden file (run with -update to create it): %v", err)
				}
				if got := buf.String(); got != string(want) {
					t.Errorf("output differs from %s (run with -update if the change is intended)\n--- got\n%s\n--- want\n%s", golden, got, want)
				}
			})
		}
	}
}

// TestJSONKeys pins the field names that reports, dashboards and other
// tools read from a record.
func TestJSONKeys(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, passedRecord()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("WriteJSON wrote invalid JSON: %v", err)
	}
	paths := []string{
		"apiVersion", "kind", "runId", "scenario", "outcome", "startedAt", "rtoSeconds",
		"rpo.backupAgeSeconds", "rpo.dataLossSeconds",
		"objectives.rtoSeconds", "objectives.rpoSeconds",
		"phases[].name", "phases[].start", "phases[].end", "phases[].seconds", "phases[].outcome",
		"checks[].name", "checks[].outcome", "checks[].expected", "checks[].observed",
		"restores[].name", "restores[].archive.path", "restores[].archive.sha256",
		"restores[].archive.bytes", "restores[].seconds",
	}
	for _, path := range paths {
		if !hasPath(doc, strings.Split(path, ".")) {
			t.Errorf("JSON record has no %s", path)
		}
	}
}

// hasPath reports whether doc has the dotted path; "x[]" means x is a
// non-empty array whose first element has the rest of the path.
func hasPath(doc any, path []string) bool {
	if len(path) == 0 {
		return true
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	key, isArray := strings.CutSuffix(path[0], "[]")
	v, ok := m[key]
	if !ok {
		return false
	}
	if isArray {
		items, ok := v.([]any)
		if !ok || len(items) == 0 {
			return false
		}
		v = items[0]
	}
	return hasPath(v, path[1:])
}

func TestJSONKeepsNullMeasurements(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, erroredRecord()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		RTO *json.RawMessage `json:"rtoSeconds"`
		RPO map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.RTO != nil {
		t.Errorf("rtoSeconds = %s, want null for a run that did not recover", *doc.RTO)
	}
	for _, key := range []string{"backupAgeSeconds", "dataLossSeconds"} {
		if v, ok := doc.RPO[key]; !ok || string(v) != "null" {
			t.Errorf("rpo.%s = %q (present %v), want an explicit null", key, v, ok)
		}
	}
}

func TestYAMLMatchesJSON(t *testing.T) {
	var j, y bytes.Buffer
	if err := WriteJSON(&j, failedRecord()); err != nil {
		t.Fatal(err)
	}
	if err := WriteYAML(&y, failedRecord()); err != nil {
		t.Fatal(err)
	}
	fromYAML, err := yaml.YAMLToJSON(y.Bytes())
	if err != nil {
		t.Fatalf("WriteYAML wrote invalid YAML: %v", err)
	}
	var a, b any
	if err := json.Unmarshal(j.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(fromYAML, &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("YAML does not hold the same document as JSON\nJSON: %s\nYAML: %s", ja, jb)
	}
}

func TestJUnitCounts(t *testing.T) {
	tests := []struct {
		name                        string
		record                      *Record
		tests, failures, errs, skip int
	}{
		// 1 restore + 2 checks + rto, backup age and data loss objectives.
		{"passed", passedRecord(), 6, 0, 0, 0},
		// 1 restore + 5 checks + 3 objectives; the checks fail twice, error
		// once and skip once; RTO was not reached and the backup was too old.
		{"failed", failedRecord(), 9, 4, 1, 1},
		// Nothing ran: the run itself is the one testcase.
		{"errored", erroredRecord(), 1, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJUnit(&buf, tt.record); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Suites []struct {
					Name     string `xml:"name,attr"`
					Tests    int    `xml:"tests,attr"`
					Failures int    `xml:"failures,attr"`
					Errors   int    `xml:"errors,attr"`
					Skipped  int    `xml:"skipped,attr"`
					Props    []struct {
						Name  string `xml:"name,attr"`
						Value string `xml:"value,attr"`
					} `xml:"properties>property"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("WriteJUnit wrote invalid XML: %v\n%s", err, buf.String())
			}
			if len(doc.Suites) != 1 {
				t.Fatalf("got %d testsuites, want 1", len(doc.Suites))
			}
			s := doc.Suites[0]
			if s.Name != tt.record.Scenario {
				t.Errorf("testsuite name = %q, want the scenario %q", s.Name, tt.record.Scenario)
			}
			if s.Tests != tt.tests || s.Failures != tt.failures || s.Errors != tt.errs || s.Skipped != tt.skip {
				t.Errorf("tests/failures/errors/skipped = %d/%d/%d/%d, want %d/%d/%d/%d",
					s.Tests, s.Failures, s.Errors, s.Skipped, tt.tests, tt.failures, tt.errs, tt.skip)
			}
			props := map[string]string{}
			for _, p := range s.Props {
				props[p.Name] = p.Value
			}
			if props["runId"] != tt.record.RunID || props["outcome"] != string(tt.record.Outcome) {
				t.Errorf("properties runId=%q outcome=%q, want %q %q", props["runId"], props["outcome"], tt.record.RunID, tt.record.Outcome)
			}
			if _, ok := props["rtoSeconds"]; ok != (tt.record.RTOSeconds != nil) {
				t.Errorf("rtoSeconds property present = %v, want %v", ok, tt.record.RTOSeconds != nil)
			}
		})
	}
}

func TestMarkdownTableRowsKeepTheirCells(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, failedRecord()); err != nil {
		t.Fatal(err)
	}
	var header, row string
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "| Check |") {
			header = line
		}
		if strings.HasPrefix(line, "| legacy") {
			row = line
		}
	}
	if header == "" || row == "" {
		t.Fatalf("checks table or the legacy row missing:\n%s", buf.String())
	}
	cells := func(s string) int { return strings.Count(s, "|") - strings.Count(s, `\|`) }
	if got, want := cells(row), cells(header); got != want {
		t.Errorf("row has %d unescaped pipes, header %d: a value broke the table\n%s", got, want, row)
	}
}
