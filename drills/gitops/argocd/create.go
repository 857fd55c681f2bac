package argocd

import (
	"context"
	"strings"
	"time"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"k8s.io/utils/ptr"
)

// projectLagBound is how long a new Application may be refused for want of
// the project drill has just created. Argo CD's server reads projects from
// an informer, which sees the new project some milliseconds after the
// create returned; the refusal is the same vague one it gives when RBAC
// forbids the project, so it is retried only this long.
var projectLagBound = 30 * time.Second

// projectLagPause is the first pause between attempts; it doubles up to a
// second.
const projectLagPause = 50 * time.Millisecond

// createApplication creates app in the project drill has just created,
// retrying while Argo CD's server has not yet seen that project.
func createApplication(ctx context.Context, apps applicationpkg.ApplicationServiceClient, app *v1alpha1.Application) (*v1alpha1.Application, error) {
	deadline := time.Now().Add(projectLagBound)
	pause := projectLagPause
	for {
		created, err := apps.Create(ctx, &applicationpkg.ApplicationCreateRequest{Application: app, Upsert: ptr.To(true)})
		if err == nil || !projectNotSeenYet(err) || time.Now().Add(pause).After(deadline) {
			return created, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
	}
}

// projectNotSeenYet reports Argo CD's refusal of an Application whose
// project it cannot find (or may not use).
func projectNotSeenYet(err error) bool {
	s, ok := status.FromError(err)
	return ok && s.Code() == codes.InvalidArgument && strings.Contains(s.Message(), "or the project does not exist")
}
