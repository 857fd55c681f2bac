package bootstrap

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/retry"

	"github.com/restore-drill/drill/drills/fault"
)

// syncInfoName marks the sync operation drill asked for: Argo CD copies an
// operation's info into status.operationState, so drill tells its own sync
// from one that ran before, whatever their start times.
const syncInfoName = "restore-drill.io/sync"

// rootApplication is the root Application Up creates: the run's labels,
// Argo CD's resources finalizer (so that deleting it deletes what it
// applied), and no automated sync: drill syncs it.
func rootApplication(o Options, labels map[string]string) (*unstructured.Unstructured, error) {
	app := &v1alpha1.Application{
		TypeMeta: metav1.TypeMeta{APIVersion: applicationsResource.GroupVersion().String(), Kind: "Application"},
		ObjectMeta: metav1.ObjectMeta{
			Name:       o.Root.Name,
			Namespace:  o.Namespace,
			Labels:     maps.Clone(labels),
			Finalizers: []string{v1alpha1.ResourcesFinalizerName},
		},
		Spec: v1alpha1.ApplicationSpec{
			Project: o.Root.Project,
			Source: &v1alpha1.ApplicationSource{
				RepoURL:        o.Root.RepoURL,
				Path:           o.Root.Path,
				TargetRevision: o.Root.Revision,
			},
			Destination: v1alpha1.ApplicationDestination{Server: InClusterServer, Namespace: o.Namespace},
		},
	}
	var obj map[string]any
	if err := viaJSON(app, &obj); err != nil {
		return nil, fmt.Errorf("root app %s: %w", o.Root.Name, err)
	}
	delete(obj, "status") // the controller's to write
	return &unstructured.Unstructured{Object: obj}, nil
}

// toApplication reads an Application object into Argo CD's type. Fields
// the type does not know are dropped: it is only read.
func toApplication(u *unstructured.Unstructured) (*v1alpha1.Application, error) {
	app := &v1alpha1.Application{}
	if err := viaJSON(u.Object, app); err != nil {
		return nil, fmt.Errorf("read argocd application %s: %w", u.GetName(), err)
	}
	return app, nil
}

// viaJSON converts between Argo CD's types and unstructured objects the
// way the API server sees them: runtime's reflection-based converter
// cannot fill some of Argo CD's types.
func viaJSON(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// requestSync asks the application controller to sync the app at revision
// ("" for its own target revision) and returns the mark of that sync. The
// operation is the one Argo CD's server builds for argocd app sync (the
// app's sync options and retry, its sources); like argo-cd's
// util/argo.SetAppOperation, it refuses when an operation is already set,
// and clears the last operation's state, so that no state of an older sync
// is taken for this one's.
func requestSync(ctx context.Context, apps dynamic.ResourceInterface, name, revision string) (string, error) {
	token, err := newToken()
	if err != nil {
		return "", err
	}
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		u, err := apps.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if cur, ok := u.Object["operation"]; ok && cur != nil {
			return fmt.Errorf("an operation is already running on it: wait for it to end, or end it with argocd app terminate-op %s", name)
		}
		app, err := toApplication(u)
		if err != nil {
			return err
		}
		var op map[string]any
		if err := viaJSON(syncOperation(app, revision, token), &op); err != nil {
			return err
		}
		u.Object["operation"] = op
		unstructured.RemoveNestedField(u.Object, "status", "operationState")
		_, err = apps.Update(ctx, u, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return "", apiError(fmt.Errorf("sync argocd application %s: %w", name, err))
	}
	return token, nil
}

// syncOperation is the operation of a sync of app, marked with token.
func syncOperation(app *v1alpha1.Application, revision, token string) *v1alpha1.Operation {
	op := &v1alpha1.Operation{
		Sync:        &v1alpha1.SyncOperation{Revision: revision, Sources: app.Spec.Sources},
		InitiatedBy: v1alpha1.OperationInitiator{Username: "drill"},
		Info:        []*v1alpha1.Info{{Name: syncInfoName, Value: token}},
	}
	if p := app.Spec.SyncPolicy; p != nil {
		op.Sync.SyncOptions = p.SyncOptions
		if p.Retry != nil {
			op.Retry = *p.Retry
		}
	}
	return op
}

// ourSync is the state of the sync marked token, nil before the controller
// started it.
func ourSync(app *v1alpha1.Application, token string) *v1alpha1.OperationState {
	op := app.Status.OperationState
	if op == nil {
		return nil
	}
	for _, info := range op.Operation.Info {
		if info != nil && info.Name == syncInfoName && info.Value == token {
			return op
		}
	}
	return nil
}

func newToken() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("mark a sync: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// apiError marks an error of the cluster's API as an infrastructure error;
// a missing object is the caller's to judge.
func apiError(err error) error {
	if err == nil || apierrors.IsNotFound(err) || apierrors.IsAlreadyExists(err) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // the run's end, not the cluster's fault
	}
	return fault.Infra(err)
}
