package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/restore/etcd/etcdtest"
)

// etcdScenario is a local-sandbox scenario with one etcd restore of
// snapshot (a file, or a directory of snapshots) and no check: the restore's expectations are the proof.
func etcdScenario(t *testing.T, snapshot string, minDeployments int) string {
	t.Helper()
	s := `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: etcd-quarterly
spec:
  sandbox:
    local: {}
  restores:
    - name: etcd
      source:
        path: ` + snapshot + `
      etcd:
        expect:
          minRevision: 3
          resources:
            - {resource: deployments, group: apps, min: ` + strconv.Itoa(minDeployments) + `}
            - {resource: namespaces}
          objects:
            - {resource: secrets, namespace: kube-system, name: bootstrap}
`
	path := filepath.Join(t.TempDir(), "etcd-quarterly.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunEtcdDrill runs whole etcd drills: a good snapshot passes with its
// counts in the record, a snapshot lacking what the scenario expects fails
// naming it, and a corrupt one fails before anything is restored.
func TestRunEtcdDrill(t *testing.T) {
	snap := etcdtest.Snapshot(t, []string{
		"/registry/namespaces/shop",
		"/registry/deployments/shop/web",
		"/registry/deployments/shop/api",
		"/registry/secrets/kube-system/bootstrap",
	})

	t.Run("passes", func(t *testing.T) {
		r := drill(t, "run", etcdScenario(t, filepath.Dir(snap)+"/", 2), "-o", "json", "--results", t.TempDir())
		if r.code != 0 {
			t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
		}
		var rec struct {
			Outcome  string `json:"outcome"`
			Restores []struct {
				Outcome string `json:"outcome"`
				Log     string `json:"log"`
				Archive struct {
					Path   string `json:"path"`
					Format string `json:"format"`
					SHA256 string `json:"sha256"`
				} `json:"archive"`
			} `json:"restores"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
			t.Fatalf("stdout is not the JSON record: %v\n%s", err, r.stdout)
		}
		if rec.Outcome != "passed" || len(rec.Restores) != 1 || rec.Restores[0].Outcome != "passed" {
			t.Fatalf("record: %+v", rec)
		}
		got := rec.Restores[0]
		if got.Archive.Path != snap || got.Archive.Format != "etcd-snapshot" || got.Archive.SHA256 != fileSHA256(t, snap) {
			t.Errorf("archive %+v, want %s, etcd-snapshot, its sha256", got.Archive, snap)
		}
		if !strings.Contains(got.Log, "deployments: 2 (at least 2)") || !strings.Contains(got.Log, "1 of 1 objects found") {
			t.Errorf("restore log %q lacks the counts", got.Log)
		}
	})

	t.Run("fails naming what is missing", func(t *testing.T) {
		r := drill(t, "run", etcdScenario(t, snap, 5), "--results", t.TempDir())
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "deployments: 2, expected at least 5") {
			t.Errorf("stderr does not name the miss:\n%s", r.stderr)
		}
	})

	t.Run("fails on a corrupt snapshot", func(t *testing.T) {
		bad := etcdtest.Damaged(t, snap, func(b []byte) []byte { b[len(b)/2] ^= 0x01; return b })
		r := drill(t, "run", etcdScenario(t, bad, 2), "--results", t.TempDir())
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "is corrupt") {
			t.Errorf("stderr does not say the snapshot is corrupt:\n%s", r.stderr)
		}
	})
}
