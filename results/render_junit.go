package results

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// WriteJUnit writes the record as JUnit XML for CI systems: one testsuite
// named after the scenario, with one testcase per restore, per check and per
// objective, and the run's measurements as properties.
//
// When the run did not pass but no testcase shows why (it failed before any
// restore or check ran), a "run" testcase carries the reason, so that the
// report is never green for a run that was not.
func WriteJUnit(w io.Writer, r *Record) error {
	suite := junit.Testsuite{
		Name:     r.Scenario,
		Hostname: r.Host,
	}
	if d := runSeconds(r); d != nil {
		suite.Time = junitSeconds(*d)
	}
	suite.SetTimestamp(r.StartedAt.UTC())
	suite.AddProperty("runId", r.RunID)
	suite.AddProperty("outcome", string(r.Outcome))
	addSecondsProperty(&suite, "rtoSeconds", r.RTOSeconds)
	addSecondsProperty(&suite, "rpo.backupAgeSeconds", r.RPO.BackupAgeSeconds)
	addSecondsProperty(&suite, "rpo.dataLossSeconds", r.RPO.DataLossSeconds)
	addSecondsProperty(&suite, "objectives.rtoSeconds", r.Objectives.RTOSeconds)
	addSecondsProperty(&suite, "objectives.rpoSeconds", r.Objectives.RPOSeconds)

	for _, rs := range r.Restores {
		tc := junit.Testcase{Name: rs.Name, Classname: r.Scenario + ".restore", Time: junitSeconds(rs.Seconds)}
		detail := evidence("archive", rs.Archive.Path, "sha256", rs.Archive.SHA256)
		if rs.Log != "" {
			detail += "\n\n" + rs.Log
		}
		setOutcome(&tc, rs.Outcome, rs.Message, detail)
		suite.AddTestcase(tc)
	}
	for _, c := range r.Checks {
		tc := junit.Testcase{Name: c.Name, Classname: r.Scenario + ".check", Time: junitSeconds(c.Seconds)}
		message := c.Message
		if message == "" {
			message = "expected " + c.Expected + ", observed " + c.Observed
		}
		setOutcome(&tc, c.Outcome, message, evidence("expected", c.Expected, "observed", c.Observed))
		suite.AddTestcase(tc)
	}
	for _, tc := range objectiveCases(r) {
		suite.AddTestcase(tc)
	}
	if r.Outcome != Passed && r.Outcome != Running && suite.Failures+suite.Errors == 0 {
		tc := junit.Testcase{Name: "run", Classname: r.Scenario}
		setOutcome(&tc, r.Outcome, r.Reason, strings.Join(r.Findings, "\n"))
		suite.AddTestcase(tc)
	}

	var suites junit.Testsuites
	suites.AddSuite(suite)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit report of run %s: %w", r.RunID, err)
	}
	if err := suites.WriteXML(w); err != nil {
		return fmt.Errorf("write JUnit report of run %s: %w", r.RunID, err)
	}
	return nil
}

// objectiveCases turns each objective into a testcase, so that a run that
// restored everything but too slowly shows up as a failure in CI.
func objectiveCases(r *Record) []junit.Testcase {
	type objective struct {
		name       string
		measured   *float64
		target     *float64
		unmeasured string
	}
	objectives := []objective{
		{"rto", r.RTOSeconds, r.Objectives.RTOSeconds, "the run did not recover"},
		{"rpo-backup-age", r.RPO.BackupAgeSeconds, r.Objectives.RPOSeconds, "no backup age was measured"},
	}
	// Data loss is only measured by an rpo check; without one there is
	// nothing to judge.
	if r.RPO.DataLossSeconds != nil || hasCheckKind(r, "rpo") {
		objectives = append(objectives, objective{"rpo-data-loss", r.RPO.DataLossSeconds, r.Objectives.RPOSeconds, "no data timestamp was found"})
	}
	var cases []junit.Testcase
	for _, o := range objectives {
		if o.target == nil {
			continue
		}
		tc := junit.Testcase{Name: o.name, Classname: r.Scenario + ".objective"}
		expected := "at most " + formatSeconds(*o.target)
		switch {
		case o.measured == nil:
			tc.Failure = &junit.Result{Message: o.unmeasured, Type: string(Failed), Data: evidence("expected", expected, "observed", "not measured")}
		case *o.measured > *o.target:
			tc.Failure = &junit.Result{
				Message: judge(o.measured, o.target),
				Type:    string(Failed),
				Data:    evidence("expected", expected, "observed", formatSeconds(*o.measured)),
			}
		}
		cases = append(cases, tc)
	}
	return cases
}

func hasCheckKind(r *Record, kind string) bool {
	for _, c := range r.Checks {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// setOutcome maps an outcome onto JUnit's three kinds of not passing:
// failure (the data does not hold), error (the drill could not tell) and
// skipped.
func setOutcome(tc *junit.Testcase, o Outcome, message, detail string) {
	res := &junit.Result{Message: xmlSafe(oneLine(message)), Type: string(o), Data: xmlSafe(detail)}
	switch o {
	case Passed:
	case Failed:
		tc.Failure = res
	case Skipped:
		tc.Skipped = res
	case Running:
		res.Message = "did not finish"
		tc.Error = res
	default:
		tc.Error = res
	}
}

// evidence lists the non-empty name/value pairs, one per line.
func evidence(pairs ...string) string {
	var lines []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			lines = append(lines, pairs[i]+": "+pairs[i+1])
		}
	}
	return xmlSafe(strings.Join(lines, "\n"))
}

func addSecondsProperty(s *junit.Testsuite, name string, v *float64) {
	if v != nil {
		s.AddProperty(name, strconv.FormatFloat(*v, 'f', -1, 64))
	}
}

func junitSeconds(s float64) string {
	return strconv.FormatFloat(s, 'f', 3, 64)
}

// xmlSafe drops characters XML 1.0 cannot carry (a restore tool's log may
// hold terminal control codes); encoding/xml does not drop them from
// character data by itself.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
}
