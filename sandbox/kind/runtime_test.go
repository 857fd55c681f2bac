package kind

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
)

// fakeRuntimes puts programs named like container runtimes on PATH (and
// nothing else): each prints stderr and exits with code. They stand in for
// Docker and Podman at the process boundary.
func fakeRuntimes(t *testing.T, programs map[string]struct {
	stderr string
	code   int
}) {
	t.Helper()
	dir := t.TempDir()
	for name, p := range programs {
		script := "#!/bin/sh\nprintf '%s\\n' \"" + p.stderr + "\" >&2\nexit " + string(rune('0'+p.code)) + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

type program = struct {
	stderr string
	code   int
}

func TestDetectRuntime(t *testing.T) {
	tests := []struct {
		name     string
		programs map[string]program
		env      string
		want     string // the runtime found, or
		wantErr  []string
	}{
		{
			name:    "none installed",
			wantErr: []string{"no usable container runtime for the kind sandbox (docker: not found; podman: not found; nerdctl: not found)", "install and start Docker or Podman"},
		},
		{
			name:     "docker socket refuses the user",
			programs: map[string]program{"docker": {"permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock", 1}},
			wantErr:  []string{"docker: permission denied on the docker socket: add this user to the docker group", "podman: not found"},
		},
		{
			name:     "docker daemon not running",
			programs: map[string]program{"docker": {"Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", 1}},
			wantErr:  []string{"docker: the daemon is not running (Cannot connect to the Docker daemon at unix:///var/run/docker.sock"},
		},
		{
			name:     "docker works",
			programs: map[string]program{"docker": {"", 0}, "podman": {"", 0}},
			want:     Docker,
		},
		{
			name:     "podman when docker does not answer",
			programs: map[string]program{"docker": {"Cannot connect to the Docker daemon", 1}, "podman": {"", 0}},
			want:     Podman,
		},
		{
			name:     "the runtime kind is told to use",
			programs: map[string]program{"docker": {"", 0}},
			env:      "podman",
			wantErr:  []string{"(podman: not found)"},
		},
		{
			name:    "a runtime kind does not know",
			env:     "lxc",
			wantErr: []string{"KIND_EXPERIMENTAL_PROVIDER=lxc: kind knows docker, podman and nerdctl"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeRuntimes(t, tt.programs)
			got, err := detectRuntime(context.Background(), func(k string) string {
				if k == providerEnv {
					return tt.env
				}
				return ""
			})
			if tt.wantErr == nil {
				if err != nil || got != tt.want {
					t.Fatalf("detectRuntime = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("detectRuntime = %q, want an error", got)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// Without a usable runtime, Create refuses before kind is asked anything,
// with an infrastructure error (exit 3) that says why.
func TestCreateWithoutRuntime(t *testing.T) {
	fakeRuntimes(t, map[string]program{"docker": {"permission denied while trying to connect to the Docker daemon socket", 1}})
	t.Setenv(providerEnv, "")
	k := &fakeKind{}
	p := NewProvider(Options{})
	p.kind = func(string) clusters { return k }
	_, err := p.Create(context.Background(), run)
	if err == nil || !fault.IsInfra(err) || !strings.Contains(err.Error(), "docker: permission denied on the docker socket") {
		t.Fatalf("Create: %v, want an infrastructure error naming the docker socket", err)
	}
	if len(k.created) != 0 || len(k.deleted) != 0 {
		t.Errorf("kind created %v, deleted %v; want nothing asked", k.created, k.deleted)
	}
}
