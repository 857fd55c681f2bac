package scenarios

import (
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// resourceNamePattern is a plural, lowercase resource name: deployments.
var resourceNamePattern = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// validateEtcd checks an etcd restore; at is its field path.
func validateEtcd(e *EtcdRestore, at string, p *problems) {
	if !strings.HasPrefix(e.Prefix, "/") || strings.Contains(e.Prefix, "//") {
		p.report(childPath(at, "prefix"), "%s is not a key prefix: write it as kube-apiserver's --etcd-prefix, e.g. /registry", quoteShort(e.Prefix))
	}
	exp := childPath(at, "expect")
	if e.Expect.MinRevision < 0 {
		p.report(childPath(exp, "minRevision"), "must not be negative (got %d)", e.Expect.MinRevision)
	}
	for i, r := range e.Expect.Resources {
		item := indexPath(childPath(exp, "resources"), i)
		validateEtcdResource(r.Resource, r.Group, r.Namespace, item, p)
		if r.Min < 0 {
			p.report(childPath(item, "min"), "must not be negative (got %d)", r.Min)
		}
	}
	for i, o := range e.Expect.Objects {
		item := indexPath(childPath(exp, "objects"), i)
		validateEtcdResource(o.Resource, o.Group, o.Namespace, item, p)
		switch {
		case o.Name == "":
			p.report(childPath(item, "name"), "is required: the object's name")
		case strings.Contains(o.Name, "/"):
			p.report(childPath(item, "name"), "%s is not an object name: it holds '/' (put the namespace under namespace)", quoteShort(o.Name))
		}
	}
}

// validateEtcdResource checks what resource counts and objects share.
func validateEtcdResource(resource, group, namespace, item string, p *problems) {
	switch {
	case resource == "":
		p.report(childPath(item, "resource"), "is required: the plural resource name, e.g. deployments or secrets")
	case !resourceNamePattern.MatchString(resource):
		p.report(childPath(item, "resource"), "%s is not a resource name: write it plural and lowercase, as kubectl api-resources lists it (deployments, not Deployment; the group goes under group)", quoteShort(resource))
	}
	if group != "" {
		if msg := kubeProblem(group, "API group", validation.IsDNS1123Subdomain(group)); msg != "" {
			p.report(childPath(item, "group"), "%s", msg)
		}
	}
	if namespace != "" {
		if msg := kubeProblem(namespace, "namespace", validation.IsDNS1123Label(namespace)); msg != "" {
			p.report(childPath(item, "namespace"), "%s", msg)
		}
	}
}

// validateEtcdChecks refuses sql and rpo checks on an etcd restore: it
// restores no database to query.
func validateEtcdChecks(checks []Check, restores []Restore, p *problems) {
	etcd := make(map[string]bool)
	for _, r := range restores {
		if r.Etcd != nil {
			etcd[r.Name] = true
		}
	}
	for i, c := range checks {
		if c.Restore() == "" || !etcd[c.Restore()] {
			continue
		}
		p.report(childPath(childPath(indexPath("spec.checks", i), c.Kind()), "restore"),
			"%s is an etcd restore, which gives drill no database to query: say what the snapshot must hold under its etcd.expect", quoteShort(c.Restore()))
	}
}
