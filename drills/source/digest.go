package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// chunk is how much is hashed between two looks at ctx: small enough that a
// cancelled run stops within milliseconds, large enough to cost nothing.
const chunk = 1 << 20

// Digest is the hex sha256 that identifies a's content. For a directory
// archive it is the sha256 of one "name\x00<sha256 of the file>\n" line per
// file, in name order, so that it does not depend on how files are listed.
func Digest(ctx context.Context, a *Artifact) (string, error) {
	if !a.IsDir {
		sum, err := fileSum(ctx, a.Path)
		if err != nil {
			return "", err
		}
		return hex.EncodeToString(sum), nil
	}
	files, err := archiveFiles(ctx, a.Path)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		sum, err := fileSum(ctx, filepath.Join(a.Path, f.name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%x\n", f.name, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileSum(ctx context.Context, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	h := sha256.New()
	if err := copyCtx(ctx, h, f); err != nil {
		return nil, fmt.Errorf("checksum of %s: %w", path, err)
	}
	return h.Sum(nil), nil
}

func copyCtx(ctx context.Context, h hash.Hash, r io.Reader) error {
	buf := make([]byte, chunk)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := r.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
