package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/gitops/gitread"
	"github.com/restore-drill/drill/scenarios"
)

// childrenReadTimeout bounds reading the root's children for a plan.
const childrenReadTimeout = 30 * time.Second

// readChildren reads the root's child Applications from git for the plan,
// with the root repository's credentials when the scenario names them.
func readChildren(ctx context.Context, b *scenarios.Bootstrap) ([]drills.PlannedChild, error) {
	root := b.ArgoCD.Root
	var auth gitread.Auth
	for _, r := range b.ArgoCD.Repositories {
		if r.URL == root.RepoURL || (r.Prefix && strings.HasPrefix(root.RepoURL, r.URL)) {
			creds, err := repositoryCredentials(r)
			if err != nil {
				return nil, fmt.Errorf("credentials of %s: %w", r.URL, err)
			}
			auth = gitread.Auth{Username: creds.Username, Password: creds.Password}
		}
	}
	// A plan is quick: a repository that does not answer is reported, not
	// waited for.
	ctx, cancel := context.WithTimeout(ctx, childrenReadTimeout)
	defer cancel()
	children, err := gitread.Children(ctx, root.RepoURL, root.Revision, root.Path, auth)
	if err != nil {
		return nil, err
	}
	out := make([]drills.PlannedChild, 0, len(children))
	for _, c := range children {
		out = append(out, drills.PlannedChild{
			Name: c.Name, Wave: c.Wave, Namespace: c.DestinationNamespace, Automated: c.Automated,
			Source: fmt.Sprintf("%s %s at %s", c.RepoURL, c.Path, c.Revision),
		})
	}
	return out, nil
}

// writePlannedBootstrap writes a rebuild's bootstrap: where Argo CD comes
// from, the repositories, the root and its children wave by wave.
func writePlannedBootstrap(b *strings.Builder, pb *drills.PlannedBootstrap) {
	if pb == nil {
		return
	}
	b.WriteString("\nBootstrap:\n")
	fmt.Fprintf(b, "  argocd:  %s (namespace %s)\n", pb.ArgoCD, pb.Namespace)
	for _, r := range pb.Repositories {
		fmt.Fprintf(b, "  repo:    %s\n", r)
	}
	fmt.Fprintf(b, "  root:    %s\n", pb.Root)
	if pb.ChildrenNote != "" {
		fmt.Fprintf(b, "  children: %s\n", pb.ChildrenNote)
		return
	}
	wave := 0
	for i, c := range pb.Children {
		if i == 0 || c.Wave != wave {
			fmt.Fprintf(b, "  wave %d:\n", c.Wave)
			wave = c.Wave
		}
		how := ""
		if c.Automated {
			how = ", automated sync"
		}
		dest := ""
		if c.Namespace != "" {
			dest = " → namespace " + c.Namespace
		}
		fmt.Fprintf(b, "    %s: %s%s%s\n", c.Name, c.Source, dest, how)
	}
}
