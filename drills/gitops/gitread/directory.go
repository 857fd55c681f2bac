package gitread

import (
	"errors"
	"io"
	"path"
	"slices"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// renderedMarkers are the files that make Argo CD render a directory (a
// Helm chart, a kustomization) instead of applying its files as they are.
var renderedMarkers = map[string]string{
	"Chart.yaml":         "a Helm chart",
	"kustomization.yaml": "a kustomization",
	"kustomization.yml":  "a kustomization",
	"Kustomization":      "a kustomization",
}

// manifestExtensions are the files Argo CD applies from a plain directory.
var manifestExtensions = []string{".yaml", ".yml", ".json"}

// file is one manifest file of the directory.
type file struct {
	name    string
	content []byte
}

// directory reads the manifest files directly in dir at commit, in name
// order; subdirectories are not read, as Argo CD does not recurse unless
// told to.
func (s source) directory(commit *object.Commit, dir string) ([]file, error) {
	root, err := commit.Tree()
	if err != nil {
		return nil, s.errorf("read the tree of commit %s: %w", commit.Hash, err)
	}
	tree := root
	if dir != "" {
		entry, err := root.FindEntry(dir)
		if err != nil {
			return nil, s.errorf("path %s does not exist: give the directory of the child Applications, relative to the repository's top", dir)
		}
		if entry.Mode != filemode.Dir {
			return nil, s.errorf("path %s is a file, not a directory: give the directory that holds the child Applications", dir)
		}
		if tree, err = root.Tree(dir); err != nil {
			return nil, s.errorf("read path %s: %w", dir, err)
		}
	}
	for _, e := range tree.Entries {
		if what, ok := renderedMarkers[e.Name]; ok && isContent(e.Mode) {
			return nil, s.errorf("path %s is %s (%s): %w", displayPath(dir), what, e.Name, ErrNeedsRendering)
		}
	}
	var files []file
	for _, e := range tree.Entries {
		if !isContent(e.Mode) || !slices.Contains(manifestExtensions, path.Ext(e.Name)) {
			continue
		}
		content, err := readBlob(tree, e.Name)
		if err != nil {
			return nil, s.errorf("read %s: %w", path.Join(dir, e.Name), err)
		}
		files = append(files, file{name: path.Join(dir, e.Name), content: content})
	}
	return files, nil
}

func readBlob(tree *object.Tree, name string) ([]byte, error) {
	f, err := tree.File(name)
	if err != nil {
		return nil, err
	}
	r, err := f.Reader()
	if err != nil {
		return nil, err
	}
	content, err := io.ReadAll(r)
	return content, errors.Join(err, r.Close())
}

// isContent says whether a tree entry is a file with content (not a
// symbolic link, a directory or a submodule).
func isContent(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable
}
