package app

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// maskInGitHub asks a GitHub Actions runner to hide each secret from the
// job's log (::add-mask::) before drill uses it. GitHub masks the secrets it
// hands out itself, but not one that reached drill another way, such as a
// password in a URL taken from a repository variable. Outside GitHub
// Actions nothing is written: a secret is never printed.
func maskInGitHub(w io.Writer, secrets ...string) {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	for _, s := range secrets {
		if s != "" {
			fmt.Fprintf(w, "::add-mask::%s\n", s)
		}
	}
}

// urlPassword is the password in a URL's user information, if any.
func urlPassword(raw string) string {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
