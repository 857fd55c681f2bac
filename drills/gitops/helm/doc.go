// Package helm brings an application up in a sandbox by installing a Helm
// chart with Helm's own library (pkg/action). Before anything is created
// the chart is rendered and refused when any object is cluster-scoped or
// names a namespace other than the sandbox's, so a chart cannot reach
// production. The release is installed into the sandbox's namespace with
// the run's labels on every object, and its Deployments, StatefulSets,
// DaemonSets and Jobs are watched until they have rolled out (Helm's own
// --wait polls, which would inflate the measured recovery time).
package helm
