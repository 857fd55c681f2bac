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
		!info.EndTime.Equal(want) || info.ServerVersion() != "15.18" || info.Size != 1234 {
		t.Errorf("parseInfo = %+v", info)
	}
}
