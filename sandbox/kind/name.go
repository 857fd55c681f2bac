package kind

import "github.com/restore-drill/drill/sandbox/namespace"

// MaxName is the longest cluster name kind accepts without a warning: the
// nodes' host names add "-control-plane" and must fit 64 characters.
const MaxName = 50

// Prefix starts the name of every cluster drill makes, so that a person
// (and kind get clusters) can tell drill's clusters from others.
const Prefix = "drill"

// Name is the cluster of one run: drill-SCENARIO-SHORTID, the scenario cut
// short so that the whole fits MaxName, made as the namespace sandbox
// makes its names.
func Name(scenario, runID string) string {
	// namespace.Name keeps the prefix and the eight characters of the run
	// and cuts the scenario; cut it first to the room kind leaves.
	room := MaxName - len(Prefix) - 1 - 8 - 1
	if len(scenario) > room {
		scenario = scenario[:room]
	}
	return namespace.Name(Prefix, scenario, runID)
}
