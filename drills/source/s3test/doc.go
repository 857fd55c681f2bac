// Package s3test starts a real S3 server on 127.0.0.1 for tests: versitygw
// with its posix backend in a temporary directory. versitygw is built from
// its own module (ci/install-deps.sh installs it into a cache directory), so
// the project's go.mod never holds it; a test skips, with the reason, when
// it is absent.
package s3test
