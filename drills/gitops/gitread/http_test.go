package gitread_test

import (
	"context"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills/gitops/gitread"
)

// serveHTTP serves the repository over git's smart HTTP protocol (git
// http-backend behind net/http/cgi) to clients that give user and
// password, and returns its URL.
func serveHTTP(t *testing.T, repo *testRepo, user, password string) string {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	backend := &cgi.Handler{
		Path:       filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:        []string{"GIT_PROJECT_ROOT=" + filepath.Dir(repo.dir), "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "HOME=" + repo.dir},
		InheritEnv: []string{"PATH"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/" + filepath.Base(repo.dir)
}

// Over HTTP with a username and password: read with them, refused without
// or with a wrong password, which no error shows.
func TestChildrenOverHTTPWithPassword(t *testing.T) {
	repo := newRepo(t)
	repo.commit(platform, "platform")
	repo.git("tag", "v1.0")
	url := serveHTTP(t, repo, "drill", "s3cret-token")

	for _, rev := range []string{"main", "v1.0", ""} {
		got, err := gitread.Children(context.Background(), url, rev, "apps", gitread.Auth{Username: "drill", Password: "s3cret-token"})
		if err != nil {
			t.Fatalf("revision %q: %v", rev, err)
		}
		if len(got) != len(platformChildren) || got[0] != platformChildren[0] {
			t.Errorf("revision %q: children %+v, want %+v", rev, got, platformChildren)
		}
	}
	for name, auth := range map[string]gitread.Auth{
		"no credentials": {},
		"wrong password": {Username: "drill", Password: "wrong-password-4711"},
	} {
		_, err := gitread.Children(context.Background(), url, "main", "apps", auth)
		if err == nil || !strings.Contains(err.Error(), "repository "+url+" revision main: list its branches and tags") ||
			!strings.Contains(err.Error(), "check the URL and the credentials") {
			t.Errorf("%s: error %v, want a refusal naming the repository and revision", name, err)
			continue
		}
		t.Logf("%s: %v", name, err)
		if strings.Contains(err.Error(), "wrong-password-4711") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}
}
