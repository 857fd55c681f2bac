package scenarios

import "k8s.io/apimachinery/pkg/util/validation"

// validateTargetNamespace checks a target's namespace: a namespace's name,
// and of use. An address is reached without the cluster, so only the
// Secret is read from the namespace: without a secret, a namespace beside
// an address would be silently ignored.
func validateTargetNamespace(t *PostgresTarget, path string, p *problems) {
	if t.Namespace == "" {
		return
	}
	field := childPath(path, "namespace")
	if msg := kubeProblem(t.Namespace, "namespace", validation.IsDNS1123Label(t.Namespace)); msg != "" {
		p.report(field, "%s", msg)
	}
	if t.Address != "" && t.Secret == "" {
		p.report(field, "is where service, selector and secret are looked up; with address and no secret nothing is read from it: remove namespace, or set secret to a Secret there")
	}
}

// validateTargetNamespaceSandbox refuses target namespaces in a namespace
// sandbox: there drill shares a cluster with what it protects, its apps
// are confined to the sandbox's namespace, and a database in another
// namespace is a live one, not the run's.
func validateTargetNamespaceSandbox(s *Scenario, p *problems) {
	if s.Sandbox.Kind != SandboxNamespace {
		return
	}
	for i, r := range s.Restores {
		if r.Postgres == nil || r.Postgres.Target == nil || r.Postgres.Target.Namespace == "" {
			continue
		}
		p.report(childPath(indexPath("spec.restores", i), "postgres.target.namespace"),
			"is for kind and cluster sandboxes, where the whole cluster is the run's: in a namespace sandbox the apps and their databases are in the sandbox's namespace, and another namespace holds live ones; remove namespace")
	}
}
