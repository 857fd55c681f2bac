package scenarios

import "strings"

// namespaceIDLength is the length of the run's part of a namespace's name,
// PREFIX-SCENARIO-ID; the whole must fit a namespace name's 63 characters.
const namespaceIDLength = 8

func validateNamespace(ns *NamespaceSandbox, scenario, path string, p *problems) {
	prefixPath := childPath(path, "prefix")
	if msg := checkName(ns.Prefix); msg != "" {
		p.report(prefixPath, "%s", msg)
	} else if n := len(ns.Prefix) + 1 + len(scenario) + 1 + namespaceIDLength; checkName(scenario) == "" && n > maxNameLength {
		p.report(prefixPath, "the namespace's name %s-%s-<%d characters of the run> would have %d characters, more than %d: shorten the prefix or metadata.name (together at most %d)",
			ns.Prefix, scenario, namespaceIDLength, n, maxNameLength, maxNameLength-2-namespaceIDLength)
	}
	if ns.TTL <= 0 {
		p.report(childPath(path, "ttl"), "must be positive, not %s", ns.TTL)
	}
	checkQuantities(ns.Quota, childPath(path, "quota"), p)
	if lr := ns.LimitRange; lr != nil {
		lrPath := childPath(path, "limitRange")
		if len(lr.DefaultRequest) == 0 && len(lr.Default) == 0 {
			p.report(lrPath, "set defaultRequest or default (or both), or remove limitRange")
		}
		checkQuantities(lr.DefaultRequest, childPath(lrPath, "defaultRequest"), p)
		checkQuantities(lr.Default, childPath(lrPath, "default"), p)
	}
}

// checkQuantities checks a map of resource names to quantities.
func checkQuantities(m map[string]string, path string, p *problems) {
	checkEntries(m, path, checkResourceName, checkQuantity, p)
}

// andList writes "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return "both " + items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
