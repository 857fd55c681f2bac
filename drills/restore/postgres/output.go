package postgres

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

const (
	// tailLines is how much of a tool's output a Result keeps.
	tailLines = 40
	// maxLine bounds one kept line: a failed statement is echoed whole,
	// and a function body can be megabytes.
	maxLine = 2048
)

// recorder passes a tool's output to a log as it comes and keeps the last
// lines of it, and separately the last lines of its error output. It is
// safe for the two streams to write at once.
type recorder struct {
	mu     sync.Mutex
	log    io.Writer
	all    lineRing
	errs   lineRing
	stdout lineStream
	stderr lineStream
}

func newRecorder(log io.Writer) *recorder {
	if log == nil {
		log = io.Discard
	}
	r := &recorder{log: log}
	r.stdout = lineStream{r: r}
	r.stderr = lineStream{r: r, isErr: true}
	return r
}

// Stdout and Stderr are the writers to give the tool.
func (r *recorder) Stdout() io.Writer { return &r.stdout }
func (r *recorder) Stderr() io.Writer { return &r.stderr }

// close keeps the last unterminated line of each stream.
func (r *recorder) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stdout.flush()
	r.stderr.flush()
}

// tail is the last lines of all output, oldest first.
func (r *recorder) tail() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.all.lines(), "\n")
}

// errorLines is the last lines of the error output, oldest first.
func (r *recorder) errorLines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errs.lines()
}

type lineStream struct {
	r       *recorder
	isErr   bool
	partial []byte
}

func (s *lineStream) Write(p []byte) (int, error) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	// A log that cannot be written to must not stop the restore: the tool
	// would die of a broken pipe and the drill would fail for the wrong
	// reason.
	_, _ = s.r.log.Write(p)
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.add(p)
			break
		}
		s.add(p[:i])
		s.emit()
		p = p[i+1:]
	}
	return n, nil
}

func (s *lineStream) add(b []byte) {
	if room := maxLine - len(s.partial); room > 0 {
		s.partial = append(s.partial, b[:min(len(b), room)]...)
	}
}

func (s *lineStream) emit() {
	line := strings.TrimRight(string(s.partial), "\r")
	s.partial = s.partial[:0]
	s.r.all.push(line)
	if s.isErr {
		s.r.errs.push(line)
	}
}

func (s *lineStream) flush() {
	if len(s.partial) > 0 {
		s.emit()
	}
}

// lineRing keeps the last tailLines lines.
type lineRing struct {
	buf  [tailLines]string
	next int
	n    int
}

func (l *lineRing) push(line string) {
	l.buf[l.next] = line
	l.next = (l.next + 1) % tailLines
	l.n = min(l.n+1, tailLines)
}

func (l *lineRing) lines() []string {
	out := make([]string, 0, l.n)
	for i := range l.n {
		out = append(out, l.buf[(l.next-l.n+i+tailLines)%tailLines])
	}
	return out
}

// toolMessage condenses a tool's error output to one line: from its first
// error on (pg_restore and psql stop at the first one here), or else its
// last lines.
func toolMessage(lines []string) string {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, strings.TrimSpace(l))
		}
	}
	if len(kept) == 0 {
		return "it printed no error message"
	}
	start := max(len(kept)-3, 0)
	for i, l := range kept {
		if isErrorLine(l) {
			start = i
			break
		}
	}
	end := min(start+4, len(kept))
	return strings.Join(kept[start:end], "; ")
}

func isErrorLine(l string) bool {
	for _, s := range []string{"error:", "ERROR:", "FATAL:", "PANIC:"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
