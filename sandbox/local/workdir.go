package local

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MarkerFile is the name of the file, in every sandbox's private directory,
// that says which run made it. A sweep after a crash looks for directories
// named drill-* holding this file.
const MarkerFile = "drill-sandbox.json"

// Marker is the content of MarkerFile.
type Marker struct {
	Kind     string    `json:"kind"`
	RunID    string    `json:"runId"`
	Scenario string    `json:"scenario,omitempty"`
	PID      int       `json:"pid"`
	Created  time.Time `json:"created"`
}

// ReadMarker reads the marker of a sandbox directory.
func ReadMarker(dir string) (*Marker, error) {
	b, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return nil, err
	}
	var m Marker
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read sandbox marker in %s: %w", dir, err)
	}
	return &m, nil
}

// makeWorkDir creates the sandbox's private directory under parent and
// writes its marker. The caller removes the directory when done.
func makeWorkDir(parent string, m Marker) (string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	dir, err := os.MkdirTemp(parent, "drill-"+safeName(m.RunID)+"-")
	if err != nil {
		return "", fmt.Errorf("create the sandbox directory in %s: %w", parent, err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, MarkerFile), append(b, '\n'), 0o644)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("write the sandbox marker in %s: %w", dir, err)
	}
	return dir, nil
}

// maxNameLen keeps directory names, and the server's socket path inside
// them, short.
const maxNameLen = 40

// safeName makes a run id usable in a file name.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxNameLen {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	if b.Len() == 0 {
		return "run"
	}
	return b.String()
}
