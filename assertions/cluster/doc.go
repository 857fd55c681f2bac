// Package cluster holds the checks that read a cluster sandbox rather than a
// restored database: workload (a Deployment's or StatefulSet's rollout
// complete, or every pod of a selector Ready), argocd (an app of the
// scenario Synced and Healthy), http (an answer from a URL, or from a
// Service through a port-forward) and exists (objects present).
//
// The checks that wait for something (workload, argocd, http) wait until it
// holds or the check's context ends, and record in Result.ReadyAt the moment
// it was first seen, which is what counts for the RTO. A workload is
// watched, so that moment is not late by a poll interval. What has no watch
// to offer is re-read on a short backoff: the Deployer's Status and an HTTP
// answer.
//
// When a waiting check's own timeout passes first, the check fails (what it
// waited for did not happen in the time it was given) and says what it saw
// last; when the run's deadline passes first, it timed out; when the run is
// cancelled, it was interrupted.
package cluster
