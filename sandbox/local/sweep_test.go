package local

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// deadPID is the id of a process that has just ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("skipping: cannot run true: %v", err)
	}
	return cmd.ProcessState.Pid()
}

func writeMarker(t *testing.T, dir string, m Marker) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindLeftovers(t *testing.T) {
	parent := t.TempDir()
	dead := deadPID(t)
	writeMarker(t, filepath.Join(parent, "drill-live-1"), Marker{Kind: "local", RunID: "live", PID: os.Getpid()})
	writeMarker(t, filepath.Join(parent, "drill-crashed-1"), Marker{Kind: "local", RunID: "crashed", PID: dead})
	writeMarker(t, filepath.Join(parent, "drill-other-1"), Marker{Kind: "namespace", RunID: "other", PID: dead})
	writeMarker(t, filepath.Join(parent, "unrelated"), Marker{Kind: "local", RunID: "unrelated", PID: dead})
	if err := os.MkdirAll(filepath.Join(parent, "drill-nomarker"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "drill-file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A stale postmaster.pid names a process that is not a server in this dir.
	if err := os.MkdirAll(filepath.Join(parent, "drill-crashed-1", "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "drill-crashed-1", "data", "postmaster.pid"), []byte("1\n/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	found, err := FindLeftovers(parent)
	if err != nil {
		t.Fatalf("FindLeftovers: %v", err)
	}
	if len(found) != 1 || found[0].Marker.RunID != "crashed" || found[0].ServerPID != 0 {
		t.Fatalf("FindLeftovers = %+v, want only run crashed, with no server", found)
	}
	if err := RemoveLeftover(context.Background(), found[0]); err != nil {
		t.Fatalf("RemoveLeftover: %v", err)
	}
	if _, err := os.Stat(found[0].Dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists (stat: %v)", found[0].Dir, err)
	}
	if _, err := os.Stat(filepath.Join(parent, "drill-live-1")); err != nil {
		t.Errorf("the live run's directory is gone: %v", err)
	}
}

func TestRemoveLeftoverStopsItsServer(t *testing.T) {
	p, parent := realProvider(t, nil)
	sb := create(t, p, "orphaned")
	pid := sb.server.pid()
	// Pretend the drill that made it has crashed.
	m, err := ReadMarker(sb.dir)
	if err != nil {
		t.Fatal(err)
	}
	m.PID = deadPID(t)
	writeMarker(t, sb.dir, *m)

	found, err := FindLeftovers(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Dir != sb.dir || found[0].ServerPID != pid {
		t.Fatalf("FindLeftovers = %+v, want %s with server %d", found, sb.dir, pid)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := RemoveLeftover(ctx, found[0]); err != nil {
		t.Fatalf("RemoveLeftover: %v", err)
	}
	if processAlive(t, pid) {
		t.Errorf("server %d still runs", pid)
	}
	if _, err := os.Stat(sb.dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists (stat: %v)", sb.dir, err)
	}
}
