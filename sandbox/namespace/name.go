package namespace

import (
	"crypto/rand"
	"strings"
)

const (
	// maxName is the longest namespace name (a DNS-1123 label).
	maxName = 63
	// shortIDLen is the length of the run's part of the name.
	shortIDLen = 8
)

// Name is the namespace of one run: PREFIX-SCENARIO-SHORTID, the scenario
// cut short so that the whole fits a namespace name. SHORTID is the last
// eight letters and digits of the run id, so that a person can tell the
// run from the name, or random ones when the run id has fewer.
func Name(prefix, scenario, runID string) string {
	prefix = dnsLabel(prefix)
	scenario = dnsLabel(scenario)
	id := shortID(runID)
	room := maxName - len(id) - 1 // the id and its dash
	prefix = cut(prefix, room)
	if prefix != "" {
		room -= len(prefix) + 1
	}
	scenario = cut(scenario, room)
	var parts []string
	for _, p := range []string{prefix, scenario, id} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "-")
}

// cut shortens s to at most n bytes, with no dash at its end.
func cut(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) > n {
		s = strings.TrimRight(s[:n], "-")
	}
	return s
}

// shortID is the last shortIDLen lower-case letters and digits of runID,
// or random ones.
func shortID(runID string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(runID) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if s := b.String(); len(s) >= shortIDLen {
		return s[len(s)-shortIDLen:]
	}
	return randomID()
}

func randomID() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, shortIDLen)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
	for i, c := range buf {
		buf[i] = letters[int(c)%len(letters)]
	}
	return string(buf)
}

// dnsLabel turns s into lower-case letters, digits and single dashes, with
// no dash at either end.
func dnsLabel(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
