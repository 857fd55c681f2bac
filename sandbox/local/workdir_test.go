package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSafeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"20250101-abc", "20250101-abc"},
		{"run id/with:odd*chars", "run-id-with-odd-chars"},
		{"", "run"},
		{"ünïcode", "-n-code"},
		{strings.Repeat("x", 100), strings.Repeat("x", maxNameLen)},
	}
	for _, tt := range tests {
		if got := safeName(tt.in); got != tt.want {
			t.Errorf("safeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeWorkDirWritesMarker(t *testing.T) {
	parent := t.TempDir()
	m := Marker{Kind: "local", RunID: "r/1", Scenario: "billing", PID: 42, Created: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	dir, err := makeWorkDir(parent, m)
	if err != nil {
		t.Fatalf("makeWorkDir: %v", err)
	}
	if filepath.Dir(dir) != parent || !strings.HasPrefix(filepath.Base(dir), "drill-r-1-") {
		t.Errorf("dir = %s, want %s/drill-r-1-*", dir, parent)
	}
	got, err := ReadMarker(dir)
	if err != nil {
		t.Fatalf("ReadMarker: %v", err)
	}
	if *got != m {
		t.Errorf("marker = %+v, want %+v", *got, m)
	}
	if _, err := ReadMarker(parent); !os.IsNotExist(err) {
		t.Errorf("ReadMarker(no marker) error = %v, want not-exist", err)
	}
}
