package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/bootstrap"
	"github.com/restore-drill/drill/drills/gitops/helm"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// bootstrapOptions turns a scenario's bootstrap into the platform's
// options. The repositories' secrets are read here, before anything runs,
// from the environment and files the scenario names: a missing one is the
// person's to fix (exit 2), and none is ever printed (in GitHub Actions,
// each is masked).
func bootstrapOptions(b *scenarios.Bootstrap, log io.Writer) (bootstrap.Options, error) {
	a := b.ArgoCD
	opts := bootstrap.Options{Namespace: a.Namespace}
	if in := a.Install; in != nil {
		opts.Install = timedInstaller{
			Installer: helm.NewInstaller(helm.Options{}, helm.ClusterApp{
				Namespace: a.Namespace, Chart: in.Chart, Repository: in.Repository, Version: in.Version,
				Release: in.Release, Values: in.Values, ValuesFiles: in.ValuesFiles,
			}),
			timeout: in.Timeout,
		}
	}
	for i, r := range a.Repositories {
		repo, err := repositoryCredentials(r)
		if err != nil {
			return bootstrap.Options{}, usageError{fmt.Errorf("spec.bootstrap.argocd.repositories[%d] (%s): %w", i, r.URL, err)}
		}
		maskInGitHub(log, repo.Password, repo.SSHPrivateKey)
		opts.Repositories = append(opts.Repositories, repo)
	}
	if r := a.Root; r != nil {
		opts.Root = bootstrap.Root{Name: r.Name, RepoURL: r.RepoURL, Path: r.Path, Revision: r.Revision, Project: r.Project, AppTimeout: r.AppTimeout}
	}
	return opts, nil
}

// repositoryCredentials reads one repository's secrets.
func repositoryCredentials(r scenarios.RepositoryCredentials) (bootstrap.Repository, error) {
	out := bootstrap.Repository{URL: r.URL, Prefix: r.Prefix, Type: r.Type, Username: r.Username, Insecure: r.Insecure}
	var err error
	if r.UsernameEnv != "" {
		if out.Username, err = fromEnv(r.UsernameEnv, "user name"); err != nil {
			return out, err
		}
	}
	switch {
	case r.PasswordEnv != "":
		out.Password, err = fromEnv(r.PasswordEnv, "password")
	case r.PasswordFile != "":
		out.Password, err = fromFile(r.PasswordFile, "password")
	}
	if err != nil {
		return out, err
	}
	switch {
	case r.SSHPrivateKeyEnv != "":
		out.SSHPrivateKey, err = fromEnv(r.SSHPrivateKeyEnv, "SSH private key")
	case r.SSHPrivateKeyFile != "":
		out.SSHPrivateKey, err = fromFile(r.SSHPrivateKeyFile, "SSH private key")
	}
	return out, err
}

func fromEnv(name, what string) (string, error) {
	v := os.Getenv(name)
	if v == "" {
		return "", fmt.Errorf("the %s is read from environment variable %s, which is empty or unset: export it", what, name)
	}
	return v, nil
}

// fromFile reads a secret from a file; a token file's final newline is not
// part of the token (an SSH key keeps its own).
func fromFile(path, what string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read the %s: %w", what, err)
	}
	v := string(b)
	if what == "password" {
		v = strings.TrimRight(v, "\r\n")
	}
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("the %s file %s is empty", what, path)
	}
	return v, nil
}

// timedInstaller bounds an install by the scenario's install timeout, so
// that an Argo CD that never rolls out fails its step with the reason
// rather than using up the whole run.
type timedInstaller struct {
	gitops.Installer
	timeout time.Duration
}

func (t timedInstaller) Install(ctx context.Context, kube sandbox.KubeAccess, progress io.Writer) (gitops.Result, error) {
	if t.timeout <= 0 {
		return t.Installer.Install(ctx, kube, progress)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, t.timeout, fmt.Errorf("Argo CD was not installed and ready after %s", t.timeout))
	defer cancel()
	return t.Installer.Install(ctx, kube, progress)
}
