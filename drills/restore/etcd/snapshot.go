package etcd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"go.etcd.io/etcd/etcdutl/v3/snapshot"
	"go.uber.org/zap"
)

// minSnapshotBytes is the smallest snapshot there can be: a bbolt database
// is at least four 4 KiB pages (two meta pages, a freelist, a root), and
// the hash follows it.
const minSnapshotBytes = 4*4096 + sha256.Size

// readChunk is how much of the snapshot is hashed between looks at ctx.
const readChunk = 1 << 20

// facts is what a snapshot says about itself.
type facts struct {
	// Bytes is the file's size, hash included.
	Bytes int64
	// Revision is the newest revision of the key space in it.
	Revision int64
	// Entries counts every entry of the database's buckets, as etcdutl
	// snapshot status does (keys' revisions, leases, members, ...).
	Entries int
}

// readSnapshot proves the snapshot at path whole (its appended sha256
// matches its content) and reads its revision and entries. Every failure
// names the file and says what is wrong with it.
func readSnapshot(ctx context.Context, path string) (facts, error) {
	size, err := verifyHash(ctx, path)
	if err != nil {
		return facts{}, err
	}
	st, err := status(path)
	if err != nil {
		return facts{}, fmt.Errorf("etcd snapshot %s has a correct hash but is not a readable etcd database: %w", path, err)
	}
	return facts{Bytes: size, Revision: st.Revision, Entries: st.TotalKey}, nil
}

// verifyHash reads the file through and compares the sha256 etcd appends
// to a snapshot with the content before it. Any cut or flipped byte fails.
func verifyHash(ctx context.Context, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("read etcd snapshot %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("read etcd snapshot %s: %w", path, err)
	}
	size := info.Size()
	if size < minSnapshotBytes {
		return size, fmt.Errorf("etcd snapshot %s is %d bytes, too small for an etcd snapshot: it is truncated or not a snapshot", path, size)
	}
	// etcd pads nothing: a snapshot is whole 512-byte sectors of database
	// and the 32 bytes of its hash (etcdutl's hasChecksum).
	if size%512 != sha256.Size {
		return size, fmt.Errorf("etcd snapshot %s has no sha256 at its end (%d bytes is not whole 512-byte sectors and 32): it is truncated, or not a file that etcdctl snapshot save or RKE2 wrote", path, size)
	}
	h := sha256.New()
	body := io.LimitReader(f, size-sha256.Size)
	buf := make([]byte, readChunk)
	for {
		if err := ctx.Err(); err != nil {
			return size, err
		}
		n, err := body.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return size, fmt.Errorf("read etcd snapshot %s: %w", path, err)
		}
	}
	want := make([]byte, sha256.Size)
	if _, err := io.ReadFull(f, want); err != nil {
		return size, fmt.Errorf("read the hash at the end of etcd snapshot %s: %w", path, err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return size, fmt.Errorf("etcd snapshot %s is corrupt: its content's sha256 is %s, and the hash written at its end is %s: take a new snapshot, or restore an older one", path, hex.EncodeToString(got)[:16]+"…", hex.EncodeToString(want)[:16]+"…")
	}
	return size, nil
}

// status is etcdutl's snapshot status. The database library panics on some
// damage it finds; that is the snapshot's fault, reported as an error.
func status(path string) (st snapshot.Status, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the database library gave up reading it: %v", r)
		}
	}()
	return snapshot.NewV3(zap.NewNop()).Status(path)
}
