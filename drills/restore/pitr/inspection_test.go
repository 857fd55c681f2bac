package pitr

import (
	"strings"
	"testing"
	"time"
)

func TestTargetName(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		time time.Time
		id   string
		want string
	}{
		{at, "", "2026-11-27T09:00:00Z"},
		{time.Time{}, "20261127T090000", "the end of backup 20261127T090000"},
		{time.Time{}, "", "the latest archived WAL"},
	}
	for _, tt := range tests {
		if got := TargetName(tt.time, tt.id); got != tt.want {
			t.Errorf("TargetName(%v, %q) = %q, want %q", tt.time, tt.id, got, tt.want)
		}
	}
}

func TestInspection(t *testing.T) {
	b := Backup{ID: "b1", Version: 150004, Size: 400}
	got := Inspection("barman", b, "the latest archived WAL", "WAL complete")
	if got.Format != "barman" || got.DumpedFrom != "15.4" || got.ExactMajor != 15 || got.RestoreBytes != 500 || got.Jobs != 1 {
		t.Errorf("Inspection = %+v", got)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "backup b1, recovery to the latest archived WAL; WAL complete") {
		t.Errorf("notes = %q", got.Notes)
	}
}
