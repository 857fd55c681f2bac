package cnpg

import (
	"errors"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// PhaseHealthy is the phase of a Cluster that is up, in CloudNativePG's
// words (api/v1/cluster_types.go, v1.27).
const PhaseHealthy = "Cluster in healthy state"

// failedPhases are the phases in which the operator has given up or waits
// for a person: nobody acts on them during a drill, so waiting is useless.
var failedPhases = []string{
	"Cluster is unrecoverable and needs manual intervention",
	"Cluster cannot proceed to reconciliation due to an unknown plugin being required",
	"Cluster cannot proceed to reconciliation due to an error while interacting with plugins",
	"Cluster has incomplete or invalid image catalog",
	"Unable to create required cluster objects",
	"Waiting for user action",
	"Cluster cannot execute instance online upgrade due to missing architecture binary",
}

// status is what drill reads of a Cluster's status.
type status struct {
	Phase, Reason string
	// Instances is spec.instances; Ready is status.readyInstances.
	Instances, Ready int64
}

func readStatus(u *unstructured.Unstructured) status {
	var s status
	s.Phase, _, _ = unstructured.NestedString(u.Object, "status", "phase")
	s.Reason, _, _ = unstructured.NestedString(u.Object, "status", "phaseReason")
	s.Instances, _, _ = unstructured.NestedInt64(u.Object, "spec", "instances")
	s.Ready, _, _ = unstructured.NestedInt64(u.Object, "status", "readyInstances")
	return s
}

// errClusterFailed marks a Cluster in a failed phase.
var errClusterFailed = errors.New("the operator gave up")

// decide says whether the Cluster is ready, or failed (err).
func (s status) decide() (ready bool, err error) {
	if slices.Contains(failedPhases, s.Phase) {
		return false, fmt.Errorf("%w: %s", errClusterFailed, s)
	}
	return s.Phase == PhaseHealthy && s.Instances > 0 && s.Ready >= s.Instances, nil
}

// String is the status for people: phase, reason, instances ready.
func (s status) String() string {
	if s.Phase == "" {
		return fmt.Sprintf("no status yet, %d/%d instances ready: is the CloudNativePG operator running and watching this namespace?", s.Ready, s.Instances)
	}
	out := fmt.Sprintf("phase %q", s.Phase)
	if s.Reason != "" {
		out += " (" + s.Reason + ")"
	}
	return out + fmt.Sprintf(", %d/%d instances ready", s.Ready, s.Instances)
}
