package results

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// formatSeconds prints a duration the way people say it, rounded to what
// matters at its size: "350ms", "2.1s", "1m12s", "3h20m".
func formatSeconds(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return "?"
	}
	if s < 0 {
		return "-" + formatSeconds(-s)
	}
	d := time.Duration(s * float64(time.Second))
	switch {
	case d == 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		return trimZeroUnits(d.Round(time.Second))
	default:
		return trimZeroUnits(d.Round(time.Minute))
	}
}

// trimZeroUnits prints whole seconds without the zero parts Go's
// time.Duration.String keeps: "15m" rather than "15m0s", "2h" rather than
// "2h0m0s", but "1h0m5s" stays as it is.
func trimZeroUnits(d time.Duration) string {
	h := int64(d / time.Hour)
	m := int64(d % time.Hour / time.Minute)
	s := int64(d % time.Minute / time.Second)
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 || (h > 0 && s > 0) {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	return b.String()
}

// formatOptSeconds is formatSeconds for a value that may be missing.
func formatOptSeconds(s *float64, missing string) string {
	if s == nil {
		return missing
	}
	return formatSeconds(*s)
}

// humanBytes prints a size in binary units, as du -h and ls -h do.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// shortSHA is enough of a digest for a person to compare two archives by eye.
func shortSHA(sum string) string {
	const keep = 12
	if len(sum) <= keep {
		return sum
	}
	return sum[:keep]
}

// judge compares a measured duration with its objective in a few words.
func judge(measured, objective *float64) string {
	switch {
	case objective == nil:
		return "no objective"
	case measured == nil:
		return "not met (not measured)"
	case *measured <= *objective:
		return "met"
	default:
		return "missed by " + formatSeconds(*measured-*objective)
	}
}

// runSeconds is how long the run took, when it has finished.
func runSeconds(r *Record) *float64 {
	if r.FinishedAt == nil {
		return nil
	}
	s := r.FinishedAt.Sub(r.StartedAt).Seconds()
	return &s
}

// formatTime prints a timestamp for people, in UTC so that records from
// different machines read alike.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// FormatDuration prints d for people the way every drill report does:
// "350ms", "2.1s", "1m12s", "3h20m".
func FormatDuration(d time.Duration) string { return formatSeconds(d.Seconds()) }

// FormatBytes prints a size for people the way every drill report does.
func FormatBytes(n int64) string { return humanBytes(n) }
