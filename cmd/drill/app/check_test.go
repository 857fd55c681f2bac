package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheck runs drill check on real pg_dump archives: good, stale, empty
// and truncated. Only the good one passes; none is restored.
func TestCheck(t *testing.T) {
	b := makeBackups(t)
	data, err := os.ReadFile(b.custom)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.dump")
	copyFile(t, b.custom, stale)
	old := time.Now().Add(-30 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.dump")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.dump")
	if err := os.WriteFile(cut, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		path   string
		code   int
		failed map[string]string // check kind -> words its message holds
		args   []string
	}{
		{name: "good", path: b.custom, code: 0},
		{name: "every format", path: b.formats["directory"], code: 0},
		{name: "stale", path: stale, code: 1, failed: map[string]string{"backup-age": "older than 26h (the RPO objective) by 4h"}},
		{name: "stale with a looser limit", path: stale, code: 0, args: []string{"--max-age", "48h"}},
		{name: "empty", path: empty, code: 1, failed: map[string]string{"backup-size": "is 0 bytes", "backup-format": "is empty"}},
		{name: "truncated", path: cut, code: 1, failed: map[string]string{"backup-format": "pg_restore"}},
		{name: "too small", path: b.custom, code: 1, args: []string{"--min-bytes", "100000000"}, failed: map[string]string{"backup-size": "below the minimum of 100000000"}},
		{name: "missing", path: filepath.Join(dir, "gone"), code: 1, failed: map[string]string{"backup-exists": "no backup found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			junit := filepath.Join(t.TempDir(), "check.xml")
			args := append([]string{"check", writeScenario(t, tt.path, "1"), "-o", "json", "--junit", junit}, tt.args...)
			r := drill(t, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			var rec struct {
				Outcome string
				Sandbox struct{ Kind string }
				Checks  []struct{ Kind, Outcome, Message string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
				t.Fatalf("stdout is not the JSON record: %v\n%s", err, r.stdout)
			}
			if len(rec.Checks) != 4 || rec.Sandbox.Kind != "none" {
				t.Fatalf("want 4 checks and no sandbox, got %+v", rec)
			}
			for _, c := range rec.Checks {
				words, shouldFail := tt.failed[c.Kind]
				switch {
				case shouldFail && (c.Outcome != "failed" || !strings.Contains(c.Message, words)):
					t.Errorf("%s: %s %q, want failed saying %q", c.Kind, c.Outcome, c.Message, words)
				case !shouldFail && tt.failed["backup-exists"] == "" && c.Outcome != "passed":
					t.Errorf("%s: %s %q, want passed", c.Kind, c.Outcome, c.Message)
				}
			}
			xml, err := os.ReadFile(junit)
			if err != nil || !strings.Contains(string(xml), "backup-format") {
				t.Errorf("JUnit report: %v\n%s", err, xml)
			}
		})
	}
}
