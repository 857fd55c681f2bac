package argocd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	applicationpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/application"
	projectpkg "github.com/argoproj/argo-cd/v2/pkg/apiclient/project"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"k8s.io/utils/ptr"
)

// deployer is one app brought up through Argo CD.
type deployer struct {
	opts    Options
	app     App
	connect func(context.Context, Options) (*clients, error)

	mu      sync.Mutex
	clients *clients
	// names are set by Up before it creates anything, so that Down finds
	// what a failed Up left.
	appName, project string
}

// New returns a Deployer for app, reaching Argo CD as opts say. It connects
// on first use.
func New(opts Options, app App) gitops.Deployer {
	return &deployer{opts: opts.withDefaults(), app: app, connect: connect}
}

func (d *deployer) client(ctx context.Context) (*clients, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.clients != nil {
		return d.clients, nil
	}
	c, err := d.connect(ctx, d.opts)
	if err != nil {
		return nil, err
	}
	d.clients = c
	return c, nil
}

func (d *deployer) names() (app, project string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.appName, d.project
}

// Up creates the project and the Application, syncs it and watches it until
// it is Synced and Healthy at the revision it synced.
func (d *deployer) Up(ctx context.Context, sb sandbox.Cluster, progress io.Writer) (gitops.Result, error) {
	kube := sb.Kube()
	if kube.Namespace == "" {
		return gitops.Result{}, errors.New("argocd: the sandbox has no namespace to deploy into")
	}
	if (d.app.FromApplication == "") == (d.app.Source == nil) {
		return gitops.Result{}, fmt.Errorf("argocd app %s: set exactly one of fromApplication and source", d.app.Name)
	}
	p := plan{
		App:       applicationName(kube.Namespace, d.app.Name),
		Project:   projectName(kube.Namespace),
		Namespace: kube.Namespace,
		Labels:    kube.Labels,
	}
	d.mu.Lock()
	d.appName, d.project = p.App, p.Project
	d.mu.Unlock()

	c, err := d.client(ctx)
	if err != nil {
		return gitops.Result{}, err
	}
	if err := d.fillSources(ctx, c, &p); err != nil {
		return gitops.Result{}, err
	}
	if _, err := c.projects.Create(ctx, &projectpkg.ProjectCreateRequest{Project: p.project(d.opts), Upsert: true}); err != nil {
		return gitops.Result{}, apiError(err, "create Argo CD project "+p.Project, d.opts)
	}
	created, err := createApplication(ctx, c.apps, p.application(d.opts))
	if err != nil {
		return gitops.Result{}, apiError(err, fmt.Sprintf("create Argo CD application %s (repositories %v)", p.App, p.repoURLs()), d.opts)
	}
	fmt.Fprintf(progress, "argocd: created application %s in project %s\n", p.App, p.Project)

	w := &watcher{apps: c.apps, name: p.App, namespace: d.opts.Namespace, project: p.Project, opts: d.opts, progress: progress}
	// Watch first, then sync: no change of the sync goes unseen.
	if err := w.open(ctx); err != nil {
		return gitops.Result{}, err
	}
	defer w.close()
	w.primed(ctx, primeWait)
	if _, err := c.apps.Sync(ctx, &applicationpkg.ApplicationSyncRequest{
		Name: ptr.To(p.App), AppNamespace: ptr.To(d.opts.Namespace), Project: ptr.To(p.Project),
	}); err != nil {
		return gitops.Result{}, apiError(err, "sync Argo CD application "+p.App, d.opts)
	}
	app, readyAt, err := w.untilReady(ctx, markOf(created))
	if err != nil {
		return gitops.Result{}, err
	}
	res := ReadyResult(app, readyAt)
	fmt.Fprintf(progress, "argocd: %s %s\n", p.App, res.Detail)
	return res, nil
}

// fillSources copies the named Application's sources, or takes the inline
// source.
func (d *deployer) fillSources(ctx context.Context, c *clients, p *plan) error {
	if d.app.Source != nil {
		p.Source = inlineSource(*d.app.Source, d.app.Revision)
		return nil
	}
	from, err := c.apps.Get(ctx, appQuery(d.app.FromApplication, d.opts.Namespace, ""))
	if isNotFound(err) || status.Code(err) == codes.PermissionDenied {
		// Argo CD says "permission denied" for an app that does not exist.
		return fmt.Errorf("argocd app %s: application %s to copy is not in Argo CD's namespace %s, or the token may not read it: check fromApplication (%v)", d.app.Name, d.app.FromApplication, d.opts.Namespace, err)
	}
	if err != nil {
		return apiError(err, "read Argo CD application "+d.app.FromApplication+" to copy", d.opts)
	}
	copySources(p, from, d.app.Revision)
	if p.Source == nil && len(p.Sources) == 0 {
		return fmt.Errorf("argocd app %s: application %s has no source to copy", d.app.Name, d.app.FromApplication)
	}
	return nil
}

// Status reads the Application now.
func (d *deployer) Status(ctx context.Context) (gitops.Status, error) {
	name, project := d.names()
	if name == "" {
		return gitops.Status{}, fmt.Errorf("argocd app %s: %w", d.app.Name, errNotUp)
	}
	c, err := d.client(ctx)
	if err != nil {
		return gitops.Status{}, err
	}
	app, err := c.apps.Get(ctx, appQuery(name, d.opts.Namespace, project))
	if err != nil {
		return gitops.Status{}, apiError(err, "read Argo CD application "+name, d.opts)
	}
	return StatusOf(app), nil
}

// Down deletes the Application with cascade, waits until Argo CD has
// deleted what it applied and the Application is gone, then deletes the
// project (which Argo CD refuses while an Application uses it).
func (d *deployer) Down(ctx context.Context) error {
	name, project := d.names()
	if name == "" {
		return nil // Up never named anything
	}
	c, err := d.client(ctx)
	if err != nil {
		return err
	}
	w := &watcher{apps: c.apps, name: name, namespace: d.opts.Namespace, project: project, opts: d.opts, progress: io.Discard}
	if err := w.open(ctx); err != nil {
		return err
	}
	defer w.close()
	_, err = c.apps.Delete(ctx, &applicationpkg.ApplicationDeleteRequest{
		Name: ptr.To(name), AppNamespace: ptr.To(d.opts.Namespace), Project: ptr.To(project), Cascade: ptr.To(true),
	})
	if err != nil && !isNotFound(err) {
		return apiError(err, "delete Argo CD application "+name, d.opts)
	}
	if err := w.untilGone(ctx); err != nil {
		return err
	}
	if _, err := c.projects.Delete(ctx, &projectpkg.ProjectQuery{Name: project}); err != nil && !isNotFound(err) {
		return apiError(err, "delete Argo CD project "+project, d.opts)
	}
	d.disconnect()
	return nil
}

// disconnect closes the connections once Down is done; a later call opens
// new ones.
func (d *deployer) disconnect() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.clients != nil {
		d.clients.close()
		d.clients = nil
	}
}

// appQuery names an Application. With its project named, Argo CD answers
// "not found" for an app that does not exist rather than "permission
// denied", which it says when it cannot tell whether the caller may know.
func appQuery(name, namespace, project string) *applicationpkg.ApplicationQuery {
	q := &applicationpkg.ApplicationQuery{Name: ptr.To(name), AppNamespace: ptr.To(namespace)}
	if project != "" {
		q.Projects = []string{project}
	}
	return q
}
