// Package bootstrap brings a whole platform back into a rebuilt cluster the
// way a real rebuild does, as a gitops.Platform: Argo CD first (installed
// by a gitops.Installer, or found already running), then the repository
// credentials it needs (labelled Secrets in its namespace), then one root
// Application (app-of-apps) whose child Applications are synced and
// watched wave by wave (argocd.argoproj.io/sync-wave, lowest first) until
// each is Synced and Healthy.
//
// It talks to Argo CD only through the Kubernetes API: Applications are
// created, synced and read as objects, so a freshly installed Argo CD needs
// no login or token. A sync is asked for as `argocd app sync --core` does:
// by setting the Application's operation field, which the application
// controller picks up, runs and reports in status.operationState. Every
// wait is a watch, not a poll, so the measured recovery time is not
// inflated by a poll interval.
//
// Down deletes the children with cascade (last wave first, so that what a
// later wave built on goes before what it built on), then the root, then
// the repository Secrets, then what the Installer made. Namespaces the
// children created are labelled with the run's labels when each child is
// ready, so that the sandbox's teardown and drill cleanup remove them:
// Argo CD never deletes a namespace that CreateNamespace=true made.
package bootstrap
