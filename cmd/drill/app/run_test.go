package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunRealDrill runs drill end to end against real PostgreSQL: real
// pg_dump archives, a real throwaway server, real pg_restore, real queries.
func TestRunRealDrill(t *testing.T) {
	b := makeBackups(t)

	t.Run("passes and records the evidence", func(t *testing.T) {
		results := t.TempDir()
		junit := filepath.Join(t.TempDir(), "junit.xml")
		summary := filepath.Join(t.TempDir(), "summary.md")
		t.Setenv("GITHUB_STEP_SUMMARY", summary)
		sc := writeScenario(t, b.custom, ">= 1000")
		r := drill(t, "run", sc, "-o", "json", "--results", results, "--junit", junit)
		if r.code != 0 {
			t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
		}
		var rec struct {
			Scenario   string   `json:"scenario"`
			Outcome    string   `json:"outcome"`
			RunID      string   `json:"runId"`
			RTOSeconds *float64 `json:"rtoSeconds"`
			RPO        struct {
				BackupAgeSeconds *float64 `json:"backupAgeSeconds"`
				DataLossSeconds  *float64 `json:"dataLossSeconds"`
			} `json:"rpo"`
			Phases []struct {
				Name    string   `json:"name"`
				Seconds *float64 `json:"seconds"`
				Outcome string   `json:"outcome"`
			} `json:"phases"`
			Checks []struct {
				Name, Outcome, Expected, Observed string
			} `json:"checks"`
			Restores []struct {
				Name    string `json:"name"`
				Archive struct {
					Path   string `json:"path"`
					SHA256 string `json:"sha256"`
					Bytes  int64  `json:"bytes"`
					Format string `json:"format"`
				} `json:"archive"`
				Seconds *float64 `json:"seconds"`
			} `json:"restores"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
			t.Fatalf("stdout is not the JSON record: %v\n%s", err, r.stdout)
		}
		if rec.Scenario != "billing-monthly" || rec.Outcome != "passed" {
			t.Errorf("scenario %q outcome %q", rec.Scenario, rec.Outcome)
		}
		if rec.RTOSeconds == nil || *rec.RTOSeconds <= 0 {
			t.Errorf("rtoSeconds = %v", rec.RTOSeconds)
		}
		// The newest invoice is an hour old; the drill ran just now.
		if l := rec.RPO.DataLossSeconds; l == nil || *l < 3600 || *l > 3600+300 {
			t.Errorf("dataLossSeconds = %v, want about 3600", l)
		}
		if a := rec.RPO.BackupAgeSeconds; a == nil || *a < 0 || *a > 600 {
			t.Errorf("backupAgeSeconds = %v, want the archive's (recent) age", a)
		}
		wantPhases := map[string]bool{"locate": false, "provision": false, "restore/billing": false, "verify": false, "teardown": false}
		for _, p := range rec.Phases {
			if _, ok := wantPhases[p.Name]; ok && p.Outcome == "passed" && p.Seconds != nil {
				wantPhases[p.Name] = true
			}
		}
		for name, ok := range wantPhases {
			if !ok {
				t.Errorf("phase %s missing or not passed: %+v", name, rec.Phases)
			}
		}
		if len(rec.Checks) != 2 || rec.Checks[0].Observed != "1200" || rec.Checks[0].Outcome != "passed" {
			t.Errorf("checks = %+v, want invoices-present observing 1200", rec.Checks)
		}
		if len(rec.Restores) != 1 {
			t.Fatalf("restores = %+v", rec.Restores)
		}
		ra := rec.Restores[0].Archive
		if ra.Path != b.custom || ra.SHA256 != fileSHA256(t, b.custom) || ra.Bytes != fileSize(t, b.custom) || ra.Format != "custom" {
			t.Errorf("restore archive = %+v, want %s with its sha256 and size", ra, b.custom)
		}
		// The record on disk is the same run, finished.
		disk, err := os.ReadFile(filepath.Join(results, "billing-monthly", rec.RunID+".json"))
		if err != nil {
			t.Fatalf("record not in the results directory: %v", err)
		}
		if !strings.Contains(string(disk), `"outcome": "passed"`) {
			t.Errorf("record on disk is not the finished one:\n%s", disk)
		}
		if x, err := os.ReadFile(junit); err != nil || !strings.Contains(string(x), `name="billing-monthly"`) || !strings.Contains(string(x), "invoices-present") {
			t.Errorf("junit report: %v\n%s", err, x)
		}
		if md, err := os.ReadFile(summary); err != nil || !strings.Contains(string(md), "billing-monthly") {
			t.Errorf("step summary: %v\n%s", err, md)
		}
		if !strings.Contains(r.stderr, "restore/billing") {
			t.Errorf("no progress on stderr:\n%s", r.stderr)
		}
	})

	t.Run("every archive format restores and its checks pass", func(t *testing.T) {
		for _, format := range []string{"custom", "directory", "tar", "plain", "plain.gz"} {
			t.Run(format, func(t *testing.T) {
				r := drill(t, "run", writeScenario(t, b.formats[format], "== 1200"), "-o", "json", "--results", t.TempDir())
				if r.code != 0 {
					t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
				}
				if !strings.Contains(r.stdout, `"format": "`+format+`"`) {
					t.Errorf("record does not name the format %s:\n%s", format, r.stdout)
				}
			})
		}
	})

	t.Run("uses the newest of three archives", func(t *testing.T) {
		r := drill(t, "run", writeScenario(t, b.threeIn, ">= 1000"), "-o", "json", "--results", t.TempDir())
		if r.code != 0 {
			t.Fatalf("exit %d, want 0 (an older archive was restored?); stderr:\n%s", r.code, r.stderr)
		}
		if want := filepath.Join(b.threeIn, "billing-new.dump"); !strings.Contains(r.stdout, `"path": "`+want+`"`) {
			t.Errorf("record does not name %s:\n%s", want, r.stdout)
		}
	})

	t.Run("a check that does not hold fails with expected and observed", func(t *testing.T) {
		r := drill(t, "run", writeScenario(t, b.custom, ">= 100000"), "--results", t.TempDir())
		if r.code != 1 {
			t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
		}
		for _, want := range []string{">= 100000", "1200"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("plan names the archive and touches nothing", func(t *testing.T) {
		results := t.TempDir()
		r := drill(t, "plan", writeScenario(t, b.threeIn, ">= 1000"))
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "billing-new.dump") || !strings.Contains(r.stdout, "restore/billing") {
			t.Errorf("plan does not show the archive and phases:\n%s", r.stdout)
		}
		if entries, _ := os.ReadDir(results); len(entries) != 0 {
			t.Errorf("plan wrote %d entries", len(entries))
		}
	})
}

// TestRunBadBackups: a backup that cannot be restored fails the drill with
// exit 1 and a reason — never a pass, never a hang.
func TestRunBadBackups(t *testing.T) {
	b := makeBackups(t)
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.dump")
	data, err := os.ReadFile(b.custom)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.dump")
	if err := os.WriteFile(junk, []byte("\xff\xd8\xff\xe0 this is a picture, not a backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.dump")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, reason string
	}{
		{"truncated archive", truncated, "pg_restore"},
		{"not an archive", junk, junk},
		{"empty file", empty, "empty"},
		{"missing path", filepath.Join(dir, "gone"), "no backup"},
		{"empty directory", t.TempDir(), "no backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := drill(t, "run", writeScenario(t, tt.path, ">= 1000"), "--results", t.TempDir())
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.reason) {
				t.Errorf("stderr does not say %q:\n%s", tt.reason, r.stderr)
			}
			t.Logf("failed in %s: %s", time.Since(start).Round(time.Millisecond), lastLine(r.stderr))
		})
	}
}

// TestRunInvalidScenario: exit 2, naming the file, the line and the field.
func TestRunInvalidScenario(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "apiVersion: restore-drill.io/v1alpha1\nkind: Scenario\nmetadata:\n  name: bad\nspec:\n  sandbox:\n    local: {}\n  restores:\n    - name: billing\n      sourse:\n        path: /x\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"run", "validate", "plan"} {
		r := drill(t, cmd, path)
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2", cmd, r.code)
		}
		if !strings.Contains(r.stderr, "bad.yaml:10") || !strings.Contains(r.stderr, "spec.restores[0].sourse") {
			t.Errorf("%s: error does not name file, line 10 and field:\n%s", cmd, r.stderr)
		}
	}
	if r := drill(t, "run"); r.code != 2 {
		t.Errorf("run without a file: exit %d, want 2", r.code)
	}
	if r := drill(t, "run", path, "-o", "xml"); r.code != 2 {
		t.Errorf("unknown output format: exit %d, want 2", r.code)
	}
	if r := drill(t, "frobnicate"); r.code != 2 {
		t.Errorf("unknown command: exit %d, want 2", r.code)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
