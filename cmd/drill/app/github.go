package app

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/results"
)

// githubReport adds to a GitHub Actions job what people look at there: the
// step summary (GITHUB_STEP_SUMMARY) and, for a run that did not pass, an
// error annotation (on stderr, which the runner reads too, so that stdout
// stays machine-readable).
func githubReport(rec *results.Record, out io.Writer) error {
	if path := os.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return infraError(fmt.Errorf("open the GitHub step summary: %w", err))
		}
		err = results.WriteMarkdown(f, rec)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return infraError(fmt.Errorf("write the GitHub step summary: %w", err))
		}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" && rec.Outcome != results.Passed {
		fmt.Fprintf(out, "::error title=drill %s %s::%s\n", rec.Scenario, rec.Outcome, escapeAnnotation(rec.Reason))
	}
	return nil
}

// escapeAnnotation escapes a workflow command's message.
func escapeAnnotation(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func infraError(err error) error { return fault.Infra(err) }
