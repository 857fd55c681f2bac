package cluster

import (
	"strings"
	"testing"

	"github.com/restore-drill/drill/scenarios"
)

func TestNewRefusesWhatItCannotRun(t *testing.T) {
	for _, tc := range []struct {
		check scenarios.Check
		want  string
	}{
		{scenarios.Check{Name: "c"}, "check c: no kind set"},
		{scenarios.Check{Name: "c", SQL: &scenarios.SQLCheck{}}, "kind sql does not read the cluster"},
		{scenarios.Check{Name: "c", Workload: &scenarios.WorkloadCheck{Kind: "DaemonSet", Name: "x"}}, `kind "DaemonSet" cannot be checked by name`},
		{scenarios.Check{Name: "c", Workload: &scenarios.WorkloadCheck{}}, "neither a name nor a selector"},
		{scenarios.Check{Name: "c", Workload: &scenarios.WorkloadCheck{Kind: "Deployment", Name: "x", Selector: map[string]string{"a": "b"}}}, "both name and selector"},
		{scenarios.Check{Name: "c", ArgoCD: &scenarios.ArgoCDCheck{}}, "no app named"},
		{scenarios.Check{Name: "c", HTTP: &scenarios.HTTPCheck{}}, "neither url nor service"},
		{scenarios.Check{Name: "c", HTTP: &scenarios.HTTPCheck{URL: "ftp://x/"}}, "is not an http(s) URL"},
		{scenarios.Check{Name: "c", HTTP: &scenarios.HTTPCheck{Service: "web", Path: "status"}}, "must start with /"},
		{scenarios.Check{Name: "c", Exists: &scenarios.ExistsCheck{}}, "no objects listed"},
		{scenarios.Check{Name: "c", Exists: &scenarios.ExistsCheck{Objects: []scenarios.ObjectRef{{Kind: "Widget", Name: "w"}}}}, "needs apiVersion, kind and name"},
	} {
		_, err := New(tc.check)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error with %q", tc.check, err, tc.want)
		}
	}
}
