package scenarios

import (
	"cmp"

	"github.com/restore-drill/drill/scenarios/v1alpha1"
)

// convertEtcd converts an etcd restore, filling in its defaults.
func convertEtcd(in *v1alpha1.EtcdRestore) *EtcdRestore {
	out := &EtcdRestore{Prefix: cmp.Or(in.Prefix, v1alpha1.DefaultEtcdPrefix)}
	e := in.Expect
	if e == nil {
		return out
	}
	out.Expect.MinRevision = int64(e.MinRevision)
	for _, r := range e.Resources {
		min := v1alpha1.DefaultEtcdMinimum
		if r.Min != nil {
			min = *r.Min
		}
		out.Expect.Resources = append(out.Expect.Resources, EtcdResourceCount{Resource: r.Resource, Group: r.Group, Namespace: r.Namespace, Min: min})
	}
	for _, o := range e.Objects {
		out.Expect.Objects = append(out.Expect.Objects, EtcdObject{Resource: o.Resource, Group: o.Group, Namespace: o.Namespace, Name: o.Name})
	}
	return out
}
