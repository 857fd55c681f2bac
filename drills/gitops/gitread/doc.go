// Package gitread reads the child Applications of an app-of-apps straight
// from Git, without a cluster or Argo CD, so that drill plan can show the
// whole graph of a full-cluster rebuild (the root, its children by sync
// wave) before anything exists.
//
// It clones the one revision the root points at into memory (shallow where
// the server allows it; nothing is written to disk) and reads every
// *.yaml, *.yml and *.json file directly in the root's path, as Argo CD's
// plain directory source does without recursion. A path that Argo CD would
// render first (a Helm chart or a kustomization) is refused with
// ErrNeedsRendering: its children are known only at run time.
//
// Repositories are reached over https (with a username and password or
// token), as file:// URLs or plain paths (through git-upload-pack, so the
// git program must be installed), and over ssh with go-git's defaults (the
// SSH agent); Auth carries no SSH key.
package gitread
