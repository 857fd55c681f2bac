package helm

import (
	"context"
	"fmt"
)

// Uninstall waits for a Helm install still under way, uninstalls the
// release and waits until its objects, cluster-scoped ones included, are
// gone, then removes the CRDs and the namespace Install made and waits for
// them too. Safe to call more than once, and before or after a failed or
// cancelled Install.
func (in *installer) Uninstall(ctx context.Context) error {
	in.mu.Lock()
	tg, installing, own := in.tg, in.installing, in.ownRelease
	in.mu.Unlock()
	if tg == nil {
		return nil // nothing was created
	}
	if installing != nil {
		select {
		case <-installing:
		case <-ctx.Done():
			return fmt.Errorf("helm: release %s is still being installed into namespace %s, and is not removed under Helm: %w; uninstall again once it has ended",
				in.app.Release, in.app.Namespace, ctxError(ctx))
		}
	}
	// Background, not foreground: the garbage collector learns of a
	// custom resource's kind only at its next discovery resync (30 s), so a
	// custom resource of a CRD the release just made would sit in
	// foreground deletion that long. Helm waits until each object of the
	// release is gone; their dependents (ReplicaSets, Pods) follow through
	// the garbage collector, and are waited for with the namespace when
	// Install made it.
	if own {
		rel, err := uninstall(ctx, tg.cfg, in.app.Release, in.app.Namespace, "background")
		if err != nil {
			return err
		}
		// The delete hooks have just run.
		in.addHooks(ranHooks(rel))
	}
	in.mu.Lock()
	hooks := in.hooks
	in.mu.Unlock()
	if err := in.removeHooks(ctx, hooks); err != nil {
		return err
	}
	in.mu.Lock()
	in.installed, in.installing, in.ownRelease, in.hooks = nil, nil, false, nil
	crds, ns := in.crds, in.namespace
	in.mu.Unlock()
	for _, c := range crds {
		if err := c.remove(ctx, tg.dyn); err != nil {
			return err
		}
	}
	in.mu.Lock()
	in.crds = nil
	in.mu.Unlock()
	if ns != nil {
		if err := ns.remove(ctx, tg.dyn); err != nil {
			return err
		}
	}
	in.mu.Lock()
	in.namespace = nil
	in.mu.Unlock()
	return nil
}
