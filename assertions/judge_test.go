package assertions

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

func text(s string) *string { return &s }

// oneValue is a result of one row with one column of the given type.
func oneValue(oid uint32, v *string) *queryResult {
	return &queryResult{Columns: []column{{Name: "v", OID: oid}}, Rows: 1, Sample: [][]*string{{v}}}
}

func mustExpect(t *testing.T, s string) scenarios.Expectation {
	t.Helper()
	e, err := scenarios.ParseExpect(s)
	if err != nil {
		t.Fatalf("ParseExpect(%q): %v", s, err)
	}
	return e
}

func TestJudgeValue(t *testing.T) {
	twoRows := &queryResult{Columns: []column{{Name: "n", OID: pgtype.Int8OID}}, Rows: 2, Sample: [][]*string{{text("1")}, {text("2")}}}
	twoCols := &queryResult{Columns: []column{{Name: "a"}, {Name: "b"}}, Rows: 1, Sample: [][]*string{{text("1"), nil}}}
	noRows := &queryResult{Columns: []column{{Name: "n"}}}
	tests := []struct {
		name         string
		expect       string
		res          *queryResult
		want         results.Outcome
		wantObserved string
		wantMessage  string
	}{
		{"ge passes", ">= 1000", oneValue(pgtype.Int8OID, text("1043")), results.Passed, "1043", ""},
		{"ge fails", ">= 1000", oneValue(pgtype.Int8OID, text("999")), results.Failed, "999", "observed 999, expected >= 1000"},
		{"numeric equal ignores trailing zeros", "== 12.5", oneValue(pgtype.NumericOID, text("12.50")), results.Passed, "12.50", ""},
		{"text is exact", "12.5x", oneValue(pgtype.TextOID, text("12.5x")), results.Passed, "12.5x", ""},
		{"text differs", "t", oneValue(pgtype.BoolOID, text("f")), results.Failed, "f", "observed f, expected t"},
		{"NULL fails a number", ">= 0", oneValue(pgtype.Int8OID, nil), results.Failed, "NULL", "NULL"},
		{"not a number", "> 1", oneValue(pgtype.TextOID, text("abc")), results.Failed, "abc", "not a number"},
		{"two rows", "1", twoRows, results.Failed, "2 rows", "2 rows: 1; 2"},
		{"two columns", "1", twoCols, results.Failed, "1 row of 2 columns", "(1, NULL)"},
		{"no rows", "1", noRows, results.Failed, "no rows", "no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustExpect(t, tt.expect)
			got := judgeValue(e, tt.res)
			if got.Outcome != tt.want || got.Observed != tt.wantObserved || got.Expected != e.String() {
				t.Errorf("got %s expected=%q observed=%q, want %s expected=%q observed=%q",
					got.Outcome, got.Expected, got.Observed, tt.want, e.String(), tt.wantObserved)
			}
			if !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("message %q does not mention %q", got.Message, tt.wantMessage)
			}
			if tt.want == results.Passed && got.Message != "" {
				t.Errorf("a passed check has message %q", got.Message)
			}
		})
	}
}

func TestJudgeRows(t *testing.T) {
	tests := []struct {
		name         string
		want         int
		got          int
		outcome      results.Outcome
		wantExpected string
		wantObserved string
	}{
		{"equal", 3, 3, results.Passed, "3 rows", "3 rows"},
		{"fewer", 3, 2, results.Failed, "3 rows", "2 rows"},
		{"more", 1, 5, results.Failed, "1 row", "5 rows"},
		{"none expected", 0, 0, results.Passed, "0 rows", "0 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &queryResult{Columns: []column{{Name: "id"}}, Rows: tt.got}
			for i := 0; i < tt.got && i < sampleRows; i++ {
				res.Sample = append(res.Sample, []*string{text("x")})
			}
			r := judgeRows(tt.want, res)
			if r.Outcome != tt.outcome || r.Expected != tt.wantExpected || r.Observed != tt.wantObserved {
				t.Errorf("got %s %q/%q, want %s %q/%q", r.Outcome, r.Expected, r.Observed, tt.outcome, tt.wantExpected, tt.wantObserved)
			}
			if (r.Message != "") != (tt.outcome != results.Passed) {
				t.Errorf("message %q for outcome %s", r.Message, r.Outcome)
			}
		})
	}
}

func TestJudgeNewest(t *testing.T) {
	noon := time.Date(2025, 2, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		res         *queryResult
		want        results.Outcome
		wantNewest  time.Time
		wantMessage string
	}{
		{"timestamptz in UTC", oneValue(pgtype.TimestamptzOID, text("2025-02-28 12:00:00+00")), results.Passed, noon, ""},
		{"timestamptz with offset", oneValue(pgtype.TimestamptzOID, text("2025-02-28 17:30:00+05:30")), results.Passed, noon, ""},
		{"timestamptz fraction", oneValue(pgtype.TimestamptzOID, text("2025-02-28 12:00:00.25+00")), results.Passed, noon.Add(250 * time.Millisecond), ""},
		{"timestamp taken as UTC", oneValue(pgtype.TimestampOID, text("2025-02-28 12:00:00")), results.Passed, noon, ""},
		{"date at midnight UTC", oneValue(pgtype.DateOID, text("2025-02-28")), results.Passed, noon.Add(-12 * time.Hour), ""},
		{"NULL", oneValue(pgtype.TimestamptzOID, nil), results.Failed, time.Time{}, "NULL"},
		{"infinity", oneValue(pgtype.TimestamptzOID, text("infinity")), results.Failed, time.Time{}, "infinity"},
		{"text", oneValue(pgtype.TextOID, text("2025-02-28")), results.Failed, time.Time{}, "type text"},
		{"integer", oneValue(pgtype.Int8OID, text("1740744000")), results.Failed, time.Time{}, "not a time"},
		{"garbage timestamp text", oneValue(pgtype.TimestampOID, text("yesterday-ish")), results.Failed, time.Time{}, "yesterday-ish"},
		{"no rows", &queryResult{Columns: []column{{Name: "max", OID: pgtype.TimestamptzOID}}}, results.Failed, time.Time{}, "no rows"},
		{"two rows", &queryResult{Columns: []column{{Name: "t", OID: pgtype.DateOID}}, Rows: 2,
			Sample: [][]*string{{text("2025-01-01")}, {text("2025-01-02")}}}, results.Failed, time.Time{}, "2 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := judgeNewest(tt.res)
			if r.Outcome != tt.want {
				t.Fatalf("outcome %s (%s), want %s", r.Outcome, r.Message, tt.want)
			}
			if r.Expected == "" || r.Observed == "" {
				t.Errorf("expected %q / observed %q: both must be filled", r.Expected, r.Observed)
			}
			if !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("message %q does not mention %q", r.Message, tt.wantMessage)
			}
			if tt.want != results.Passed {
				if r.Newest != nil {
					t.Errorf("a failed rpo check reports newest %v", r.Newest)
				}
				return
			}
			if r.Newest == nil || !r.Newest.Equal(tt.wantNewest) || r.Newest.Location() != time.UTC {
				t.Fatalf("newest %v, want %v in UTC", r.Newest, tt.wantNewest)
			}
			if want := tt.wantNewest.Format(time.RFC3339Nano); r.Observed != want {
				t.Errorf("observed %q, want %q", r.Observed, want)
			}
		})
	}
}

func TestDescribeResultShortensLongValues(t *testing.T) {
	long := strings.Repeat("é", maxShown) // two bytes each
	got := describeResult(oneValue(pgtype.TextOID, &long))
	if len(got) > maxShown+50 {
		t.Errorf("description is %d bytes long, want it shortened", len(got))
	}
	if !strings.HasSuffix(got, "...") || !strings.HasPrefix(got, "1 row: é") {
		t.Errorf("description %q, want the start of the value and an ellipsis", got)
	}
	if !utf8.ValidString(got) {
		t.Errorf("description %q was cut inside a character", got)
	}
}

func TestNew(t *testing.T) {
	rows := func(n int) *int { return &n }
	tests := []struct {
		name    string
		check   scenarios.Check
		wantErr string
	}{
		{"sql expect", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1", Expect: "1"}}, ""},
		{"sql rows", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1", Rows: rows(1)}}, ""},
		{"rpo", scenarios.Check{Name: "c", RPO: &scenarios.RPOCheck{Query: "select now()"}}, ""},
		{"no kind", scenarios.Check{Name: "c"}, "no kind"},
		{"empty query", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "  ", Expect: "1"}}, "query is empty"},
		{"empty rpo query", scenarios.Check{Name: "c", RPO: &scenarios.RPOCheck{}}, "query is empty"},
		{"both expect and rows", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1", Expect: "1", Rows: rows(1)}}, "both"},
		{"neither", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1"}}, "neither"},
		{"negative rows", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1", Rows: rows(-1)}}, "0 or more"},
		{"bad expectation", scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{Query: "select 1", Expect: ">= lots"}}, "must be followed by a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.check)
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "check c") {
				t.Errorf("New: err = %v, want one naming check c and mentioning %q", err, tt.wantErr)
			}
		})
	}
}
