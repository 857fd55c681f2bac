package namespace

import (
	"context"

	"github.com/restore-drill/drill/sandbox/kube"
)

// Diagnose writes the namespace's events, pod statuses and the last lines
// of each container's log into dir (see sandbox/kube.Diagnose) and returns
// the files' names relative to dir.
func (s *Sandbox) Diagnose(ctx context.Context, dir string) ([]string, error) {
	return kube.Diagnose(ctx, s.cs, s.name, dir)
}
