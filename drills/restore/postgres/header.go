package postgres

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// archiveMagic starts every custom archive, and the toc.dat of every
// directory and tar archive.
var archiveMagic = []byte("PGDMP")

// Format codes in the archive header (ArchiveFormat in pg_backup.h). A
// directory archive's toc.dat says tar: pg_dump writes the tar code there,
// since the two layouts are compatible.
const (
	codeCustom = 1
	codeTar    = 3
)

// archiveVersion is the version of the archive layout, which pg_dump bumps
// when the layout changes (K_VERS_* in pg_backup_archiver.h). It is not the
// PostgreSQL version.
type archiveVersion struct{ major, minor, rev int }

func (v archiveVersion) String() string {
	if v.rev != 0 {
		return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.rev)
	}
	return fmt.Sprintf("%d.%d", v.major, v.minor)
}

func (v archiveVersion) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

// newestKnown is the newest layout this package can read past the version
// bytes: 1.16, written by pg_dump 17.
var newestKnown = archiveVersion{1, 16, 0}

// archiveHeader is what an archive says about itself.
type archiveHeader struct {
	version archiveVersion
	// unknown is set when the version is newer than newestKnown: only the
	// version was read, since the rest of the layout may have changed.
	unknown     bool
	intSize     int
	offSize     int
	format      int
	compression string
	database    string
	dumpedFrom  string // the server's version
	dumpedBy    string // pg_dump's version
}

// errTruncated is a header that ends before its last field.
var errTruncated = errors.New("the header is truncated")

// maxHeaderString bounds a header string; real ones are a database name or
// a version string, so anything longer is a corrupt length.
const maxHeaderString = 1 << 16

// parseHeader reads an archive header (ReadHead in pg_backup_archiver.c)
// from r, which must start with the magic. The error is a reason, to be
// given with the archive's path.
func parseHeader(r io.Reader) (archiveHeader, error) {
	hr := headerReader{r: r}
	var h archiveHeader
	magic := hr.bytes(len(archiveMagic))
	if hr.err != nil {
		return h, hr.err
	}
	if !bytes.Equal(magic, archiveMagic) {
		return h, errors.New("it does not start with PGDMP")
	}
	h.version.major, h.version.minor = hr.byte(), hr.byte()
	if h.version.atLeast(1, 1) {
		h.version.rev = hr.byte()
	}
	if hr.err != nil {
		return h, hr.err
	}
	if !h.version.atLeast(1, 0) {
		return h, fmt.Errorf("archive format %s is older than any pg_restore reads", h.version)
	}
	if h.version.atLeast(newestKnown.major, newestKnown.minor+1) {
		h.unknown = true
		return h, nil
	}

	h.intSize = hr.byte()
	if hr.err == nil && (h.intSize < 1 || h.intSize > 8) {
		return h, fmt.Errorf("the header gives an integer size of %d bytes", h.intSize)
	}
	hr.intSize = h.intSize
	h.offSize = h.intSize
	if h.version.atLeast(1, 7) {
		h.offSize = hr.byte()
	}
	h.format = hr.byte()
	h.compression = readCompression(&hr, h.version)
	if h.version.atLeast(1, 4) {
		for range 7 { // creation time: sec, min, hour, mday, mon, year, isdst
			hr.int()
		}
		h.database = hr.str()
	}
	if h.version.atLeast(1, 10) {
		h.dumpedFrom = hr.str()
		h.dumpedBy = hr.str()
	}
	return h, hr.err
}

// readCompression names the archive's compression: since 1.15 a byte naming
// the algorithm, before that a gzip level where 0 meant none.
func readCompression(hr *headerReader, v archiveVersion) string {
	var level int64
	switch {
	case v.atLeast(1, 15):
		switch alg := hr.byte(); alg {
		case 0:
			return "none"
		case 1:
			return "gzip"
		case 2:
			return "lz4"
		case 3:
			return "zstd"
		default:
			return fmt.Sprintf("unknown (%d)", alg)
		}
	case v.atLeast(1, 4):
		level = hr.int()
	case v.atLeast(1, 2):
		level = int64(hr.byte())
	default:
		return "gzip"
	}
	if level == 0 {
		return "none"
	}
	return "gzip"
}

// headerReader reads the header's primitive types and keeps the first
// error, so that parsing reads as a list of fields.
type headerReader struct {
	r       io.Reader
	intSize int
	err     error
}

func (hr *headerReader) bytes(n int) []byte {
	if hr.err != nil {
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(hr.r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errTruncated
		}
		hr.err = err
		return nil
	}
	return b
}

func (hr *headerReader) byte() int {
	b := hr.bytes(1)
	if b == nil {
		return 0
	}
	return int(b[0])
}

// int is ReadInt: a sign byte, then intSize bytes, least significant first.
func (hr *headerReader) int() int64 {
	sign := hr.byte()
	b := hr.bytes(hr.intSize)
	var v int64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | int64(b[i])
	}
	if sign != 0 {
		v = -v
	}
	return v
}

// str is ReadStr: an int length, then that many bytes; a negative length
// is a NULL string.
func (hr *headerReader) str() string {
	n := hr.int()
	if hr.err != nil || n < 0 {
		return ""
	}
	if n > maxHeaderString {
		hr.err = fmt.Errorf("the header holds a string of %d bytes", n)
		return ""
	}
	return string(hr.bytes(int(n)))
}
