package etcd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore/etcd/etcdtest"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/scenarios"
)

func artifact(t *testing.T, path string) *source.Artifact {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return &source.Artifact{Path: path, Bytes: info.Size(), ModTime: info.ModTime()}
}

func TestInspectReadsRevisionAndSize(t *testing.T) {
	snap := sampleSnapshot(t)
	art := artifact(t, snap)
	insp, err := New("cluster", nil, Options{}).Inspect(context.Background(), art)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if insp.Format != Format {
		t.Errorf("Format = %q, want %q", insp.Format, Format)
	}
	if want := art.Bytes + art.Bytes/5; insp.RestoreBytes != want {
		t.Errorf("RestoreBytes = %d, want %d (the snapshot's size and a fifth)", insp.RestoreBytes, want)
	}
	// Each put is one revision after the first (1).
	wantRev := "revision " + itoa(1+len(sampleKeys))
	if len(insp.Notes) != 1 || !strings.Contains(insp.Notes[0], wantRev) {
		t.Errorf("Notes = %q, want one note with %q", insp.Notes, wantRev)
	}
}

func TestRestoreCountsKeysPerResource(t *testing.T) {
	snap := sampleSnapshot(t)
	tmp := t.TempDir()
	spec := &scenarios.EtcdRestore{Expect: scenarios.EtcdExpect{
		MinRevision: int64(len(sampleKeys)),
		Resources: []scenarios.EtcdResourceCount{
			{Resource: "deployments", Group: "apps", Min: 4},
			{Resource: "deployments", Group: "apps", Namespace: "shop", Min: 3},
			{Resource: "namespaces", Min: 2},
			{Resource: "services", Min: 1},
			{Resource: "pods", Min: 0},
			{Resource: "applications", Group: "argoproj.io", Min: 1},
		},
		Objects: []scenarios.EtcdObject{
			{Resource: "secrets", Namespace: "kube-system", Name: "x"},
			{Resource: "namespaces", Name: "shop"},
			{Resource: "applications", Group: "argoproj.io", Namespace: "argocd", Name: "shop"},
		},
	}}
	var log bytes.Buffer
	res, err := New("cluster", spec, Options{TempDir: tmp}).Restore(context.Background(), nil, artifact(t, snap), &log)
	if err != nil {
		t.Fatalf("Restore: %v\nlog:\n%s", err, log.String())
	}
	wantNotes := []string{
		"deployments: 4 (at least 4)",
		"deployments in shop: 3 (at least 3)",
		"namespaces: 2 (at least 2)",
		"services: 1 (at least 1)",
		// pods must not count podsecuritypolicy's keys.
		"pods: 0 (at least 0)",
		"applications.argoproj.io: 1 (at least 1)",
	}
	// The inspection's note first, then the counts.
	if len(res.Notes) == 0 || !strings.HasPrefix(res.Notes[0], "snapshot at revision "+itoa(1+len(sampleKeys))+", ") {
		t.Errorf("Notes %q do not start with the snapshot's revision", res.Notes)
	} else if strings.Join(res.Notes[1:], "\n") != strings.Join(wantNotes, "\n") {
		t.Errorf("Notes:\n%s\nwant:\n%s", strings.Join(res.Notes[1:], "\n"), strings.Join(wantNotes, "\n"))
	}
	for _, want := range []string{"revision " + itoa(1+len(sampleKeys)), itoa(len(sampleKeys)) + " keys under /registry", "3 of 3 objects found"} {
		if !strings.Contains(res.LogTail, want) {
			t.Errorf("LogTail %q lacks %q", res.LogTail, want)
		}
	}
	if res.Format != Format {
		t.Errorf("Format = %q", res.Format)
	}
	assertEmpty(t, tmp)
}

func TestRestoreNamesEveryMissedExpectation(t *testing.T) {
	snap := sampleSnapshot(t)
	tmp := t.TempDir()
	spec := &scenarios.EtcdRestore{Expect: scenarios.EtcdExpect{
		MinRevision: 1000,
		Resources: []scenarios.EtcdResourceCount{
			{Resource: "deployments", Group: "apps", Min: 5},
			{Resource: "secrets", Min: 2},
		},
		Objects: []scenarios.EtcdObject{
			{Resource: "secrets", Namespace: "kube-system", Name: "x"},
			{Resource: "secrets", Namespace: "kube-system", Name: "missing"},
		},
	}}
	res, err := New("cluster", spec, Options{TempDir: tmp}).Restore(context.Background(), nil, artifact(t, snap), nil)
	if err == nil {
		t.Fatal("Restore passed, want it to fail naming each miss")
	}
	if fault.IsInfra(err) {
		t.Errorf("a missed expectation is the drill's failure, not an infrastructure error: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"revision " + itoa(1+len(sampleKeys)) + ", expected at least 1000",
		"deployments: 4, expected at least 5",
		"secrets kube-system/missing: not found (no key /registry/secrets/kube-system/missing)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "secrets: 2, expected") || strings.Contains(msg, "kube-system/x: not found") {
		t.Errorf("error %q names an expectation that was met", msg)
	}
	if !strings.Contains(res.LogTail, "1 of 2 objects found") {
		t.Errorf("LogTail %q lacks the objects found", res.LogTail)
	}
	assertEmpty(t, tmp)
}

func TestRestoreUnderAnotherPrefix(t *testing.T) {
	keys := []string{"/k3s/deployments/default/web", "/k3s/deployments/default/api", "/registry/deployments/default/other"}
	snap := etcdtest.Snapshot(t, keys)
	spec := &scenarios.EtcdRestore{Prefix: "/k3s", Expect: scenarios.EtcdExpect{
		Resources: []scenarios.EtcdResourceCount{{Resource: "deployments", Group: "apps", Min: 2}},
	}}
	res, err := New("cluster", spec, Options{TempDir: t.TempDir()}).Restore(context.Background(), nil, artifact(t, snap), nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if !strings.Contains(res.LogTail, "2 keys under /k3s") || res.Notes[1] != "deployments: 2 (at least 2)" {
		t.Errorf("LogTail %q, Notes %q: want the 2 keys under /k3s only", res.LogTail, res.Notes)
	}
}

func TestDamagedSnapshotsFailInspect(t *testing.T) {
	snap := sampleSnapshot(t)
	tests := []struct {
		name   string
		change func([]byte) []byte
		want   string
	}{
		{"one byte flipped", func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b }, "is corrupt: its content's sha256 is"},
		{"hash flipped", func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }, "is corrupt"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-100] }, "has no sha256 at its end"},
		{"truncated by a sector", func(b []byte) []byte { return b[:len(b)-512] }, "is corrupt"},
		{"hash cut off", func(b []byte) []byte { return b[:len(b)-32] }, "has no sha256 at its end"},
		{"a few bytes", func(b []byte) []byte { return b[:200] }, "too small for an etcd snapshot"},
		{"empty", func([]byte) []byte { return nil }, "too small for an etcd snapshot"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := etcdtest.Damaged(t, snap, tc.change)
			_, err := New("cluster", nil, Options{}).Inspect(context.Background(), artifact(t, bad))
			if err == nil {
				t.Fatal("Inspect passed a damaged snapshot")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), bad) {
				t.Errorf("error %q, want it to name %s and say %q", err, bad, tc.want)
			}
			if fault.IsInfra(err) {
				t.Errorf("a damaged snapshot is the backup's fault, not an infrastructure error: %v", err)
			}
		})
	}
}

func TestCorruptSnapshotFailsRestoreAndLeavesNothing(t *testing.T) {
	bad := etcdtest.Damaged(t, sampleSnapshot(t), func(b []byte) []byte { b[len(b)/3] ^= 0xff; return b })
	tmp := t.TempDir()
	_, err := New("cluster", nil, Options{TempDir: tmp}).Restore(context.Background(), nil, artifact(t, bad), nil)
	if err == nil || !strings.Contains(err.Error(), "is corrupt") {
		t.Fatalf("Restore: %v, want the snapshot named corrupt", err)
	}
	assertEmpty(t, tmp)
}

// TestCancelMidRestoreLeavesNothing cancels a restore at each of its
// stages and requires that no directory and no listener are left.
func TestCancelMidRestoreLeavesNothing(t *testing.T) {
	snap := sampleSnapshot(t)
	for _, stage := range []string{"etcd: restoring snapshot", "serving on"} {
		t.Run(stage, func(t *testing.T) {
			before := listeners(t)
			if len(before) == 0 {
				t.Fatal("no listener seen, though the source etcd listens: /proc cannot be read as this test expects")
			}
			tmp := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			log := &cancelOn{text: stage, cancel: cancel}
			_, err := New("cluster", nil, Options{TempDir: tmp}).Restore(ctx, nil, artifact(t, snap), log)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Restore cancelled at %q: %v, want context.Canceled\nlog:\n%s", stage, err, log.String())
			}
			assertEmpty(t, tmp)
			if after := listeners(t); len(after) > len(before) {
				t.Errorf("listeners before %v, after %v: the restored etcd still listens", before, after)
			}
		})
	}
}

// cancelOn cancels when text is written to it.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	text   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.text) {
		c.cancel()
	}
	return len(p), nil
}

func (c *cancelOn) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s was left in %s", e.Name(), dir)
	}
}
