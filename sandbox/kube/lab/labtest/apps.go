//go:build e2e

package labtest

import (
	"fmt"

	"github.com/restore-drill/drill/sandbox/kube/lab"
)

// ChildApplication is one child Application of an app-of-apps root in the
// lab's repository: its manifests in DIR/apps/NAME, deployed by the lab's
// Argo CD into a namespace of its own, NAME, which the sync creates; wave is
// its argocd.argoproj.io/sync-wave.
func ChildApplication(env lab.Env, dir, name, wave string) string {
	return fmt.Sprintf(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: %[3]s
  namespace: %[5]s
  annotations:
    argocd.argoproj.io/sync-wave: "%[4]s"
spec:
  project: default
  source: {repoURL: %[1]s, path: %[2]s/apps/%[3]s, targetRevision: %[6]s}
  destination: {server: https://kubernetes.default.svc, namespace: %[3]s}
  syncPolicy:
    syncOptions: [CreateNamespace=true]
`, env.GitURL, dir, name, wave, lab.ArgoCDNamespace, lab.GitBranch)
}
