package assertions

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxShown bounds one value in a message; a check's evidence is a glance,
// not a dump.
const maxShown = 200

// printValue is a value as psql shows it, with NULL spelled out.
func printValue(v *string) string {
	if v == nil {
		return "NULL"
	}
	return *v
}

func countRows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

func countColumns(n int) string {
	if n == 1 {
		return "1 column"
	}
	return fmt.Sprintf("%d columns", n)
}

// describeShape says how big a result was: "no rows", "2 rows", "1 row of
// 3 columns".
func describeShape(res *queryResult) string {
	if res.Rows == 0 {
		return "no rows"
	}
	if len(res.Columns) == 1 {
		return countRows(res.Rows)
	}
	return countRows(res.Rows) + " of " + countColumns(len(res.Columns))
}

// describeResult says what came back, with the first rows' values:
// "2 rows: 1043; 1044", "1 row of 2 columns: (1043, abc)".
func describeResult(res *queryResult) string {
	s := describeShape(res)
	if len(res.Sample) == 0 {
		return s
	}
	var rows []string
	for _, row := range res.Sample {
		vals := make([]string, len(row))
		for i, v := range row {
			vals[i] = shorten(printValue(v))
		}
		if len(vals) == 1 {
			rows = append(rows, vals[0])
		} else {
			rows = append(rows, "("+strings.Join(vals, ", ")+")")
		}
	}
	s += ": " + strings.Join(rows, "; ")
	if res.Rows > len(res.Sample) {
		s += "; ..."
	}
	return s
}

func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
