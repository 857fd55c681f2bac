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
