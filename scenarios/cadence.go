package scenarios

import (
	"fmt"
	"strings"
	"time"
)

const day = 24 * time.Hour

// namedCadences are the intervals of the named cadences: the longest month,
// quarter and year, so that a drill run on the same date each period is
// never reported overdue.
var namedCadences = map[string]time.Duration{
	"daily":     day,
	"weekly":    7 * day,
	"monthly":   31 * day,
	"quarterly": 92 * day,
	"yearly":    366 * day,
}

// ParseCadence reads a named cadence (daily, weekly, monthly, quarterly,
// yearly) or a positive Go duration such as "72h".
func ParseCadence(s string) (Cadence, error) {
	if interval, ok := namedCadences[s]; ok {
		return Cadence{Name: s, Interval: interval}, nil
	}
	interval, err := parsePositiveDuration(s)
	if err != nil {
		return Cadence{}, fmt.Errorf("%w, or one of daily, weekly, monthly, quarterly, yearly", err)
	}
	return Cadence{Name: s, Interval: interval}, nil
}

// parsePositiveDuration reads a Go duration that must be above zero.
func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		hint := "write it like 90s, 10m or 1h30m"
		if strings.HasSuffix(s, "d") {
			hint = "days are not a unit: write 24h for a day, 168h for a week"
		}
		return 0, fmt.Errorf("%q is not a duration: %s", s, hint)
	}
	if d <= 0 {
		return 0, fmt.Errorf("must be positive, not %s", s)
	}
	return d, nil
}
