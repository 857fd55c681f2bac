package postgres

import (
	"bufio"
	"bytes"
	"strings"
)

// isText tells SQL from binary data: no NUL byte, and hardly any control
// characters. It does not insist on UTF-8, since dumps in LATIN1 and other
// single-byte encodings are plain SQL too.
func isText(b []byte) bool {
	if len(b) == 0 || bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	control := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' || c == 0x7f {
			control++
		}
	}
	return control*100 <= len(b) // at most 1%
}

// pg_dump starts a plain dump with these comments.
const (
	dumpedFromPrefix = "-- Dumped from database version "
	dumpedByPrefix   = "-- Dumped by pg_dump version "
)

// fromPlain reads pg_dump's version comments from the start of a plain dump.
// SQL written by other tools has none; that is not an error.
func fromPlain(format string, head []byte) detected {
	d := detected{format: format}
	sc := bufio.NewScanner(bytes.NewReader(head))
	sc.Buffer(make([]byte, 0, 4096), len(head)+1)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, dumpedFromPrefix):
			d.dumpedFrom = strings.TrimSpace(strings.TrimPrefix(line, dumpedFromPrefix))
		case strings.HasPrefix(line, dumpedByPrefix):
			d.dumpedBy = strings.TrimSpace(strings.TrimPrefix(line, dumpedByPrefix))
		}
		if d.dumpedFrom != "" && d.dumpedBy != "" {
			break
		}
	}
	return d
}
