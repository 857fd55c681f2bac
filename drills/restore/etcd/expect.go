package etcd

import (
	"context"
	"fmt"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/scenarios"
)

// findings is what the restored etcd was seen to hold, and what it lacks.
type findings struct {
	// Revision is the store's current revision.
	Revision int64
	// Keys counts the keys under the prefix.
	Keys int64
	// Counts are one line per expected resource: "deployments: 12 (at least 5)".
	Counts []string
	// Found counts the expected objects that exist, of Objects.
	Found, Objects int
	// Misses are the expectations not met, each named.
	Misses []string
}

// inspectKeys reads the restored etcd through kv (counting only: no value
// is transferred) and compares it with exp.
func inspectKeys(ctx context.Context, kv clientv3.KV, prefix string, exp scenarios.EtcdExpect) (findings, error) {
	var f findings
	root := strings.TrimSuffix(prefix, "/") + "/"
	total, err := kv.Get(ctx, root, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return f, readError(ctx, "count the keys under "+root, err)
	}
	f.Revision, f.Keys = total.Header.Revision, total.Count
	if exp.MinRevision > 0 && f.Revision < exp.MinRevision {
		f.Misses = append(f.Misses, fmt.Sprintf("revision %d, expected at least %d", f.Revision, exp.MinRevision))
	}
	for _, r := range exp.Resources {
		key := resourcePrefix(prefix, r.Group, r.Resource, r.Namespace)
		resp, err := kv.Get(ctx, key, clientv3.WithPrefix(), clientv3.WithCountOnly())
		if err != nil {
			return f, readError(ctx, "count the keys under "+key, err)
		}
		name := resourceName(r)
		f.Counts = append(f.Counts, fmt.Sprintf("%s: %d (at least %d)", name, resp.Count, r.Min))
		if resp.Count < int64(r.Min) {
			f.Misses = append(f.Misses, fmt.Sprintf("%s: %d, expected at least %d (keys under %s)", name, resp.Count, r.Min, key))
		}
	}
	f.Objects = len(exp.Objects)
	for _, o := range exp.Objects {
		key := objectKey(prefix, o.Group, o.Resource, o.Namespace, o.Name)
		resp, err := kv.Get(ctx, key, clientv3.WithCountOnly())
		if err != nil {
			return f, readError(ctx, "read "+key, err)
		}
		if resp.Count == 0 {
			f.Misses = append(f.Misses, fmt.Sprintf("%s: not found (no key %s)", objectName(o), key))
			continue
		}
		f.Found++
	}
	return f, nil
}

// readError is a failed read of the local etcd: the drill's machinery,
// not the snapshot, unless the run itself ended.
func readError(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return fault.Infra(fmt.Errorf("%s in the restored etcd: %w", what, err))
}

// resourceName is "deployments" or "deployments in shop".
func resourceName(r scenarios.EtcdResourceCount) string {
	name := qualified(r.Group, r.Resource)
	if r.Namespace != "" {
		name += " in " + r.Namespace
	}
	return name
}

// objectName is "secrets kube-system/x" or "namespaces shop".
func objectName(o scenarios.EtcdObject) string {
	name := o.Name
	if o.Namespace != "" {
		name = o.Namespace + "/" + name
	}
	return qualified(o.Group, o.Resource) + " " + name
}

// qualified names a resource as kubectl does: deployments, or
// applications.argoproj.io for a group outside Kubernetes' own.
func qualified(group, resource string) string {
	if builtinGroups[group] {
		return resource
	}
	return resource + "." + group
}

// summary is the findings in one line.
func (f findings) summary(prefix string) string {
	parts := []string{fmt.Sprintf("revision %d", f.Revision), fmt.Sprintf("%d keys under %s", f.Keys, prefix)}
	parts = append(parts, f.Counts...)
	if f.Objects > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d objects found", f.Found, f.Objects))
	}
	return strings.Join(parts, ", ")
}
