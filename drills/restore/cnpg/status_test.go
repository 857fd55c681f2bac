package cnpg

import (
	"errors"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func clusterWithStatus(instances int64, st map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"instances": instances}}}
	if st != nil {
		u.Object["status"] = st
	}
	return u
}

// TestDecide is the readiness decision on every kind of status.
func TestDecide(t *testing.T) {
	tests := []struct {
		name      string
		instances int64
		status    map[string]any
		ready     bool
		failed    string // part of the error; "" for none
		says      string // part of the status text
	}{
		{name: "no status: no operator", instances: 1, says: "no status yet, 0/1 instances ready: is the CloudNativePG operator running"},
		{name: "recovering", instances: 1, status: map[string]any{"phase": "Setting up primary", "phaseReason": "Creating primary instance billing-1", "readyInstances": int64(0)},
			says: `phase "Setting up primary" (Creating primary instance billing-1), 0/1 instances ready`},
		{name: "healthy", instances: 1, status: map[string]any{"phase": "Cluster in healthy state", "readyInstances": int64(1)}, ready: true},
		{name: "healthy, replicas still coming", instances: 3, status: map[string]any{"phase": "Cluster in healthy state", "readyInstances": int64(2)}},
		{name: "all ready but still creating a replica", instances: 2, status: map[string]any{"phase": "Creating a new replica", "readyInstances": int64(2)}},
		{name: "unrecoverable", instances: 1, status: map[string]any{"phase": "Cluster is unrecoverable and needs manual intervention", "phaseReason": "No pods are active"},
			failed: `the operator gave up: phase "Cluster is unrecoverable and needs manual intervention" (No pods are active)`},
		{name: "plugin missing", instances: 1, status: map[string]any{"phase": "Cluster cannot proceed to reconciliation due to an unknown plugin being required"},
			failed: "unknown plugin"},
		{name: "objects refused", instances: 1, status: map[string]any{"phase": "Unable to create required cluster objects", "phaseReason": "secrets forbidden"},
			failed: "secrets forbidden"},
		{name: "image catalog", instances: 1, status: map[string]any{"phase": "Cluster has incomplete or invalid image catalog"}, failed: "image catalog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := readStatus(clusterWithStatus(tt.instances, tt.status))
			ready, err := st.decide()
			if ready != tt.ready {
				t.Errorf("ready = %v, want %v (%s)", ready, tt.ready, st)
			}
			switch {
			case tt.failed == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.failed != "" && (err == nil || !strings.Contains(err.Error(), tt.failed) || !errors.Is(err, errClusterFailed)):
				t.Errorf("err = %v, want errClusterFailed containing %q", err, tt.failed)
			}
			if tt.says != "" && !strings.Contains(st.String(), tt.says) {
				t.Errorf("status = %q, want it to hold %q", st, tt.says)
			}
		})
	}
}
