package bootstrap

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8stesting "k8s.io/client-go/testing"
)

// Down deletes the children with cascade, the last wave first, then the
// root, then the repository Secrets, then Argo CD's release; a second Down
// deletes nothing more and passes.
func TestDownRemovesDependentsFirstAndIsIdempotent(t *testing.T) {
	f := newFakeArgo(t, "root", fakeChild{name: "a", wave: "0"}, fakeChild{name: "b", wave: "0"}, fakeChild{name: "c", wave: "1"})
	inst := &fakeInstaller{f: f}
	p := newTestPlatform(f, Options{Install: inst, Repositories: []Repository{{URL: "https://git.example.com/platform.git", Password: "s3cret"}}})
	if _, _, err := up(t, p); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := p.Down(ctx); err != nil {
		t.Fatalf("Down: %v", err)
	}
	var deletions []string
	for _, e := range f.entries() {
		if strings.HasPrefix(e, "delete ") || e == "uninstall" {
			deletions = append(deletions, e)
		}
	}
	secret := repositorySecret(testNamespace, testLabels, p.opts.Repositories[0]).Name
	pos := func(e string) int { return slices.Index(deletions, e) }
	if len(deletions) != 6 || pos("delete applications c") != 0 || pos("delete applications a") < 1 || pos("delete applications b") < 1 ||
		pos("delete applications root") != 3 || pos("delete secrets "+secret) != 4 || pos("uninstall") != 5 {
		t.Errorf("Down deleted %v; want c, then a and b, then root, then the Secret, then uninstall", deletions)
	}
	// Each child got Argo CD's resources finalizer before its deletion, so
	// that Argo CD deleted what it applied.
	for _, name := range []string{"a", "b", "c"} {
		if !finalizerAddedBeforeDelete(f, name) {
			t.Errorf("child %s was deleted without the resources finalizer", name)
		}
	}
	for _, name := range []string{"root", "a", "b", "c"} {
		if _, err := readApplication(ctx, &clients{dyn: f.dyn, kube: f.kube}, testNamespace, name); err == nil {
			t.Errorf("application %s after Down", name)
		}
	}
	if _, err := f.kube.CoreV1().Secrets(testNamespace).Get(ctx, secret, metav1.GetOptions{}); err == nil {
		t.Error("repository Secret after Down")
	}

	before := len(f.entries())
	if err := p.Down(ctx); err != nil {
		t.Fatalf("second Down: %v", err)
	}
	for _, e := range f.entries()[before:] {
		if strings.HasPrefix(e, "delete applications") {
			t.Errorf("second Down: %s", e)
		}
	}
}

// finalizerAddedBeforeDelete says whether an update gave the app the
// resources finalizer before it was deleted.
func finalizerAddedBeforeDelete(f *fakeArgo, name string) bool {
	for _, a := range f.dyn.Actions() {
		switch a := a.(type) {
		case k8stesting.UpdateAction:
			if u, ok := a.GetObject().(*unstructured.Unstructured); ok && u.GetName() == name && slices.Contains(u.GetFinalizers(), v1alpha1.ResourcesFinalizerName) {
				return true
			}
		case k8stesting.DeleteAction:
			if a.GetName() == name {
				return false
			}
		}
	}
	return false
}

// After an Up that failed before it listed the children, Down still finds
// them through the root, and removes them and the root.
func TestDownAfterAFailedUpFindsTheChildrenThroughTheRoot(t *testing.T) {
	f := newFakeArgo(t, "root", fakeChild{name: "a", wave: "0"})
	p := newTestPlatform(f, Options{})
	if _, _, err := up(t, p); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.children = nil // as if Up had stopped right after the root
	p.mu.Unlock()
	if err := p.Down(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"delete applications a", "delete applications root"} {
		if !slices.Contains(f.entries(), want) {
			t.Errorf("Down: %v, want %s", f.entries(), want)
		}
	}
}

// Down before Up, or after an Install that failed, touches no app and
// still uninstalls what the installer may have made.
func TestDownBeforeOrAfterAFailedInstall(t *testing.T) {
	f := newFakeArgo(t, "root")
	if err := newTestPlatform(f, Options{}).Down(context.Background()); err != nil {
		t.Fatalf("Down before Up: %v", err)
	}
	inst := &fakeInstaller{f: f, installErr: errTest}
	p := newTestPlatform(f, Options{Install: inst})
	rec, _, err := up(t, p)
	if err == nil || !strings.Contains(err.Error(), "install argo cd: ") {
		t.Fatalf("Up with a failing install: %v", err)
	}
	if b, ok := rec.find("begin", StepArgoCD); !ok || b.step.Kind != "helm" {
		t.Errorf("first step %+v, want kind helm", b.step)
	}
	if err := p.Down(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.entries(); !slices.Equal(got, []string{"install", "uninstall"}) {
		t.Errorf("log %v, want install then uninstall only", got)
	}
}
