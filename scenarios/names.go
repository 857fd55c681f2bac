package scenarios

import (
	"fmt"
	"regexp"
	"strings"
)

// Names of scenarios, restores and checks end up in directory names, labels
// of Kubernetes objects and metric labels, so they follow the strictest of
// those: a DNS-1123 label.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

const maxNameLength = 63

// checkName returns why s is not a valid name, or "".
func checkName(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) > maxNameLength:
		return fmt.Sprintf("must be at most %d characters, not %d", maxNameLength, len(s))
	case !dnsLabel.MatchString(s):
		return fmt.Sprintf("%s is not a valid name: use lowercase letters, digits and '-', starting and ending with a letter or digit", quoteShort(s))
	}
	return ""
}

// Databases and roles are restricted to the identifiers PostgreSQL takes
// without quotes and keeps as written (it folds unquoted names to lower
// case), so that the names in the scenario, in psql and in the archive
// agree without quoting rules.
var sqlIdentifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// maxIdentifierLength is PostgreSQL's NAMEDATALEN-1: longer names are cut.
const maxIdentifierLength = 63

// builtinDatabases exist in every PostgreSQL cluster; restoring into one
// would collide with it.
var builtinDatabases = []string{"postgres", "template0", "template1"}

// reservedRoles cannot be created: PUBLIC and the special role names are
// keywords, and pg_ is reserved for the server's own roles.
var reservedRoles = []string{"public", "none", "current_role", "current_user", "session_user"}

// checkIdentifier returns why s is not a usable database or role name, or "".
func checkIdentifier(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) > maxIdentifierLength:
		return fmt.Sprintf("must be at most %d characters, not %d", maxIdentifierLength, len(s))
	case !sqlIdentifier.MatchString(s):
		return fmt.Sprintf("%s is not a plain PostgreSQL identifier: use lowercase letters, digits and '_', not starting with a digit", quoteShort(s))
	}
	return ""
}

func checkDatabase(s string) string {
	if msg := checkIdentifier(s); msg != "" {
		return msg
	}
	for _, b := range builtinDatabases {
		if s == b {
			return fmt.Sprintf("%q exists in every PostgreSQL server: restore into a database of another name", s)
		}
	}
	return ""
}

func checkRole(s string) string {
	if msg := checkIdentifier(s); msg != "" {
		return msg
	}
	if strings.HasPrefix(s, "pg_") {
		return fmt.Sprintf("%q: role names starting with pg_ are reserved by PostgreSQL", s)
	}
	for _, r := range reservedRoles {
		if s == r {
			return fmt.Sprintf("%q is a reserved role name in PostgreSQL", s)
		}
	}
	return ""
}

// Label syntax is Kubernetes': records are read next to cluster objects and
// labels may be copied onto them.
var (
	labelName   = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
	dnsSubdoman = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// checkLabelKey returns why s is not a label key ("[prefix/]name"), or "".
func checkLabelKey(s string) string {
	prefix, name, hasPrefix := strings.Cut(s, "/")
	if !hasPrefix {
		prefix, name = "", s
	}
	switch {
	case hasPrefix && (prefix == "" || len(prefix) > 253 || !dnsSubdoman.MatchString(prefix)):
		return fmt.Sprintf("label key %s: the prefix before '/' must be a DNS subdomain such as example.com", quoteShort(s))
	case name == "" || len(name) > 63 || !labelName.MatchString(name):
		return fmt.Sprintf("label key %s: the name must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit", quoteShort(s))
	}
	return ""
}

// checkLabelValue returns why s is not a label value, or "".
func checkLabelValue(s string) string {
	if s != "" && (len(s) > 63 || !labelName.MatchString(s)) {
		return fmt.Sprintf("label value %s must be empty or 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit", quoteShort(s))
	}
	return ""
}
