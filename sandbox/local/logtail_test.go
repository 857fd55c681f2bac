package local

import (
	"fmt"
	"strings"
	"testing"
)

func TestLogTail(t *testing.T) {
	tests := []struct {
		name     string
		writes   []string
		seen     bool
		wantTail string
	}{
		{name: "ready in one write", writes: []string{"LOG:  starting\nLOG:  database system is ready to accept connections\n"}, seen: true,
			wantTail: "LOG:  starting\nLOG:  database system is ready to accept connections"},
		{name: "ready split across writes", writes: []string{"LOG:  database system is ready to ac", "cept connections\n"}, seen: true,
			wantTail: "LOG:  database system is ready to accept connections"},
		{name: "unfinished line not matched yet", writes: []string{"LOG:  database system is ready to accept connections"}, seen: false,
			wantTail: "LOG:  database system is ready to accept connections"},
		{name: "never ready", writes: []string{"FATAL:  could not bind\r\n"}, seen: false, wantTail: "FATAL:  could not bind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLogTail(readyLine)
			for _, w := range tt.writes {
				if n, err := l.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			select {
			case <-l.Seen():
				if !tt.seen {
					t.Error("Seen closed, want open")
				}
			default:
				if tt.seen {
					t.Error("Seen open, want closed")
				}
			}
			if got := l.String(); got != tt.wantTail {
				t.Errorf("String = %q, want %q", got, tt.wantTail)
			}
		})
	}
}

func TestLogTailKeepsLastLines(t *testing.T) {
	l := newLogTail(readyLine)
	for i := 0; i < 3*tailLines; i++ {
		fmt.Fprintf(l, "line %d\n", i)
	}
	lines := strings.Split(l.String(), "\n")
	if len(lines) != tailLines {
		t.Fatalf("kept %d lines, want %d", len(lines), tailLines)
	}
	if want := fmt.Sprintf("line %d", 3*tailLines-1); lines[len(lines)-1] != want {
		t.Errorf("last line = %q, want %q", lines[len(lines)-1], want)
	}
	// A ready line after many others still closes Seen exactly once.
	fmt.Fprintf(l, "%s\n%s\n", readyLine, readyLine)
	<-l.Seen()
}

func TestLogTailBoundsEndlessLine(t *testing.T) {
	l := newLogTail("")
	l.Write([]byte(strings.Repeat("x", 3*maxLineLen)))
	if got := len(l.String()); got > maxLineLen {
		t.Errorf("kept %d bytes of one endless line, want at most %d", got, maxLineLen)
	}
}
