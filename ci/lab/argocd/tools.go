//go:build tools

// Package argocd pins the Argo CD program the e2e lab runs: one binary whose
// name (argv[0]) picks the component (argocd-server, argocd-repo-server,
// argocd-application-controller).
package argocd

import _ "github.com/argoproj/argo-cd/v2/cmd"
