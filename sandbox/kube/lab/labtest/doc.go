//go:build e2e

// Package labtest gives end-to-end tests (build tag e2e) a running lab:
// Start returns the lab that `make e2e` started (DRILL_LAB_ENV names its env
// file), or else starts one for the test and stops it when the test ends;
// StartOwn always starts a new one. Clients for the lab's API server and
// Argo CD are built from its Env. A test is skipped, with the reason, when
// the lab's programs are absent and cannot be built.
package labtest
