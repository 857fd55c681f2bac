package gitread

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// source is one revision of one repository, and how to reach it.
type source struct {
	url, revision string
	auth          Auth
}

// errorf makes an error that names the repository and the revision and
// never holds the password, whatever the git library put into its text.
func (s source) errorf(format string, args ...any) error {
	err := fmt.Errorf("repository %s revision %s: "+format, append([]any{displayURL(s.url), s.revision}, args...)...)
	if s.auth.Password == "" || !strings.Contains(err.Error(), s.auth.Password) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), s.auth.Password, "xxxxx"))
}

// displayURL is the repository's URL with any password in it masked.
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// cleanPath makes an Argo CD source path ("./apps/", "apps", "") a path in
// the repository's tree ("apps", "" for the top).
func cleanPath(p string) (string, error) {
	c := path.Clean("/" + strings.TrimSpace(p))
	if strings.HasPrefix(strings.TrimSpace(p), "/") || strings.Contains("/"+p+"/", "/../") {
		return "", fmt.Errorf("path %q must be a directory inside the repository, relative to its top: write e.g. apps", p)
	}
	return strings.TrimPrefix(c, "/"), nil
}

// displayPath names a directory of the repository in messages.
func displayPath(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}
