package kind

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Container runtimes kind can make nodes with, in the order kind's own
// detection tries them.
const (
	Docker  = "docker"
	Podman  = "podman"
	Nerdctl = "nerdctl"
)

// providerEnv picks the runtime, as in kind's command line.
const providerEnv = "KIND_EXPERIMENTAL_PROVIDER"

// infoTimeout bounds asking one runtime whether it works.
const infoTimeout = 15 * time.Second

// detectRuntime finds a container runtime whose daemon answers: the one
// KIND_EXPERIMENTAL_PROVIDER names, else the first of docker, podman and
// nerdctl whose `info` succeeds. When none does, the error says, for each,
// why not ("docker: not found", "docker: permission denied on the
// socket ..."). getenv is os.Getenv outside tests.
func detectRuntime(ctx context.Context, getenv func(string) string) (string, error) {
	candidates := []string{Docker, Podman, Nerdctl}
	if want := getenv(providerEnv); want != "" {
		candidates = []string{want}
		if want != Docker && want != Podman && want != Nerdctl {
			return "", fmt.Errorf("%s=%s: kind knows docker, podman and nerdctl", providerEnv, want)
		}
	}
	var reasons []string
	for _, name := range candidates {
		err := runtimeAnswers(ctx, name)
		if err == nil {
			return name, nil
		}
		if ctx.Err() != nil {
			return "", context.Cause(ctx)
		}
		reasons = append(reasons, err.Error())
	}
	return "", fmt.Errorf("no usable container runtime for the kind sandbox (%s): install and start Docker or Podman where drill runs, or use sandbox cluster with an existing cluster", strings.Join(reasons, "; "))
}

// runtimeAnswers runs `NAME info` and says why it failed.
func runtimeAnswers(ctx context.Context, name string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("%s: not found", name)
	}
	ctx, cancel := context.WithTimeout(ctx, infoTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "info", "--format", "{{json .}}")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	cmd.Env = os.Environ()
	err = cmd.Run()
	if err == nil {
		return nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: info did not answer within %s", name, infoTimeout)
	}
	return fmt.Errorf("%s: %s", name, whyNot(name, stderr.String(), err))
}

// whyNot turns a runtime's complaint into a reason with what to do.
func whyNot(name, stderr string, err error) string {
	msg := strings.TrimSpace(stderr)
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "permission denied"):
		return fmt.Sprintf("permission denied on the %s socket: add this user to the %s group, or run drill as a user that may use it (%s)", name, name, firstLine(msg))
	case strings.Contains(lower, "cannot connect") || strings.Contains(lower, "is the docker daemon running") || strings.Contains(lower, "connection refused") || strings.Contains(lower, "no such file or directory"):
		return fmt.Sprintf("the daemon is not running (%s)", firstLine(msg))
	case msg != "":
		return firstLine(msg)
	}
	return err.Error()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}
