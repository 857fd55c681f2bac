package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestDigest(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", chunk/8) // two chunks: the loop runs more than once
	tests := []struct {
		name  string
		files map[string]string // file name -> content; one entry "" is a lone file
		want  string
	}{
		{
			name:  "empty file",
			files: map[string]string{"": ""},
			want:  sha(""),
		},
		{
			name:  "small file",
			files: map[string]string{"": "hello\n"},
			want:  sha("hello\n"),
		},
		{
			name:  "file larger than a chunk",
			files: map[string]string{"": big},
			want:  sha(big),
		},
		{
			name:  "directory archive in name order",
			files: map[string]string{"toc.dat": "PGDMP toc", "3001.dat.gz": "rows", "blob_1.dat": "b"},
			want: sha(fmt.Sprintf("3001.dat.gz\x00%s\nblob_1.dat\x00%s\ntoc.dat\x00%s\n",
				sha("rows"), sha("b"), sha("PGDMP toc"))),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			art := &Artifact{Path: filepath.Join(root, "archive")}
			if content, lone := tt.files[""]; lone {
				write(t, art.Path, content, base)
			} else {
				art.IsDir = true
				for name, content := range tt.files {
					write(t, filepath.Join(art.Path, name), content, base)
				}
			}
			got, err := Digest(context.Background(), art)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Digest = %s, want %s", got, tt.want)
			}
		})
	}
}

// A directory archive's digest depends on names as well as contents: two
// files swapping contents is a different archive.
func TestDigestDirectoryNamesCount(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	write(t, filepath.Join(a, "1.dat"), "x", base)
	write(t, filepath.Join(a, "2.dat"), "y", base)
	write(t, filepath.Join(b, "1.dat"), "y", base)
	write(t, filepath.Join(b, "2.dat"), "x", base)
	da, err := Digest(context.Background(), &Artifact{Path: a, IsDir: true})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Digest(context.Background(), &Artifact{Path: b, IsDir: true})
	if err != nil {
		t.Fatal(err)
	}
	if da == db {
		t.Errorf("swapped contents give the same digest %s", da)
	}
}

func TestDigestErrors(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "f.dump")
	write(t, file, "content", base)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		art  *Artifact
		is   error
	}{
		{"missing file", context.Background(), &Artifact{Path: filepath.Join(root, "gone")}, os.ErrNotExist},
		{"missing directory", context.Background(), &Artifact{Path: filepath.Join(root, "gone"), IsDir: true}, os.ErrNotExist},
		{"cancelled", cancelled, &Artifact{Path: file}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := Digest(tt.ctx, tt.art)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Digest = %q, %v; want an error wrapping %v", sum, err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.art.Path) {
				t.Errorf("error %q should name %s", err, tt.art.Path)
			}
		})
	}
}
