package barman

import (
	"strings"
	"testing"
	"time"
)

func TestParseInfo(t *testing.T) {
	info, err := parseInfo(strings.NewReader("backup_id=20261127T101500\nstatus=DONE\nbegin_wal=000000010000000000000004\nend_wal=000000010000000000000005\n" +
		"begin_time=2026-11-27 10:15:00.123456+00:00\nend_time=2026-11-27 10:15:09+00:00\ntimeline=1\nversion=150018\nsize=1234\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 27, 10, 15, 9, 0, time.UTC)
	if info.ID != "20261127T101500" || info.Status != "DONE" || info.EndWAL != "000000010000000000000005" ||
		!info.EndTime.Equal(want) || info.serverVersion() != "15.18" || info.Size != 1234 {
		t.Errorf("parseInfo = %+v", info)
	}
}

func TestNextSegment(t *testing.T) {
	for in, want := range map[string]string{
		"000000010000000000000004": "000000010000000000000005",
		"0000000100000000000000FF": "000000010000000100000000",
		"00000002000000AB0000000F": "00000002000000AB00000010",
	} {
		if got := nextSegment(in); got != want {
			t.Errorf("nextSegment(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWALProof(t *testing.T) {
	base := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	b := backupInfo{ID: "b1", BeginWAL: "000000010000000000000002", EndWAL: "000000010000000000000003"}
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
			_, err := walProof(b, tt.wals, tt.target, tt.latest)
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("walProof = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestChooseBackup(t *testing.T) {
	base := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	all := []backupInfo{
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
		got, err := chooseBackup(all, tt.target, tt.id)
		if got.ID != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("chooseBackup(%s, %q) = %s, %v; want %q", tt.target, tt.id, got.ID, err, tt.want)
		}
	}
}
