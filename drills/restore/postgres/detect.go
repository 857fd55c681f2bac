package postgres

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Formats, as Inspection.Format names them.
const (
	FormatCustom    = "custom"
	FormatDirectory = "directory"
	FormatTar       = "tar"
	FormatPlain     = "plain"
	FormatPlainGzip = "plain.gz"
)

// sniffSize is how much of a file is read to tell its format: the archive
// header, a tar header, or enough SQL text to find pg_dump's comments.
const sniffSize = 64 << 10

// detected is what the content of a backup says it is.
type detected struct {
	format string
	// header is set for custom, directory and tar archives.
	header *archiveHeader
	// dumpedBy and dumpedFrom come from the header, or from plain SQL's
	// comments; empty when the backup does not say.
	dumpedBy, dumpedFrom string
}

// detect tells the format of the backup at path from its content.
func detect(path string, isDir bool) (detected, error) {
	if isDir {
		return detectDirectory(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return detected{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return detected{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	switch {
	case len(head) == 0:
		return detected{}, &archiveError{path: path, what: "is empty", reason: "pg_dump wrote nothing, or the copy was cut short"}
	case bytes.HasPrefix(head, archiveMagic):
		return fromHeader(path, FormatCustom, codeCustom, br)
	case bytes.HasPrefix(head, gzipMagic):
		return detectGzip(path, br)
	case isTar(head):
		return detectTar(path, f)
	case isText(head):
		return fromPlain(FormatPlain, head), nil
	}
	return detected{}, notArchive(path, "%s", unknownContent(head))
}

func detectDirectory(dir string) (detected, error) {
	f, err := os.Open(filepath.Join(dir, "toc.dat"))
	if errors.Is(err, os.ErrNotExist) {
		return detected{}, notArchive(dir, "the directory has no toc.dat")
	}
	if err != nil {
		return detected{}, fmt.Errorf("cannot read %s: %w", dir, err)
	}
	defer f.Close()
	return fromHeader(dir, FormatDirectory, codeTar, bufio.NewReader(f))
}

// detectTar reads the table of contents that pg_dump writes as the first
// member of a tar archive.
func detectTar(path string, f *os.File) (detected, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return detected{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	tr := tar.NewReader(f)
	hdr, err := tr.Next()
	if err != nil {
		return detected{}, notArchive(path, "it looks like a tar file but cannot be read as one: %v", err)
	}
	if hdr.Name != "toc.dat" {
		return detected{}, notArchive(path, "it is a tar file whose first member is %q; a pg_dump tar archive starts with toc.dat", hdr.Name)
	}
	return fromHeader(path, FormatTar, codeTar, tr)
}

// fromHeader reads the archive header from r and checks that it is of the
// format its container says.
func fromHeader(path, format string, code int, r io.Reader) (detected, error) {
	h, err := parseHeader(r)
	if err != nil {
		return detected{}, notArchive(path, "%v", err)
	}
	if !h.unknown && h.format != code {
		return detected{}, notArchive(path, "%s", formatMismatch(format, h.format))
	}
	return detected{format: format, header: &h, dumpedBy: h.dumpedBy, dumpedFrom: h.dumpedFrom}, nil
}

func formatMismatch(container string, code int) string {
	if code == codeTar && container == FormatCustom {
		return "it is the table of contents (toc.dat) of a directory or tar archive, not the whole archive: point the source at the directory that holds it"
	}
	return fmt.Sprintf("it looks like a %s archive but its header says format code %d", container, code)
}

var gzipMagic = []byte{0x1f, 0x8b}

// detectGzip accepts gzip-compressed SQL, the usual "pg_dump | gzip". A
// gzipped custom or tar archive is refused: pg_restore reads neither.
func detectGzip(path string, r io.Reader) (detected, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return detected{}, notArchive(path, "it is not a readable gzip file: %v", err)
	}
	head, err := io.ReadAll(io.LimitReader(zr, sniffSize))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return detected{}, notArchive(path, "it is a corrupt gzip file: %v", err)
	}
	switch {
	case len(head) == 0:
		return detected{}, &archiveError{path: path, what: "is empty", reason: "it is gzip-compressed but holds nothing"}
	case bytes.HasPrefix(head, archiveMagic):
		return detected{}, notArchive(path, "it is a gzip-compressed custom archive, which pg_restore cannot read: gunzip it (custom archives are compressed inside already)")
	case isTar(head):
		return detected{}, notArchive(path, "it is a gzip-compressed tar file, which pg_restore cannot read: gunzip it")
	case isText(head):
		return fromPlain(FormatPlainGzip, head), nil
	}
	return detected{}, notArchive(path, "it is gzip-compressed, but what it holds is not SQL: %s", unknownContent(head))
}

// isTar looks for the POSIX tar magic, which pg_dump writes too.
func isTar(head []byte) bool {
	return len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar"))
}

// otherFormats are common things found in backup directories that are not
// pg_dump archives; naming them saves a person the guess.
var otherFormats = []struct {
	magic []byte
	name  string
}{
	{[]byte("BZh"), "bzip2-compressed: decompress it first"},
	{[]byte{0xfd, '7', 'z', 'X', 'Z', 0}, "xz-compressed: decompress it first"},
	{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd-compressed: decompress it first"},
	{[]byte{0x04, 0x22, 0x4d, 0x18}, "lz4-compressed: decompress it first"},
	{[]byte("PK\x03\x04"), "a zip file"},
	{[]byte{0xff, 0xd8, 0xff}, "a JPEG image"},
	{[]byte("\x89PNG"), "a PNG image"},
	{[]byte("%PDF"), "a PDF document"},
}

func unknownContent(head []byte) string {
	for _, o := range otherFormats {
		if bytes.HasPrefix(head, o.magic) {
			return "it is " + o.name
		}
	}
	n := min(len(head), 8)
	return fmt.Sprintf("it starts with % x, which is neither PGDMP, gzip, tar nor SQL text", head[:n])
}
