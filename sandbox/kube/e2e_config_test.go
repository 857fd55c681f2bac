//go:build e2e

package kube_test

import (
	"context"
	"testing"
	"time"

	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/kube/lab/labtest"
)

// The lab's kubeconfig (client certificates, a private CA) loads through
// KUBECONFIG as kubectl would read it, and its API server answers.
func TestE2ELoadAndReach(t *testing.T) {
	env := labtest.Start(t)
	t.Setenv("KUBECONFIG", env.Kubeconfig)
	cfg, ns, err := kube.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	if ns != "default" {
		t.Errorf("namespace %q, want default", ns)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := kube.Reachable(ctx, cfg); err != nil {
		t.Fatal(err)
	}
}
