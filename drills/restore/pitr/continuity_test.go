package pitr

import (
	"strings"
	"testing"
	"time"
)

func TestNextSegment(t *testing.T) {
	for in, want := range map[string]string{
		"000000010000000000000004": "000000010000000000000005",
		"0000000100000000000000FF": "000000010000000100000000",
		"00000002000000AB0000000F": "00000002000000AB00000010",
	} {
		if got := NextSegment(in); got != want {
			t.Errorf("NextSegment(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWALProof(t *testing.T) {
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	b := Backup{ID: "b1", BeginWAL: "000000010000000000000002", EndWAL: "000000010000000000000003"}
	wals := func(segs ...string) map[string]time.Time {
		m := map[string]time.Time{}
		for i, s := range segs {
			m[s] = base.Add(time.Duration(i) * time.Minute)
		}
		return m
	}
	all := wals("000000010000000000000002", "000000010000000000000003", "000000010000000000000004", "000000010000000000000005")
	gap := wals("000000010000000000000002", "000000010000000000000003", "000000010000000000000004", "000000010000000000000005")
	delete(gap, "000000010000000000000004")
	tests := []struct {
		name   string
		wals   map[string]time.Time
		target time.Time
		latest bool
		err    string
	}{
		{name: "latest, complete", wals: all, latest: true},
		{name: "time, complete", wals: all, target: base.Add(150 * time.Second)},
		{name: "end of backup", wals: gap},
		{name: "latest over a gap", wals: gap, latest: true, err: "000000010000000000000004 is missing"},
		{name: "time over a gap", wals: gap, target: base.Add(150 * time.Second), err: "000000010000000000000004 is missing"},
		{name: "time after the archive", wals: all, target: base.Add(time.Hour), err: "archived before the target"},
		{name: "backup incomplete", wals: wals("000000010000000000000002"), latest: true, err: "needed to make backup b1 consistent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ProveWAL(b, tt.wals, tt.target, tt.latest)
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("walProof = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestChooseBackup(t *testing.T) {
	base := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	all := []Backup{
		{ID: "b2", Status: "DONE", EndTime: base.Add(2 * time.Hour)},
		{ID: "b1", Status: "DONE", EndTime: base.Add(time.Hour)},
		{ID: "b3", Status: "FAILED", EndTime: base.Add(3 * time.Hour)},
	}
	for _, tt := range []struct {
		target time.Time
		id     string
		want   string
	}{
		{want: "b2"},
		{target: base.Add(90 * time.Minute), want: "b1"},
		{target: base.Add(4 * time.Hour), want: "b2"},
		{id: "b1", want: "b1"},
		{target: base.Add(30 * time.Minute)},
		{id: "b3"},
	} {
		got, err := Choose(all, tt.target, tt.id)
		if got.ID != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("Choose(%s, %q) = %s, %v; want %q", tt.target, tt.id, got.ID, err, tt.want)
		}
	}
}
