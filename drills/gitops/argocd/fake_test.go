package argocd

import (
	"context"
	"sync"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	projectpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/project"
	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"k8s.io/apimachinery/pkg/watch"
)

// fakeArgoCD stands in for Argo CD's server at the gRPC boundary: it keeps
// one project and one Application and streams the changes a test makes.
type fakeArgoCD struct {
	mu       sync.Mutex
	project  *v1alpha1.AppProject
	app      *v1alpha1.Application
	original *v1alpha1.Application // what fromApplication reads
	watchers []chan *v1alpha1.ApplicationWatchEvent
	calls    []string
	// projectLag is how many Application creates are refused, as Argo CD's
	// server does until its informer has seen the new project.
	projectLag int
	// onSync and onDelete play the controller.
	onSync, onDelete func(f *fakeArgoCD)
}

func (f *fakeArgoCD) clients() *clients {
	return &clients{apps: appClient{f: f}, projects: projectClient{f: f}}
}

// appClient and projectClient are the two services; the methods drill
// never calls are left to the embedded nil interfaces (they would panic).
type appClient struct {
	applicationpkg.ApplicationServiceClient
	f *fakeArgoCD
}

type projectClient struct {
	projectpkg.ProjectServiceClient
	f *fakeArgoCD
}

func (f *fakeArgoCD) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

// set replaces the Application and sends the change to every watcher.
func (f *fakeArgoCD) set(app *v1alpha1.Application, typ watch.EventType) {
	f.mu.Lock()
	if typ == watch.Deleted {
		f.app = nil
	} else {
		f.app = app.DeepCopy()
	}
	watchers := f.watchers
	f.mu.Unlock()
	for _, w := range watchers {
		w <- &v1alpha1.ApplicationWatchEvent{Type: typ, Application: *app.DeepCopy()}
	}
}

func notFound() error { return status.Error(codes.NotFound, "not found") }

func (a appClient) Get(_ context.Context, q *applicationpkg.ApplicationQuery, _ ...grpc.CallOption) (*v1alpha1.Application, error) {
	a.f.record("get " + q.GetName())
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	if a.f.original != nil && q.GetName() == a.f.original.Name {
		return a.f.original.DeepCopy(), nil
	}
	if a.f.app == nil || a.f.app.Name != q.GetName() {
		return nil, notFound()
	}
	return a.f.app.DeepCopy(), nil
}

func (a appClient) Create(_ context.Context, r *applicationpkg.ApplicationCreateRequest, _ ...grpc.CallOption) (*v1alpha1.Application, error) {
	a.f.record("create application " + r.Application.Name)
	a.f.mu.Lock()
	defer a.f.mu.Unlock()
	if a.f.projectLag > 0 || a.f.project == nil || a.f.project.Name != r.Application.Spec.Project {
		a.f.projectLag--
		return nil, status.Errorf(codes.InvalidArgument, "app is not allowed in project %q, or the project does not exist", r.Application.Spec.Project)
	}
	a.f.app = r.Application.DeepCopy()
	return r.Application.DeepCopy(), nil
}

func (a appClient) Sync(_ context.Context, r *applicationpkg.ApplicationSyncRequest, _ ...grpc.CallOption) (*v1alpha1.Application, error) {
	a.f.record("sync " + r.GetName())
	if a.f.onSync != nil {
		go a.f.onSync(a.f)
	}
	return nil, nil
}

func (a appClient) Delete(_ context.Context, r *applicationpkg.ApplicationDeleteRequest, _ ...grpc.CallOption) (*applicationpkg.ApplicationResponse, error) {
	a.f.record("delete application " + r.GetName())
	a.f.mu.Lock()
	exists := a.f.app != nil
	a.f.mu.Unlock()
	if !exists {
		return nil, notFound()
	}
	if a.f.onDelete != nil {
		go a.f.onDelete(a.f)
	}
	return &applicationpkg.ApplicationResponse{}, nil
}

func (a appClient) Watch(ctx context.Context, q *applicationpkg.ApplicationQuery, _ ...grpc.CallOption) (applicationpkg.ApplicationService_WatchClient, error) {
	ch := make(chan *v1alpha1.ApplicationWatchEvent, 16)
	a.f.mu.Lock()
	// As Argo CD's server does: the app as it is now, then its changes.
	if a.f.app != nil && a.f.app.Name == q.GetName() {
		ch <- &v1alpha1.ApplicationWatchEvent{Type: watch.Added, Application: *a.f.app.DeepCopy()}
	}
	a.f.watchers = append(a.f.watchers, ch)
	a.f.mu.Unlock()
	return &fakeStream{ctx: ctx, events: ch}, nil
}

func (c projectClient) Create(_ context.Context, r *projectpkg.ProjectCreateRequest, _ ...grpc.CallOption) (*v1alpha1.AppProject, error) {
	c.f.record("create project " + r.Project.Name)
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	c.f.project = r.Project.DeepCopy()
	return r.Project, nil
}

func (c projectClient) Delete(_ context.Context, q *projectpkg.ProjectQuery, _ ...grpc.CallOption) (*projectpkg.EmptyResponse, error) {
	c.f.record("delete project " + q.Name)
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if c.f.app != nil {
		return nil, status.Error(codes.InvalidArgument, "project is referenced by 1 applications")
	}
	if c.f.project == nil {
		return nil, notFound()
	}
	c.f.project = nil
	return &projectpkg.EmptyResponse{}, nil
}

type fakeStream struct {
	grpc.ClientStream
	ctx    context.Context
	events chan *v1alpha1.ApplicationWatchEvent
}

func (s *fakeStream) Recv() (*v1alpha1.ApplicationWatchEvent, error) {
	select {
	case ev := <-s.events:
		return ev, nil
	case <-s.ctx.Done():
		return nil, status.FromContextError(s.ctx.Err()).Err()
	}
}
