package helm

import (
	"bytes"
	"context"
	"testing"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/sandbox/kube"
	"github.com/restore-drill/drill/sandbox/local/localtest"
	"k8s.io/client-go/rest"
)

type testSandbox struct {
	sandbox.Cluster
	config *rest.Config
}

func (s testSandbox) Kube() sandbox.KubeAccess {
	return sandbox.KubeAccess{Config: s.config, Namespace: testNamespace, Labels: kube.RunLabels("run-1", "billing")}
}

func TestDownAndStatusBeforeUp(t *testing.T) {
	d := New(Options{}, App{Name: "web", Chart: "testdata/web"})
	if err := d.Down(context.Background()); err != nil {
		t.Errorf("down before up: %v", err)
	}
	if _, err := d.Status(context.Background()); err == nil {
		t.Error("status before up passed")
	}
}

// A cluster that cannot be reached is an infrastructure error (exit 3), and
// Down after it has nothing to do.
func TestUnreachableClusterIsAnInfraError(t *testing.T) {
	host := "https://" + localtest.ReservePort(t).Addr()
	d := New(Options{}, App{Name: "web", Chart: "testdata/web"})
	_, err := d.Up(context.Background(), testSandbox{config: &rest.Config{Host: host}}, &bytes.Buffer{})
	if !fault.IsInfra(err) {
		t.Fatalf("up against a closed port: %v, want an infrastructure error", err)
	}
	if err := d.Down(context.Background()); err != nil {
		t.Errorf("down after an up that created nothing: %v", err)
	}
}
