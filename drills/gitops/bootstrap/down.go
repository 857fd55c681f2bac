package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/argoproj/argo-cd/v2/pkg/apis/application/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// Down removes what Up made, dependents first: the children with cascade,
// the last wave first, then the root, then the repository Secrets, then
// Argo CD itself when it was installed. It goes on after an error, so
// that one stuck app leaves no more behind than it must, and returns every
// error. Safe to call more than once.
func (p *platform) Down(ctx context.Context) error {
	c := p.clientsNow()
	var errs []error
	if c != nil {
		errs = append(errs, p.downApps(ctx, c))
		errs = append(errs, p.deleteSecrets(ctx, c))
	}
	if p.opts.Install != nil {
		if err := p.opts.Install.Uninstall(ctx); err != nil {
			errs = append(errs, fmt.Errorf("uninstall argo cd: %w", err))
		}
	}
	return errors.Join(errs...)
}

// downApps deletes the children (those Up saw, and any the root lists
// now: Up may have failed before it read them) wave by wave from the last,
// then the root.
func (p *platform) downApps(ctx context.Context, c *clients) error {
	p.mu.Lock()
	children, rootCreated := slices.Clone(p.children), p.rootCreated
	p.mu.Unlock()
	if !rootCreated {
		return nil
	}
	var errs []error
	if root, err := readApplication(ctx, c, p.opts.Namespace, p.opts.Root.Name); err == nil {
		for _, r := range root.Status.Resources {
			if r.Group == applicationsResource.Group && r.Kind == "Application" && !slices.ContainsFunc(children, func(ch child) bool { return ch.Name == r.Name }) {
				ns := r.Namespace
				if ns == "" {
					ns = p.opts.Namespace
				}
				children = append(children, child{Name: r.Name, Namespace: ns})
			}
		}
	}
	slices.SortFunc(children, byWave)
	errs = append(errs, p.labelLeftNamespaces(ctx, c, children))
	ws := waves(children)
	for i := len(ws) - 1; i >= 0; i-- {
		errs = append(errs, deleteAll(ctx, c, ws[i]))
	}
	if err := deleteApplication(ctx, c, p.opts.Namespace, p.opts.Root.Name); err != nil {
		errs = append(errs, fmt.Errorf("root app %s: %w", p.opts.Root.Name, err))
	}
	return errors.Join(errs...)
}

// labelLeftNamespaces labels the new namespaces of every child, also those
// that never got ready (a failed or interrupted Up), so that the sandbox's
// teardown removes them: Argo CD's cascade leaves them.
func (p *platform) labelLeftNamespaces(ctx context.Context, c *clients, children []child) error {
	p.mu.Lock()
	before, labels := p.before, p.labels
	p.mu.Unlock()
	var errs []error
	for _, ch := range children {
		if app, err := readApplication(ctx, c, ch.Namespace, ch.Name); err == nil {
			if err := labelNewNamespaces(ctx, c, app, labels, before, io.Discard); err != nil {
				errs = append(errs, fmt.Errorf("child app %s: %w", ch.Name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// deleteAll deletes the apps of one wave at once and waits for all.
func deleteAll(ctx context.Context, c *clients, wave []child) error {
	errs := make([]error, len(wave))
	var wg sync.WaitGroup
	for i, ch := range wave {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := deleteApplication(ctx, c, ch.Namespace, ch.Name); err != nil {
				errs[i] = fmt.Errorf("child app %s: %w", ch.Name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// deleteApplication deletes an Application with cascade, as argocd app
// delete does: with Argo CD's resources finalizer, which makes the
// controller delete what the app applied before the app goes. It waits
// until the app is gone.
func deleteApplication(ctx context.Context, c *clients, namespace, name string) error {
	apps := c.apps(namespace)
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		u, err := apps.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if u.GetDeletionTimestamp() != nil || slices.Contains(u.GetFinalizers(), v1alpha1.ResourcesFinalizerName) {
			return nil
		}
		u.SetFinalizers(append(u.GetFinalizers(), v1alpha1.ResourcesFinalizerName))
		_, err = apps.Update(ctx, u, metav1.UpdateOptions{})
		return err
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return apiError(fmt.Errorf("add the resources finalizer before deleting argocd application %s: %w", name, err))
	}
	if err := apps.Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return apiError(fmt.Errorf("delete argocd application %s: %w", name, err))
	}
	if err := untilGone(ctx, apps, namespace, name); err != nil {
		return fmt.Errorf("argocd application %s: %w", name, err)
	}
	return nil
}

// deleteSecrets deletes the repository Secrets Up made.
func (p *platform) deleteSecrets(ctx context.Context, c *clients) error {
	p.mu.Lock()
	names := slices.Clone(p.secrets)
	p.mu.Unlock()
	var errs []error
	for _, name := range names {
		err := c.kube.CoreV1().Secrets(p.opts.Namespace).Delete(ctx, name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			errs = append(errs, apiError(fmt.Errorf("delete repository Secret %s/%s: %w", p.opts.Namespace, name, err)))
		}
	}
	return errors.Join(errs...)
}

// knownChildren are the children Up found.
func (p *platform) knownChildren() []child {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.children)
}
