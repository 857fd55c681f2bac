// Package kind is the kind sandbox: a new Kubernetes cluster made with kind
// (sigs.k8s.io/kind/pkg/cluster, Kubernetes in Docker or Podman) for one
// run, and deleted after it. It is the place for a full-cluster rebuild:
// nothing in it existed before the run started.
//
// Create refuses at once, as an infrastructure error, when no container
// runtime answers (docker, podman or nerdctl; KIND_EXPERIMENTAL_PROVIDER
// picks one as kind's command line does), saying why: the program is not
// installed, its daemon is not running, or its socket refuses this user.
// The cluster is named drill-SCENARIO-SHORTID (kind allows 50 characters),
// or as the scenario says. Its kubeconfig is written to a private file of
// the run (0600, in a 0700 temporary directory removed at teardown), never
// to the user's kubeconfig. kind's own progress lines go to the run's
// progress.
//
// Inside the new cluster the run works as in the cluster sandbox
// (sandbox/cluster): a labelled namespace PREFIX-SCENARIO-SHORTID for
// drill's own objects and PostgreSQL targets, diagnostics of the run's
// namespaces and kube-system. Destroy deletes the whole cluster; Keep
// (drill run --retain) keeps it and says how to reach and delete it.
package kind
