// Package helm installs Helm charts with Helm's own library (pkg/action),
// in two shapes.
//
// New returns a gitops.Deployer that brings an application up in a
// sandbox. Before anything is created the chart is rendered and refused
// when any object is cluster-scoped or names a namespace other than the
// sandbox's, so a chart cannot reach production. The release is installed
// into the sandbox's namespace with the run's labels on every object, and
// its Deployments, StatefulSets, DaemonSets and Jobs are watched until
// they have rolled out (Helm's own --wait polls, which would inflate the
// measured recovery time).
//
// NewInstaller returns a gitops.Installer that installs a chart
// cluster-wide into a namespace of its own, made when missing: Argo CD for
// a full-cluster rebuild. Its CRDs and cluster RBAC are allowed (that is
// the point of a rebuild); objects aimed at any other namespace are still
// refused before anything is created. Helm installs a chart's crds/
// without its post-renderer and never removes them; the Installer creates
// them itself, labelled, and removes those it made at Uninstall, as it
// removes the release (Helm's resource-policy "keep" is dropped: a drill's
// install is thrown away whole) and the namespace it made.
package helm
