package s3test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
)

// Version is the versitygw release the tests run against.
const Version = "v1.8.0"

// Binary finds versitygw: $DRILL_VERSITYGW, then the cache directory
// ci/install-deps.sh installs into ($XDG_CACHE_HOME or ~/.cache, then
// drill/tools/versitygw-VERSION), then PATH.
func Binary() (string, error) {
	if p := os.Getenv("DRILL_VERSITYGW"); p != "" {
		return p, nil
	}
	if cache, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(cache, "drill", "tools", "versitygw-"+Version, "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	return "", errors.New("versitygw " + Version + " is not installed: run ci/install-deps.sh, or set DRILL_VERSITYGW to its path")
}
