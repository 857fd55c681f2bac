package scenarios

import (
	"regexp"
	"strings"
)

// maxKindName is kind's limit on a cluster's name: the nodes' host names
// add "-control-plane" and must fit 64 characters.
const maxKindName = 50

// kindNamePattern is a kind cluster name that is also a DNS name, so that
// its containers and kubeconfig context (kind-NAME) are valid everywhere.
var kindNamePattern = regexp.MustCompile(`^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$`)

func validateKind(k *KindSandbox, path string, p *problems) {
	if k.Name != "" {
		switch {
		case len(k.Name) > maxKindName:
			p.report(childPath(path, "name"), "must be at most %d characters (kind's limit: the node's host name adds -control-plane), not %d", maxKindName, len(k.Name))
		case !kindNamePattern.MatchString(k.Name):
			p.report(childPath(path, "name"), "%s is not a kind cluster name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit", quoteShort(k.Name))
		}
	}
	if k.NodeImage != "" && strings.ContainsAny(k.NodeImage, " \t\n") {
		p.report(childPath(path, "nodeImage"), "%s is not an image: write e.g. kindest/node:v1.31.14", quoteShort(k.NodeImage))
	}
}
