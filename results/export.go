package results

// The helpers below let other renderers of records (the trend report, the
// exercise report) print values exactly as the record renderers do.

// MarkdownText escapes free text (names, messages) for a Markdown table cell
// or list item.
func MarkdownText(s string) string { return mdText(s) }

// MarkdownCode shows a value (a path, a digest, a query result) literally in
// a Markdown code span that is safe inside a table.
func MarkdownCode(s string) string { return mdCode(s) }

// OutcomeMark is the symbol that lets a reader spot failures in a long list.
func OutcomeMark(o Outcome) string { return outcomeMark(o) }

// FormatSeconds prints a duration in seconds for people: "2.1s", "1m12s".
func FormatSeconds(s float64) string { return formatSeconds(s) }

// Judge compares a measured value with its objective in a few words: "met",
// "missed by 2m3s", "no objective".
func Judge(measured, objective *float64) string { return judge(measured, objective) }

// Prepare checks a record before it is stored and returns a copy with
// apiVersion and kind filled in: what every Store's Save does first.
func Prepare(r *Record) (*Record, error) { return stamped(r) }

// EncodeJSON is the one JSON form of a record, as stores keep it.
func EncodeJSON(r *Record) ([]byte, error) { return encodeJSON(r) }

// DecodeJSON reads a stored record, refusing an apiVersion it does not know.
func DecodeJSON(data []byte) (*Record, error) { return decodeRecord(data) }
