// Package argocd brings an application up in a sandbox through Argo CD's own
// API client (pkg/apiclient): a temporary AppProject that allows only the
// sandbox's namespace and no cluster-scoped object, an Application in it
// whose destination is the sandbox, a sync, and a watch of the Application
// until it is Synced and Healthy at the synced revision. Down deletes the
// Application with cascade, waits until it is gone, then deletes the
// project.
//
// The project is the safety net: a manifest that names another namespace or
// a cluster-scoped kind is refused by Argo CD itself when it syncs, so a
// drill cannot reach production even when the application's manifests
// hard-code a namespace.
package argocd
