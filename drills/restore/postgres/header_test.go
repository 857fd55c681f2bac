package postgres

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fakeHeader builds archive header bytes the way pg_dump's WriteHead does,
// for the versions and fields a test wants.
type fakeHeader struct {
	vmaj, vmin, vrev byte
	intSize          byte // 0 means 4
	format           byte
	// compression is the algorithm byte from 1.15 on, the gzip level
	// before.
	compression int
	database    string
	dumpedFrom  string
	dumpedBy    string
	nullStrings bool // write the strings as NULL (length -1)
}

func (f fakeHeader) bytes() []byte {
	intSize := int(f.intSize)
	if intSize == 0 {
		intSize = 4
	}
	var b bytes.Buffer
	b.WriteString("PGDMP")
	b.WriteByte(f.vmaj)
	b.WriteByte(f.vmin)
	v := archiveVersion{int(f.vmaj), int(f.vmin), int(f.vrev)}
	if v.atLeast(1, 1) {
		b.WriteByte(f.vrev)
	}
	writeInt := func(n int) {
		if n < 0 {
			b.WriteByte(1)
			n = -n
		} else {
			b.WriteByte(0)
		}
		for range intSize {
			b.WriteByte(byte(n))
			n >>= 8
		}
	}
	writeStr := func(s string) {
		if f.nullStrings {
			writeInt(-1)
			return
		}
		writeInt(len(s))
		b.WriteString(s)
	}
	b.WriteByte(byte(intSize))
	if v.atLeast(1, 7) {
		b.WriteByte(8)
	}
	b.WriteByte(f.format)
	switch {
	case v.atLeast(1, 15):
		b.WriteByte(byte(f.compression))
	case v.atLeast(1, 4):
		writeInt(f.compression)
	case v.atLeast(1, 2):
		b.WriteByte(byte(f.compression))
	}
	if v.atLeast(1, 4) {
		for _, n := range []int{5, 4, 3, 1, 2, 124, 0} {
			writeInt(n)
		}
		writeStr(f.database)
	}
	if v.atLeast(1, 10) {
		writeStr(f.dumpedFrom)
		writeStr(f.dumpedBy)
	}
	// What follows the header in a real archive: parsing must stop before.
	b.WriteString("TOC follows")
	return b.Bytes()
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		want   archiveHeader
		errHas string
	}{
		{
			name: "pg_dump 15, custom, gzip level -1",
			in: fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, compression: -1,
				database: "billing", dumpedFrom: "15.4", dumpedBy: "15.18 (Debian 15.18-0+deb12u1)"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 14, 0}, intSize: 4, offSize: 8, format: codeCustom,
				compression: "gzip", database: "billing", dumpedFrom: "15.4", dumpedBy: "15.18 (Debian 15.18-0+deb12u1)"},
		},
		{
			name: "pg_dump 15, directory, uncompressed",
			in:   fakeHeader{vmaj: 1, vmin: 14, format: codeTar, compression: 0, database: "d", dumpedFrom: "14.1", dumpedBy: "15.1"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 14, 0}, intSize: 4, offSize: 8, format: codeTar,
				compression: "none", database: "d", dumpedFrom: "14.1", dumpedBy: "15.1"},
		},
		{
			name: "pg_dump 16, zstd byte",
			in:   fakeHeader{vmaj: 1, vmin: 15, format: codeCustom, compression: 3, database: "x", dumpedFrom: "16.2", dumpedBy: "16.2"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 15, 0}, intSize: 4, offSize: 8, format: codeCustom,
				compression: "zstd", database: "x", dumpedFrom: "16.2", dumpedBy: "16.2"},
		},
		{
			name: "pg_dump 17, tar, lz4",
			in:   fakeHeader{vmaj: 1, vmin: 16, format: codeTar, compression: 2, database: "x", dumpedFrom: "17.2", dumpedBy: "17.2"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 16, 0}, intSize: 4, offSize: 8, format: codeTar,
				compression: "lz4", database: "x", dumpedFrom: "17.2", dumpedBy: "17.2"},
		},
		{
			name: "eight-byte integers",
			in:   fakeHeader{vmaj: 1, vmin: 14, intSize: 8, format: codeCustom, database: "db", dumpedFrom: "12.0", dumpedBy: "12.0"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 14, 0}, intSize: 8, offSize: 8, format: codeCustom,
				compression: "none", database: "db", dumpedFrom: "12.0", dumpedBy: "12.0"},
		},
		{
			name: "NULL strings",
			in:   fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, nullStrings: true}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 14, 0}, intSize: 4, offSize: 8, format: codeCustom, compression: "none"},
		},
		{
			name: "1.9 has no version strings",
			in:   fakeHeader{vmaj: 1, vmin: 9, format: codeCustom, compression: 6, database: "old"}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 9, 0}, intSize: 4, offSize: 8, format: codeCustom, compression: "gzip", database: "old"},
		},
		{
			name: "a newer format than known stops after the version",
			in:   fakeHeader{vmaj: 1, vmin: 17, format: codeCustom}.bytes(),
			want: archiveHeader{version: archiveVersion{1, 17, 0}, unknown: true},
		},
		{
			name: "major 2 is newer than known",
			in:   []byte("PGDMP\x02\x00\x00garbage"),
			want: archiveHeader{version: archiveVersion{2, 0, 0}, unknown: true},
		},
		{name: "wrong magic", in: []byte("PGDMX\x01\x0e\x00"), errHas: "does not start with PGDMP"},
		{name: "version 0.9", in: []byte("PGDMP\x00\x09\x04\x01"), errHas: "older than any pg_restore"},
		{name: "integer size 0", in: []byte("PGDMP\x01\x0e\x00\x00\x08\x01"), errHas: "integer size of 0"},
		{name: "integer size 40", in: []byte("PGDMP\x01\x0e\x00\x28\x08\x01"), errHas: "integer size of 40"},
		{
			name:   "header ends after the creation time",
			in:     append([]byte("PGDMP\x01\x0e\x00\x04\x08\x01\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0, 1, 0, 0, 0}, 7)...),
			errHas: "truncated", // 7 ints, then no database name
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseHeader(bytes.NewReader(tt.in))
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseHeaderLongString(t *testing.T) {
	in := fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, database: strings.Repeat("x", maxHeaderString+1)}.bytes()
	_, err := parseHeader(bytes.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "string of") {
		t.Fatalf("err = %v, want a string-length error", err)
	}
}

// Every prefix of a real header is a truncated header: an error, never a
// panic, never a made-up result.
func TestParseHeaderTruncated(t *testing.T) {
	for _, v := range []byte{14, 15, 16} {
		full := fakeHeader{vmaj: 1, vmin: v, format: codeCustom, database: "billing", dumpedFrom: "15.4", dumpedBy: "15.18"}.bytes()
		full = full[:len(full)-len("TOC follows")]
		for n := range len(full) {
			_, err := parseHeader(bytes.NewReader(full[:n]))
			if !errors.Is(err, errTruncated) {
				t.Fatalf("1.%d header cut at %d of %d bytes: err = %v, want errTruncated", v, n, len(full), err)
			}
		}
	}
}

func FuzzParseHeader(f *testing.F) {
	f.Add(fakeHeader{vmaj: 1, vmin: 14, format: codeCustom, database: "d", dumpedFrom: "15.4", dumpedBy: "15.4"}.bytes())
	f.Add(fakeHeader{vmaj: 1, vmin: 16, intSize: 8, format: codeTar, compression: 3}.bytes())
	f.Add([]byte("PGDMP"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(bytes.NewReader(b))
		if err == nil && !h.unknown && (h.intSize < 1 || h.intSize > 8) {
			t.Errorf("accepted integer size %d", h.intSize)
		}
	})
}
