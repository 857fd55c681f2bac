package postgres

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const plainDump = `--
-- PostgreSQL database dump
--

-- Dumped from database version 15.4 (Debian 15.4-1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
CREATE TABLE public.invoices (id bigint);
`

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tarOf is a tar file of the given members, in order.
func tarOf(t *testing.T, members ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		if err := tw.WriteHeader(&tar.Header{Name: m[0], Mode: 0o600, Size: int64(len(m[1])), Format: tar.FormatUSTAR}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(m[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestDetect(t *testing.T) {
	custom15 := fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, compression: -1, database: "billing",
		dumpedFrom: "15.4", dumpedBy: "15.18 (Debian 15.18-0+deb12u1)"}.bytes()
	tarToc := fakeHeader{vmaj: 1, vmin: 14, format: codeTar, dumpedFrom: "14.9", dumpedBy: "15.18"}.bytes()
	dirToc := fakeHeader{vmaj: 1, vmin: 16, format: codeTar, dumpedFrom: "17.2", dumpedBy: "17.2"}.bytes()
	tests := []struct {
		name     string
		file     []byte            // a file with this content
		dir      map[string][]byte // or a directory with these files
		format   string
		by, from string
		notArch  bool   // the error matches ErrNotArchive
		errHas   string // and says this
		ioErr    bool   // a plain read error
		noHeader bool
	}{
		{name: "custom", file: custom15, format: FormatCustom, by: "15.18 (Debian 15.18-0+deb12u1)", from: "15.4"},
		{name: "directory", dir: map[string][]byte{"toc.dat": dirToc, "3001.dat.gz": {1}}, format: FormatDirectory, by: "17.2", from: "17.2"},
		{name: "tar", file: tarOf(t, [2]string{"toc.dat", string(tarToc)}, [2]string{"3001.dat", "1\n"}), format: FormatTar, by: "15.18", from: "14.9"},
		{name: "plain", file: []byte(plainDump), format: FormatPlain, by: "15.18 (Debian 15.18-0+deb12u1)", from: "15.4 (Debian 15.4-1)", noHeader: true},
		{name: "plain with CRLF", file: []byte(strings.ReplaceAll(plainDump, "\n", "\r\n")), format: FormatPlain, by: "15.18 (Debian 15.18-0+deb12u1)", from: "15.4 (Debian 15.4-1)", noHeader: true},
		{name: "plain not by pg_dump", file: []byte("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"), format: FormatPlain, noHeader: true},
		{name: "plain in latin1", file: []byte("INSERT INTO t VALUES ('caf\xe9');\n"), format: FormatPlain, noHeader: true},
		{name: "gzip plain", file: gz(t, []byte(plainDump)), format: FormatPlainGzip, by: "15.18 (Debian 15.18-0+deb12u1)", from: "15.4 (Debian 15.4-1)", noHeader: true},

		{name: "empty file", file: []byte{}, notArch: true, errHas: "is empty"},
		{name: "empty gzip", file: gz(t, nil), notArch: true, errHas: "is empty"},
		{name: "random bytes", file: randomBytes(4096), notArch: true, errHas: "is not a pg_dump archive: it starts with"},
		{name: "JPEG", file: append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, randomBytes(500)...), notArch: true, errHas: "JPEG"},
		{name: "xz", file: append([]byte{0xfd, '7', 'z', 'X', 'Z', 0}, randomBytes(100)...), notArch: true, errHas: "xz-compressed"},
		{name: "truncated custom header", file: custom15[:20], notArch: true, errHas: "truncated"},
		{name: "magic only", file: []byte("PGDMP"), notArch: true, errHas: "truncated"},
		{name: "a directory archive's toc.dat alone", file: dirToc, notArch: true, errHas: "point the source at the directory"},
		{name: "a tar archive's toc.dat alone", file: tarToc, notArch: true, errHas: "not the whole archive"},
		{name: "custom magic, unknown format code", file: fakeHeader{vmaj: 1, vmin: 14, format: 9}.bytes(), notArch: true, errHas: "format code 9"},
		{name: "directory whose toc.dat says custom", dir: map[string][]byte{"toc.dat": custom15}, notArch: true, errHas: "format code 1"},
		{name: "gzip of a custom archive", file: gz(t, custom15), notArch: true, errHas: "gzip-compressed custom archive"},
		{name: "gzip of binary", file: gz(t, randomBytes(1000)), notArch: true, errHas: "not SQL"},
		{name: "gzip header only", file: []byte{0x1f, 0x8b}, notArch: true, errHas: "not a readable gzip file"},
		{name: "tar of something else", file: tarOf(t, [2]string{"backup/toc.dat", string(tarToc)}), notArch: true, errHas: `first member is "backup/toc.dat"`},
		{name: "directory without toc.dat", dir: map[string][]byte{"3001.dat": {1}}, notArch: true, errHas: "has no toc.dat"},
		{name: "directory with empty toc.dat", dir: map[string][]byte{"toc.dat": {}}, notArch: true, errHas: "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "backup")
			if tt.dir != nil {
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
				for name, b := range tt.dir {
					if err := os.WriteFile(filepath.Join(path, name), b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			} else if err := os.WriteFile(path, tt.file, 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := detect(path, tt.dir != nil)
			if tt.notArch {
				if !errors.Is(err, ErrNotArchive) {
					t.Fatalf("detect = %+v, %v; want an error matching ErrNotArchive", d, err)
				}
				if !strings.Contains(err.Error(), tt.errHas) || !strings.HasPrefix(err.Error(), path+" ") {
					t.Errorf("error %q should start with the path and contain %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.format != tt.format || d.dumpedBy != tt.by || d.dumpedFrom != tt.from {
				t.Errorf("detect = %s by %q from %q, want %s by %q from %q", d.format, d.dumpedBy, d.dumpedFrom, tt.format, tt.by, tt.from)
			}
			if (d.header == nil) != tt.noHeader {
				t.Errorf("header = %+v, want none: %v", d.header, tt.noHeader)
			}
		})
	}
}

func TestDetectMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.dump")
	_, err := detect(path, false)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want a not-exist error naming %s", err, path)
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"sql", []byte("SELECT 1;\n"), true},
		{"tabs and form feeds", []byte("a\tb\fc\r\n"), true},
		{"utf-8", []byte("INSERT INTO t VALUES ('zürich');"), true},
		{"empty", nil, false},
		{"a NUL", []byte("SELECT\x001;"), false},
		{"control characters", bytes.Repeat([]byte("ab\x01"), 10), false},
		{"one stray control character in a hundred bytes", append(bytes.Repeat([]byte("a"), 99), 0x1b), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isText(tt.in); got != tt.want {
				t.Errorf("isText(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
