package lab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitEnv keeps the user's and the system's git configuration out, and names
// the committer, so that commits work the same on every machine.
func gitEnv() []string {
	return append(os.Environ(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=drill lab", "GIT_AUTHOR_EMAIL=lab@drill.invalid",
		"GIT_COMMITTER_NAME=drill lab", "GIT_COMMITTER_EMAIL=lab@drill.invalid",
	)
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return strings.TrimSpace(out.String()), nil
}

// GitBranch is the branch of the lab's repository that Argo CD follows.
const GitBranch = "main"

// initRepo makes a bare repository at path with one commit on GitBranch.
func initRepo(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("make the lab's git repository: %w", err)
	}
	if _, err := git(ctx, filepath.Dir(path), "init", "--quiet", "--bare", "--initial-branch="+GitBranch, path); err != nil {
		return fmt.Errorf("make the lab's git repository (is git installed?): %w", err)
	}
	_, err := Push(ctx, path, map[string]string{
		"README.md": "Manifests that the drill lab's Argo CD syncs.\n",
		"apps/hello/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: hello
data:
  greeting: hello
`,
	}, "Seed the lab repository")
	return err
}

// Push commits files (path in the repository → content) to GitBranch of the
// bare repository repo, as one commit with message, and returns the
// commit's id. Tests of several packages push to one lab at once: a push
// that another moved the branch under is refused, and made again on the
// new head.
func Push(ctx context.Context, repo string, files map[string]string, message string) (string, error) {
	var err error
	for range pushAttempts {
		var commit string
		if commit, err = pushOnce(ctx, repo, files, message); err == nil || ctx.Err() != nil {
			return commit, err
		}
	}
	return "", err
}

// pushAttempts bounds Push's attempts. Any failure is tried again: the one
// expected is a push refused because another landed between its fetch and
// its push, and any other fails the same way each time.
const pushAttempts = 10

func pushOnce(ctx context.Context, repo string, files map[string]string, message string) (string, error) {
	work, err := os.MkdirTemp("", "drill-lab-git-*")
	if err != nil {
		return "", fmt.Errorf("push to %s: %w", repo, err)
	}
	defer os.RemoveAll(work)
	if _, err := git(ctx, work, "init", "--quiet", "--initial-branch="+GitBranch, "."); err != nil {
		return "", err
	}
	if _, err := git(ctx, work, "fetch", "--quiet", repo, GitBranch); err == nil {
		if _, err := git(ctx, work, "reset", "--quiet", "--hard", "FETCH_HEAD"); err != nil {
			return "", err
		}
	}
	for name, content := range files {
		p := filepath.Join(work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("push to %s: %w", repo, err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return "", fmt.Errorf("push to %s: %w", repo, err)
		}
	}
	if _, err := git(ctx, work, "add", "--all"); err != nil {
		return "", err
	}
	if _, err := git(ctx, work, "commit", "--quiet", "--allow-empty", "-m", message); err != nil {
		return "", err
	}
	if _, err := git(ctx, work, "push", "--quiet", repo, "HEAD:refs/heads/"+GitBranch); err != nil {
		return "", err
	}
	return git(ctx, work, "rev-parse", "HEAD")
}

// Holds says whether rev is commit or a later commit of the bare repository
// repo. Tests of several packages push to one lab's branch at once, so an
// application that follows the branch may sync a newer head than the
// commit its test pushed: that head holds the test's commit.
func Holds(ctx context.Context, repo, rev, commit string) bool {
	return rev != "" && exec.CommandContext(ctx, "git", "-C", repo, "merge-base", "--is-ancestor", commit, rev).Run() == nil
}
