// Package gitops brings a scenario's applications up in a sandbox and takes
// them down again: behind the Deployer interface, argocd/ creates a
// temporary Argo CD Application (and an AppProject that allows only the
// sandbox's namespace) through Argo CD's own API client, and helm/ installs a
// chart with Helm's pkg/action after refusing any object outside the sandbox.
// Keeping each client behind this interface means a newer Argo CD or Helm
// client touches one package.
package gitops
