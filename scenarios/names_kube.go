package scenarios

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Names of Kubernetes objects are checked with Kubernetes' own rules, so
// that a scenario the loader accepts never fails at the API server.

// kubeProblem turns the messages of a k8s.io validation function into one
// problem text, or "" when there are none.
func kubeProblem(value, what string, errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	return fmt.Sprintf("%s is not a valid %s: %s", quoteShort(value), what, strings.Join(errs, "; "))
}

// checkObjectName checks the name of a Secret, ServiceAccount, Deployment
// and most other objects: a DNS-1123 subdomain.
func checkObjectName(s string) string {
	return kubeProblem(s, "object name", validation.IsDNS1123Subdomain(s))
}

// checkServiceName checks a Service's name: a DNS-1035 label.
func checkServiceName(s string) string {
	return kubeProblem(s, "Service name", validation.IsDNS1035Label(s))
}

// checkSecretKey checks a key of a Secret or ConfigMap.
func checkSecretKey(s string) string {
	return kubeProblem(s, "Secret key", validation.IsConfigMapKey(s))
}

// checkContainerEnvName checks the name of a container's environment
// variable, as Kubernetes takes it.
func checkContainerEnvName(s string) string {
	return kubeProblem(s, "environment variable name", validation.IsEnvVarName(s))
}

// shellEnvName is the name of a variable drill reads from its own
// environment: what a shell can export.
var shellEnvName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func checkEnvName(s string) string {
	if !shellEnvName.MatchString(s) {
		return fmt.Sprintf("%s is not an environment variable name: use letters, digits and '_', not starting with a digit", quoteShort(s))
	}
	return ""
}

// checkResourceName checks a resource name of a quota or limit range, such
// as cpu, requests.memory or count/deployments.apps.
func checkResourceName(s string) string {
	return kubeProblem(s, "resource name", validation.IsQualifiedName(s))
}

// checkQuantity checks a resource quantity such as 500m or 8Gi.
func checkQuantity(s string) string {
	q, err := resource.ParseQuantity(s)
	switch {
	case err != nil:
		return fmt.Sprintf("%s is not a quantity: write e.g. 500m, 2, 8Gi", quoteShort(s))
	case q.Sign() < 0:
		return fmt.Sprintf("%s must not be negative", quoteShort(s))
	}
	return ""
}

// checkEntries reports the problems of each key and value of m, in key
// order, at path[key].
func checkEntries(m map[string]string, path string, checkKey, checkValue func(string) string, p *problems) {
	for _, k := range sortedKeys(m) {
		if msg := checkKey(k); msg != "" {
			p.report(keyPath(path, k), "%s", msg)
		}
		if msg := checkValue(m[k]); msg != "" {
			p.report(keyPath(path, k), "%s", msg)
		}
	}
}

// checkLabels reports the problems of labels or a label selector.
func checkLabels(labels map[string]string, path string, p *problems) {
	checkEntries(labels, path, checkLabelKey, checkLabelValue, p)
}

// checkPort returns why port is not a TCP port, or "".
func checkPort(port int) string {
	if port < 1 || port > 65535 {
		return fmt.Sprintf("must be between 1 and 65535 (got %d)", port)
	}
	return ""
}

// checkHostPort checks an address written as host:port.
func checkHostPort(s string) string {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return fmt.Sprintf("%s is not host:port: write e.g. 127.0.0.1:5432 or db.example.com:5432", quoteShort(s))
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("%s: the port must be a number between 1 and 65535", quoteShort(s))
	}
	return ""
}

// checkURL checks a URL with one of schemes and a host.
func checkURL(s string, schemes ...string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Sprintf("%s is not a URL: %v", quoteShort(s), err)
	case !slices.Contains(schemes, u.Scheme):
		return fmt.Sprintf("%s must start with %s", quoteShort(s), orList(schemes, "://"))
	case u.Host == "":
		return fmt.Sprintf("%s names no host", quoteShort(s))
	}
	return ""
}

// orList writes "a://, b:// or c://".
func orList(items []string, suffix string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it + suffix
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
