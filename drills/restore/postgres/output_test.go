package postgres

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestRecorder(t *testing.T) {
	var log bytes.Buffer
	r := newRecorder(&log)
	fmt.Fprint(r.Stdout(), "out 1\nout")
	fmt.Fprint(r.Stderr(), "pg_restore: error: boom\r\n")
	fmt.Fprint(r.Stdout(), " 2\n")
	fmt.Fprint(r.Stderr(), "no newline at the end")
	r.close()
	if want := "out 1\noutpg_restore: error: boom\r\n 2\nno newline at the end"; log.String() != want {
		t.Errorf("log = %q, want everything as written: %q", log.String(), want)
	}
	if want := "out 1\npg_restore: error: boom\nout 2\nno newline at the end"; r.tail() != want {
		t.Errorf("tail = %q, want %q", r.tail(), want)
	}
	if got, want := r.errorLines(), []string{"pg_restore: error: boom", "no newline at the end"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("errorLines = %q, want %q", got, want)
	}
}

func TestRecorderKeepsTheLastLines(t *testing.T) {
	r := newRecorder(nil)
	for i := range 100 {
		fmt.Fprintf(r.Stdout(), "line %d\n", i)
	}
	fmt.Fprint(r.Stdout(), strings.Repeat("x", 3*maxLine)+"\n")
	r.close()
	lines := strings.Split(r.tail(), "\n")
	if len(lines) != tailLines {
		t.Fatalf("kept %d lines, want %d", len(lines), tailLines)
	}
	if lines[0] != "line 61" || lines[tailLines-2] != "line 99" {
		t.Errorf("kept %q ... %q, want line 61 ... line 99", lines[0], lines[tailLines-2])
	}
	if n := len(lines[tailLines-1]); n != maxLine {
		t.Errorf("a long line is kept at %d bytes, want %d", n, maxLine)
	}
}

func TestRecorderConcurrentStreams(t *testing.T) {
	r := newRecorder(nil)
	var wg sync.WaitGroup
	for _, w := range []interface{ Write([]byte) (int, error) }{r.Stdout(), r.Stderr()} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if n, err := w.Write([]byte("abc\n")); n != 4 || err != nil {
					t.Errorf("Write = %d, %v", n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	r.close()
	for _, l := range strings.Split(r.tail(), "\n") {
		if l != "abc" {
			t.Fatalf("lines of two streams got mixed: %q", l)
		}
	}
}

func TestToolMessage(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{
			name:  "pg_restore read error",
			lines: []string{"pg_restore: error: could not read from input file: end of file"},
			want:  "pg_restore: error: could not read from input file: end of file",
		},
		{
			name: "from the first error on",
			lines: []string{"pg_restore: warning: something harmless",
				`pg_restore: error: could not execute query: ERROR:  role "app" does not exist`,
				"Command was: ALTER TABLE public.t OWNER TO app;", ""},
			want: `pg_restore: error: could not execute query: ERROR:  role "app" does not exist; Command was: ALTER TABLE public.t OWNER TO app;`,
		},
		{
			name:  "psql",
			lines: []string{`psql:/b/x.sql:25: ERROR:  role "app" does not exist`},
			want:  `psql:/b/x.sql:25: ERROR:  role "app" does not exist`,
		},
		{
			name:  "no error line: the last three",
			lines: []string{"a", "b", "c", "d"},
			want:  "b; c; d",
		},
		{name: "nothing", lines: []string{"", " "}, want: "it printed no error message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toolMessage(tt.lines); got != tt.want {
				t.Errorf("toolMessage = %q, want %q", got, tt.want)
			}
		})
	}
}
