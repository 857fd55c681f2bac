package gitread

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"
)

// fetchedRef is where the revision is kept in the in-memory repository.
const fetchedRef = plumbing.ReferenceName("refs/drill/revision")

// hexRevision is what a (possibly abbreviated) commit id looks like.
var hexRevision = regexp.MustCompile(`^[0-9a-f]{4,40}$`)

// fetch brings the revision's commit into an in-memory repository: a
// shallow fetch of the one branch, tag or commit where the server allows
// it, else (an abbreviated or unadvertised commit) every branch and tag.
func (s source) fetch(ctx context.Context) (*object.Commit, error) {
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		return nil, s.errorf("make an in-memory repository: %w", err)
	}
	remote, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{s.url}})
	if err != nil {
		return nil, s.errorf("%w", err)
	}
	auth, err := s.authMethod()
	if err != nil {
		return nil, err
	}
	refs, err := remote.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil {
		return nil, s.errorf("list its branches and tags: %w: check the URL and the credentials", err)
	}
	fetch := func(spec string, depth int) error {
		err := remote.FetchContext(ctx, &git.FetchOptions{
			RefSpecs: []config.RefSpec{config.RefSpec(spec)}, Depth: depth, Auth: auth, Tags: git.NoTags,
		})
		if errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil
		}
		return err
	}
	if name, ok := resolve(refs, s.revision); ok {
		if err := fetch("+"+name.String()+":"+fetchedRef.String(), 1); err != nil {
			return nil, s.errorf("fetch: %w", err)
		}
		return s.commitAt(repo, fetchedRef.String())
	}
	if !hexRevision.MatchString(s.revision) {
		return nil, s.errorf("no such branch or tag (it has %s): name a branch, a tag, a commit or HEAD", refNames(refs))
	}
	// A commit: servers that allow it give exactly that one; others give
	// it with the history of every branch and tag.
	if len(s.revision) == 40 && fetch("+"+s.revision+":"+fetchedRef.String(), 1) == nil {
		return s.commitAt(repo, fetchedRef.String())
	}
	if err := fetch("+refs/heads/*:refs/heads/*", 0); err != nil {
		return nil, s.errorf("fetch its branches: %w", err)
	}
	if err := fetch("+refs/tags/*:refs/tags/*", 0); err != nil {
		return nil, s.errorf("fetch its tags: %w", err)
	}
	return s.commitAt(repo, s.revision)
}

// commitAt is the commit rev names in repo.
func (s source) commitAt(repo *git.Repository, rev string) (*object.Commit, error) {
	hash, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, s.errorf("no such branch, tag or commit: name a branch, a tag, a commit or HEAD")
	}
	commit, err := repo.CommitObject(*hash)
	if err != nil {
		return nil, s.errorf("read commit %s: %w", hash, err)
	}
	return commit, nil
}

// authMethod is how the repository is reached: basic auth for http(s).
// Other repositories ignore Auth, so that one set of credentials can serve
// a scenario whatever its URL: a local one needs none, and ssh uses
// go-git's default (the SSH agent).
func (s source) authMethod() (transport.AuthMethod, error) {
	if s.auth == (Auth{}) {
		return nil, nil
	}
	ep, err := transport.NewEndpoint(s.url)
	if err != nil {
		return nil, s.errorf("%w", err)
	}
	if ep.Protocol != "http" && ep.Protocol != "https" {
		return nil, nil
	}
	return &githttp.BasicAuth{Username: s.auth.Username, Password: s.auth.Password}, nil
}

// resolve finds the reference revision names among the remote's: HEAD (or
// the branch it points to), a branch, a tag, or a full reference name.
func resolve(refs []*plumbing.Reference, revision string) (plumbing.ReferenceName, bool) {
	byName := map[plumbing.ReferenceName]*plumbing.Reference{}
	for _, r := range refs {
		byName[r.Name()] = r
	}
	candidates := []plumbing.ReferenceName{
		plumbing.ReferenceName(revision),
		plumbing.NewBranchReferenceName(revision),
		plumbing.NewTagReferenceName(revision),
	}
	for _, name := range candidates {
		r, ok := byName[name]
		if !ok {
			continue
		}
		if r.Type() == plumbing.SymbolicReference {
			if _, ok := byName[r.Target()]; ok {
				return r.Target(), true
			}
		}
		return name, true
	}
	return "", false
}

// refNames lists the remote's branches and tags for an error, briefly.
func refNames(refs []*plumbing.Reference) string {
	var names []string
	for _, r := range refs {
		if n := r.Name(); n.IsBranch() || n.IsTag() {
			names = append(names, n.Short())
		}
	}
	if len(names) == 0 {
		return "no branches or tags"
	}
	sort.Strings(names)
	if len(names) > 10 {
		names = append(names[:10], "...")
	}
	return strings.Join(names, ", ")
}
