package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/restore-drill/drill/assertions"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/scenarios"
)

// existsCheck looks each object up once: it runs after every app is up and
// every restore done, when what should exist does, so waiting would only
// delay the report of a missing object.
type existsCheck struct {
	name    string
	timeout time.Duration
	objects []object
	connect connector
}

// object is an ObjectRef with its apiVersion parsed.
type object struct {
	gvk  schema.GroupVersionKind
	name string
}

func (o object) String() string { return o.gvk.Kind + "/" + o.name }

func newExistsCheck(name string, timeout time.Duration, e scenarios.ExistsCheck, connect connector) (*existsCheck, error) {
	if len(e.Objects) == 0 {
		return nil, fmt.Errorf("check %s: no objects listed: name the objects that must exist", name)
	}
	c := &existsCheck{name: name, timeout: timeout, connect: connect}
	for i, ref := range e.Objects {
		if ref.Kind == "" || ref.Name == "" || ref.APIVersion == "" {
			return nil, fmt.Errorf("check %s: object %d (%s %s) needs apiVersion, kind and name", name, i+1, ref.Kind, ref.Name)
		}
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		if err != nil {
			return nil, fmt.Errorf("check %s: object %s/%s: %w", name, ref.Kind, ref.Name, err)
		}
		c.objects = append(c.objects, object{gvk: gv.WithKind(ref.Kind), name: ref.Name})
	}
	return c, nil
}

func (c *existsCheck) expected() string {
	if len(c.objects) == 1 {
		return c.objects[0].String() + " present"
	}
	return fmt.Sprintf("%d objects present", len(c.objects))
}

// Run looks every object up, in the sandbox's namespace or, for a
// cluster-scoped kind, cluster-wide, and lists the missing ones.
func (c *existsCheck) Run(ctx context.Context, env assertions.ClusterEnv) assertions.Result {
	cl, err := c.connect(env.Kube.Config)
	if err != nil {
		return errorResult(c.expected(), err)
	}
	ctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	var missing []string
	for _, o := range c.objects {
		found, why, err := c.lookUp(ctx, cl, env.Kube.Namespace, o)
		if err != nil {
			if ctx.Err() != nil {
				r := endOfWait(ctx, c.timeout, o.String(), "looked up")
				r.Expected, r.Observed = c.expected(), "no answer"
				return r
			}
			return errorResult(c.expected(), fmt.Errorf("look up %s: %w", o, err))
		}
		if !found {
			missing = append(missing, o.String()+why)
		}
	}
	if len(missing) > 0 {
		return assertions.Result{Outcome: results.Failed, Expected: c.expected(),
			Observed: "missing: " + strings.Join(missing, ", "),
			Message:  fmt.Sprintf("%d of %d objects missing in namespace %s: %s", len(missing), len(c.objects), env.Kube.Namespace, strings.Join(missing, ", "))}
	}
	return passed(c.expected(), "all present", time.Now())
}

// lookUp gets one object. A kind the cluster does not know is missing (its
// CRD is not installed), with why saying so.
func (c *existsCheck) lookUp(ctx context.Context, cl *clients, namespace string, o object) (found bool, why string, err error) {
	m, err := cl.mapper.RESTMapping(o.gvk.GroupKind(), o.gvk.Version)
	if meta.IsNoMatchError(err) {
		return false, " (kind " + o.gvk.Kind + " in " + o.gvk.GroupVersion().String() + " unknown to the cluster)", nil
	}
	if err != nil {
		return false, "", err
	}
	res := cl.dynamic.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		_, err = res.Namespace(namespace).Get(ctx, o.name, metav1.GetOptions{})
	} else {
		_, err = res.Get(ctx, o.name, metav1.GetOptions{})
		why = " (cluster-wide)"
	}
	switch {
	case apierrors.IsNotFound(err):
		return false, why, nil
	case err != nil:
		return false, "", err
	}
	return true, "", nil
}
