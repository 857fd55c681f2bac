package command

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

const (
	// tailLines and tailBytes bound the output a message shows: the end of
	// it, where programs say why they failed.
	tailLines = 20
	tailBytes = 4 << 10
	// redacted replaces a secret the program printed.
	redacted = "********"
)

// output takes a program's standard output and error. It keeps their last
// lines, interleaved as written, and matches the standard output against a
// pattern as it streams: memory stays bounded whatever the program prints.
type output struct {
	mu sync.Mutex
	// ring holds the last tailLines lines, each at most tailBytes; its
	// buffers are reused, so a program printing millions of lines costs no
	// more memory than one printing twenty.
	ring [tailLines + 1][]byte
	// cur is the line being written; n is how many lines ring holds, the
	// current one included.
	cur, n int
	stdout io.Writer
	stderr io.Writer
	// match is nil without a pattern.
	match *streamMatch
}

func newOutput(pattern *regexp.Regexp) *output {
	o := &output{n: 1}
	if pattern != nil {
		o.match = newStreamMatch(pattern)
	}
	o.stdout = writerFunc(func(p []byte) (int, error) {
		o.keep(p)
		if o.match != nil {
			o.match.write(p)
		}
		return len(p), nil
	})
	o.stderr = writerFunc(func(p []byte) (int, error) { o.keep(p); return len(p), nil })
	return o
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// keep adds p to the tail.
func (o *output) keep(p []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			o.add(p)
			return
		}
		o.add(p[:i])
		o.cur = (o.cur + 1) % len(o.ring)
		o.ring[o.cur] = o.ring[o.cur][:0]
		o.n = min(o.n+1, len(o.ring))
		p = p[i+1:]
	}
}

func (o *output) add(b []byte) {
	line := o.ring[o.cur]
	if room := tailBytes - len(line); room > 0 {
		o.ring[o.cur] = append(line, b[:min(len(b), room)]...)
	}
}

// lines is the kept lines, oldest first, without an empty last one.
func (o *output) lines() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]string, 0, o.n)
	for i := o.n - 1; i >= 0; i-- {
		line := o.ring[(o.cur-i+len(o.ring))%len(o.ring)]
		out = append(out, strings.TrimRight(string(line), "\r"))
	}
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) > tailLines {
		out = out[len(out)-tailLines:]
	}
	return out
}

// matched ends the match and says whether the standard output matched.
// Call it once the program has ended and its output is all written.
func (o *output) matched() bool {
	if o.match == nil {
		return true
	}
	return o.match.end()
}

// abandon ends the match without waiting for a verdict: the program was
// stopped, and its output no longer matters.
func (o *output) abandon() {
	if o.match != nil {
		o.match.abandon()
	}
}

// tail is the last lines of the output, at most tailBytes, with every
// secret replaced.
func (o *output) tail(secrets ...string) string {
	s := strings.Join(o.lines(), "\n")
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	if len(s) > tailBytes {
		cut := len(s) - tailBytes
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		s = "..." + s[cut:]
	}
	return strings.TrimRight(s, "\n")
}

// streamMatch matches a pattern against a stream: the writer side is the
// program's output, a goroutine runs the regular expression over the other
// side of a pipe. RE2 reads its input once, so memory does not grow with it.
type streamMatch struct {
	w      *io.PipeWriter
	r      *io.PipeReader
	result chan bool
	once   sync.Once
}

func newStreamMatch(re *regexp.Regexp) *streamMatch {
	r, w := io.Pipe()
	m := &streamMatch{w: w, r: r, result: make(chan bool, 1)}
	go func() {
		ok := re.MatchReader(&trimmedRunes{in: bufio.NewReader(r)})
		// The rest of the output is read and dropped, so that the program
		// is never held up by a match found early.
		_, _ = io.Copy(io.Discard, r)
		m.result <- ok
	}()
	return m
}

func (m *streamMatch) write(p []byte) {
	// An error means the match was abandoned: the output is dropped.
	_, _ = m.w.Write(p)
}

func (m *streamMatch) end() bool {
	m.once.Do(func() { _ = m.w.Close() })
	return <-m.result
}

func (m *streamMatch) abandon() {
	m.once.Do(func() { _ = m.r.CloseWithError(io.ErrClosedPipe) })
}

// trimmedRunes reads runes from in but drops the newlines at its end, as a
// shell's $(...) does: psql -At prints "42\n", and ^[0-9]+$ should match
// it. A run of newlines is held back, as a count, until a rune follows it.
type trimmedRunes struct {
	in      *bufio.Reader
	held    int  // newlines read but not yet given
	next    rune // the rune read after them, given after them
	hasNext bool
	size    int
}

func (t *trimmedRunes) ReadRune() (rune, int, error) {
	if t.held > 0 {
		t.held--
		return '\n', 1, nil
	}
	if t.hasNext {
		t.hasNext = false
		return t.next, t.size, nil
	}
	r, size, err := t.in.ReadRune()
	if err != nil || r != '\n' {
		return r, size, err
	}
	for n := 1; ; n++ {
		r, size, err := t.in.ReadRune()
		if err != nil {
			return 0, 0, err // the newlines ended the output: dropped
		}
		if r != '\n' {
			t.held, t.next, t.size, t.hasNext = n-1, r, size, true
			return '\n', 1, nil
		}
	}
}
