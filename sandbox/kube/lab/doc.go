// Package lab starts a real Kubernetes control plane and Argo CD on this
// machine, from programs built from Go modules (ci/lab/build.sh), for drill's
// end-to-end tests: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kwok (which plays the kubelet for one fake node: pods
// scheduled there become Running and Ready without running anything), Redis
// and the Argo CD server, repo-server and application controller, plus a
// bare git repository that Argo CD reads as file://.
//
// Every program listens on a free port of 127.0.0.1 (the application
// controller's metrics port on every address: it has no flag for that), so
// that two labs on one machine do not collide. Each runs in its own session,
// outlives the process that started it (make lab-up returns while the lab
// keeps running) and is recorded in the lab's directory by PID; Stop, or
// StopDir from another process, ends them all by those PIDs, each checked
// against its recorded start time so that a reused PID is never killed.
// Each carries DRILL_LAB_DIR (and DRILL_LAB_RUN when set) in its
// environment, so that Sweep ends every lab that one DRILL_LAB_RUN started,
// even one whose starter died.
//
// What the lab proves and what it cannot: the API server, the controllers,
// the scheduler and Argo CD are the real programs, but no container ever
// runs, so no pod does real work and nothing can be port-forwarded to a pod.
package lab
