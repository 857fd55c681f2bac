package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/results/report"
	"github.com/restore-drill/drill/results/resultstest"
)

func TestExerciseReportHoldsTheEvidence(t *testing.T) {
	var failed *results.Record
	for _, r := range resultstest.Generate(11, 60, resultstest.Scenarios, end) {
		if r.Outcome == results.Failed {
			failed = r
			break
		}
	}
	if failed == nil {
		t.Fatal("the generator made no failed run in 60")
	}
	e := report.BuildExercise(failed, report.ExerciseOptions{
		Participants: []string{"Ada Lovelace (DBA)", "<script>x</script>"},
		SignOff:      "Grace Hopper, head of platform",
		Now:          end,
	})
	var md, page bytes.Buffer
	if err := report.WriteExerciseMarkdown(&md, e); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteExerciseHTML(&page, e); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"Markdown": md.String(), "HTML": page.String()} {
		want := []string{failed.RunID, "Grace Hopper, head of platform", "Ada Lovelace (DBA)", failed.Findings[0][:20]}
		for _, rs := range failed.Restores {
			want = append(want, rs.Archive.SHA256) // the full digest, for an auditor to compare
		}
		for _, c := range failed.Checks {
			want = append(want, c.Name)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s exercise report lacks %q", name, w)
			}
		}
		if strings.Contains(out, "<script>") {
			t.Errorf("%s exercise report lets a participant's name inject markup", name)
		}
	}
	if !strings.Contains(page.String(), "<svg") {
		t.Error("HTML exercise report has no timeline chart")
	}
	if !strings.Contains(md.String(), "| RTO | — |") {
		t.Errorf("a run that did not recover should show no RTO:\n%s", md.String())
	}
}
