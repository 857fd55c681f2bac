package kube

// Labels and annotations on everything a run creates in a cluster. Cleanup
// finds leftovers by LabelManagedBy and never touches an object without it.
const (
	// LabelManagedBy is set to ManagedBy.
	LabelManagedBy = "app.kubernetes.io/managed-by"
	ManagedBy      = "drill"
	// LabelRunID holds the run's id.
	LabelRunID = "restore-drill.io/run-id"
	// LabelScenario holds the scenario's name.
	LabelScenario = "restore-drill.io/scenario"
	// AnnotationExpires is when the sandbox may be removed by drill cleanup
	// whatever its run's state (RFC 3339).
	AnnotationExpires = "restore-drill.io/expires-at"
	// AnnotationHeartbeat is renewed (RFC 3339) while the run is alive; a
	// stale heartbeat means the run is gone.
	AnnotationHeartbeat = "restore-drill.io/heartbeat"
	// AnnotationRetained is set (RFC 3339, when) on a sandbox that its run
	// kept on purpose (--retain): its heartbeat has stopped, but only its
	// expiry, or a person naming it, makes it a leftover.
	AnnotationRetained = "restore-drill.io/retained"
)

// RunLabels are the labels of everything one run creates.
func RunLabels(runID, scenario string) map[string]string {
	return map[string]string{LabelManagedBy: ManagedBy, LabelRunID: runID, LabelScenario: scenario}
}
