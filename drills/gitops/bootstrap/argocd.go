package bootstrap

import (
	"context"
	"fmt"
	"io"
	"slices"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/gitops"
	"github.com/restore-drill/drill/sandbox"
)

// argoCD is the first step: install Argo CD, or find it, and in both cases
// check that it is there to take Applications.
func (p *platform) argoCD(ctx context.Context, c *clients, kube sandbox.KubeAccess, progress io.Writer) (gitops.Result, error) {
	var res gitops.Result
	if p.opts.Install != nil {
		var err error
		if res, err = p.opts.Install.Install(ctx, kube, progress); err != nil {
			return gitops.Result{}, fmt.Errorf("install argo cd: %w", err)
		}
	}
	if err := checkArgoCD(ctx, c, p.opts.Namespace); err != nil {
		return gitops.Result{}, err
	}
	if p.opts.Install != nil {
		return res, nil
	}
	fmt.Fprintf(progress, "bootstrap: Argo CD found in namespace %s\n", p.opts.Namespace)
	return gitops.Result{Kind: kindArgoCD, Detail: "Argo CD found in namespace " + p.opts.Namespace}, nil
}

// checkArgoCD says what is missing for Argo CD to take Applications: its
// Application CRD, or its namespace.
func checkArgoCD(ctx context.Context, c *clients, namespace string) error {
	gv := applicationsResource.GroupVersion().String()
	list, err := c.kube.Discovery().ServerResourcesForGroupVersion(gv)
	if err != nil && !apierrors.IsNotFound(err) {
		return apiError(fmt.Errorf("find Argo CD's Application CRD (%s): %w", gv, err))
	}
	if list == nil || !slices.ContainsFunc(list.APIResources, func(r metav1.APIResource) bool { return r.Name == applicationsResource.Resource }) {
		return fault.Infra(fmt.Errorf("argo cd is not in the cluster: the Application CRD (applications.argoproj.io, %s) is not served; install Argo CD first, or let drill install it (bootstrap.argocd.install)", gv))
	}
	if _, err := c.kube.CoreV1().Namespaces().Get(ctx, namespace, metav1.GetOptions{}); apierrors.IsNotFound(err) {
		return fault.Infra(fmt.Errorf("argo cd's namespace %s does not exist: set bootstrap.argocd.namespace to the namespace Argo CD runs in", namespace))
	} else if err != nil {
		return apiError(fmt.Errorf("read Argo CD's namespace %s: %w", namespace, err))
	}
	return nil
}
