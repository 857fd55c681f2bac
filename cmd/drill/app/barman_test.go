package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/source/s3test"
)

// TestBarmanWithoutBackups: a barman restore whose server has no backup in
// the store fails the drill (exit 1) before anything is provisioned, and
// drill check says the same. (Real recoveries are proven in
// drills/restore/barman.)
func TestBarmanWithoutBackups(t *testing.T) {
	srv := s3test.Start(t)
	srv.MakeBucket(t, "backups")
	srv.Put(t, "backups", "pg/other-db/base/x/backup.info", []byte("status=DONE\n"), time.Time{})
	t.Setenv("DRILL_TEST_S3_KEY_ID", srv.AccessKey)
	t.Setenv("DRILL_TEST_S3_SECRET", srv.SecretKey)
	sc := `apiVersion: restore-drill.io/v1alpha1
kind: Scenario
metadata:
  name: billing-pitr
spec:
  sandbox:
    local: {}
  restores:
    - name: billing
      source:
        s3:
          endpoint: ` + srv.Endpoint + `
          bucket: backups
          prefix: pg/
          credentials:
            accessKeyIDEnv: DRILL_TEST_S3_KEY_ID
            secretAccessKeyEnv: DRILL_TEST_S3_SECRET
      barman:
        serverName: billing-db
        target:
          time: "2026-11-27T03:00:00Z"
`
	file := filepath.Join(t.TempDir(), "pitr.yaml")
	if err := os.WriteFile(file, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"run", "check"} {
		r := drill(t, cmd, file, "--results", t.TempDir())
		if cmd == "check" {
			r = drill(t, cmd, file)
		}
		if r.code != 1 || !strings.Contains(r.stderr, "no backup found in s3://backups/pg/billing-db") || strings.Contains(r.stderr, "provision") {
			t.Errorf("drill %s: exit %d, want 1 with no backup found and nothing provisioned; stderr:\n%s", cmd, r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, srv.SecretKey) {
			t.Errorf("drill %s shows the secret key", cmd)
		}
	}
}
