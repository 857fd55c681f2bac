//go:build e2e

package gitopstest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/restore-drill/drill/drills/gitops"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// DownAtEnd takes the app down when the test ends, whatever happened.
func DownAtEnd(t *testing.T, d gitops.Deployer) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := d.Down(ctx); err != nil {
			t.Errorf("down: %v", err)
		}
	})
}

// AssertWebGone fails unless the test app's objects (Deployment and
// Service web, ConfigMap web-config) are gone from the namespace.
func AssertWebGone(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns string) {
	t.Helper()
	for what, get := range map[string]func() error{
		"deployment web": func() error { _, err := cs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{}); return err },
		"service web":    func() error { _, err := cs.CoreV1().Services(ns).Get(ctx, "web", metav1.GetOptions{}); return err },
		"config map web-config": func() error {
			_, err := cs.CoreV1().ConfigMaps(ns).Get(ctx, "web-config", metav1.GetOptions{})
			return err
		},
	} {
		if err := get(); !apierrors.IsNotFound(err) {
			t.Errorf("%s in %s after Down: %v, want not found", what, ns, err)
		}
	}
}

// Writer sends progress lines to the test log.
type Writer struct{ T *testing.T }

func (w Writer) Write(p []byte) (int, error) {
	w.T.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
