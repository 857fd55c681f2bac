package bootstrap

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/drills/gitops/argocd"
	"github.com/restore-drill/drill/sandbox/kube"
)

// upRoot creates the root Application, syncs it and watches it until it is
// Synced and Healthy: every child Application it holds has been applied.
func (p *platform) upRoot(ctx context.Context, c *clients, labels map[string]string, progress io.Writer) (*v1alpha1.Application, gitops.Result, error) {
	r := p.opts.Root
	fail := func(err error) (*v1alpha1.Application, gitops.Result, error) {
		return nil, gitops.Result{}, fmt.Errorf("root app %s: %w", r.Name, err)
	}
	if _, err := c.dyn.Resource(projectsResource).Namespace(p.opts.Namespace).Get(ctx, r.Project, metav1.GetOptions{}); apierrors.IsNotFound(err) {
		return fail(fmt.Errorf("argo cd project %s does not exist in namespace %s: create it, or set bootstrap.argocd.root.project", r.Project, p.opts.Namespace))
	} else if err != nil {
		return fail(apiError(fmt.Errorf("read argo cd project %s: %w", r.Project, err)))
	}
	obj, err := rootApplication(p.opts, labels)
	if err != nil {
		return fail(err)
	}
	apps := c.apps(p.opts.Namespace)
	p.mu.Lock()
	p.rootCreated = true // claimed first, so that Down removes what a lost answer made
	p.mu.Unlock()
	if _, err := apps.Create(ctx, obj, metav1.CreateOptions{}); apierrors.IsAlreadyExists(err) {
		if !p.rootIsOurs(ctx, c, labels) {
			p.mu.Lock()
			p.rootCreated = false
			p.mu.Unlock()
			return fail(fmt.Errorf("an application %s that this run did not create is already in namespace %s: name the root another way (bootstrap.argocd.root.name), or delete that application", r.Name, p.opts.Namespace))
		}
	} else if err != nil {
		return fail(apiError(fmt.Errorf("create it in namespace %s: %w", p.opts.Namespace, err)))
	}
	fmt.Fprintf(progress, "argocd: created root application %s (%s, path %s, revision %s)\n", r.Name, r.RepoURL, r.Path, r.Revision)

	app, readyAt, err := p.syncAndWait(ctx, c, p.opts.Namespace, r.Name, r.Revision, true, progress)
	if err != nil {
		return fail(err)
	}
	res := argocd.ReadyResult(app, readyAt)
	fmt.Fprintf(progress, "argocd: %s %s\n", r.Name, res.Detail)
	return app, res, nil
}

// rootIsOurs says whether the root already there carries this run's id.
func (p *platform) rootIsOurs(ctx context.Context, c *clients, labels map[string]string) bool {
	u, err := c.apps(p.opts.Namespace).Get(ctx, p.opts.Root.Name, metav1.GetOptions{})
	return err == nil && labels[kube.LabelRunID] != "" && u.GetLabels()[kube.LabelRunID] == labels[kube.LabelRunID]
}

// syncAndWait asks for a sync (unless the app syncs by itself) and watches
// the app until it is ready, within the app timeout.
func (p *platform) syncAndWait(ctx context.Context, c *clients, namespace, name, revision string, sync bool, progress io.Writer) (*v1alpha1.Application, time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Root.AppTimeout)
	defer cancel()
	apps := c.apps(namespace)
	token := ""
	if sync {
		var err error
		if token, err = requestSync(ctx, apps, name, revision); err != nil {
			return nil, time.Time{}, err
		}
		fmt.Fprintf(progress, "argocd: %s sync requested\n", name)
	} else {
		fmt.Fprintf(progress, "argocd: %s syncs automatically; watching it\n", name)
	}
	return untilReady(ctx, apps, name, token)
}

// readApplication reads one Application now.
func readApplication(ctx context.Context, c *clients, namespace, name string) (*v1alpha1.Application, error) {
	u, err := c.apps(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("argocd application %s is not in namespace %s", name, namespace)
	}
	if err != nil {
		return nil, apiError(fmt.Errorf("read argocd application %s: %w", name, err))
	}
	return toApplication(u)
}
