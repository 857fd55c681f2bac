package local

import (
	"bytes"
	"strings"
	"sync"
)

// tailLines is how many of a program's last output lines an error shows.
const tailLines = 20

// maxLineLen bounds one kept line, so a program that never writes a newline
// cannot grow the buffer without end.
const maxLineLen = 4096

// logTail is an io.Writer for a program's output. It keeps the last lines
// for error messages and closes a channel the first time a line contains a
// given text, so that a caller can wait for "ready" without polling.
type logTail struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
	want    string
	seen    chan struct{}
	matched bool
}

// newLogTail watches for lines that contain want ("" watches for nothing).
func newLogTail(want string) *logTail {
	return &logTail{want: want, seen: make(chan struct{})}
}

// Write never fails: losing a log line must not stop the program.
func (t *logTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		t.addLine(string(t.partial[:i]))
		t.partial = t.partial[i+1:]
	}
	if len(t.partial) > maxLineLen {
		t.addLine(string(t.partial))
		t.partial = nil
	}
	return len(p), nil
}

func (t *logTail) addLine(line string) {
	line = strings.TrimRight(line, "\r")
	if len(line) > maxLineLen {
		line = line[:maxLineLen]
	}
	if !t.matched && t.want != "" && strings.Contains(line, t.want) {
		t.matched = true
		close(t.seen)
	}
	t.lines = append(t.lines, line)
	if len(t.lines) > tailLines {
		t.lines = t.lines[len(t.lines)-tailLines:]
	}
}

// Seen is closed once a line containing the wanted text was written.
func (t *logTail) Seen() <-chan struct{} { return t.seen }

// String is the last lines, including an unfinished one.
func (t *logTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := t.lines
	if len(t.partial) > 0 {
		lines = append(append([]string{}, lines...), string(t.partial))
	}
	return strings.Join(lines, "\n")
}

// Contains reports whether any kept line contains s.
func (t *logTail) Contains(s string) bool {
	return strings.Contains(t.String(), s)
}
