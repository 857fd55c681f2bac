package gitread

import (
	"cmp"
	"context"
	"errors"
	"slices"
)

// ErrNeedsRendering is returned when the path is a Helm chart or a
// kustomization: what it holds is known only once rendered.
var ErrNeedsRendering = errors.New("its child Applications are known only once it is rendered, at run time")

// Auth are the credentials of an https repository. A token goes into
// Password (any non-empty Username for GitHub and GitLab).
type Auth struct {
	Username, Password string
}

// Child is one child Application of an app-of-apps, as written in Git.
type Child struct {
	// Name is the Application's metadata.name.
	Name string
	// Wave is its argocd.argoproj.io/sync-wave annotation; 0 unless set.
	Wave int
	// RepoURL, Path and Revision are its source (the first of several
	// sources); Revision is HEAD when the Application leaves it empty, as
	// Argo CD reads it.
	RepoURL, Path, Revision string
	// DestinationNamespace is spec.destination.namespace.
	DestinationNamespace string
	// Automated says whether it syncs by itself (spec.syncPolicy.automated).
	Automated bool
}

// Children reads the child Applications written in path (a directory of
// the repository, relative to its top; "" or "." is the top) at revision
// (a branch, tag, commit or HEAD; "" is HEAD) of repoURL, sorted by wave
// then name. Documents that are not argoproj.io/v1alpha1 Applications are
// ignored. Errors name the repository (without credentials) and the
// revision.
func Children(ctx context.Context, repoURL, revision, path string, auth Auth) ([]Child, error) {
	src := source{url: repoURL, revision: revision, auth: auth}
	if src.revision == "" {
		src.revision = "HEAD"
	}
	dir, err := cleanPath(path)
	if err != nil {
		return nil, src.errorf("%w", err)
	}
	commit, err := src.fetch(ctx)
	if err != nil {
		return nil, err
	}
	files, err := src.directory(commit, dir)
	if err != nil {
		return nil, err
	}
	var children []Child
	origin := map[string]string{} // child name → the file that defines it
	for _, f := range files {
		found, err := applications(f.name, f.content)
		if err != nil {
			return nil, src.errorf("path %s: %w", displayPath(dir), err)
		}
		for _, ch := range found {
			if first, dup := origin[ch.Name]; dup {
				return nil, src.errorf("path %s: application %s is defined twice, in %s and %s: Argo CD would apply only one; keep one", displayPath(dir), ch.Name, first, f.name)
			}
			origin[ch.Name] = f.name
			children = append(children, ch)
		}
	}
	slices.SortFunc(children, func(a, b Child) int {
		return cmp.Or(cmp.Compare(a.Wave, b.Wave), cmp.Compare(a.Name, b.Name))
	})
	return children, nil
}
