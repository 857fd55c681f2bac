package v1alpha1

import (
	"reflect"
	"testing"
)

func TestSetDefaults(t *testing.T) {
	jobs := func(n int) *int { return &n }
	tests := []struct {
		name string
		in   ScenarioSpec
		want ScenarioSpec
	}{
		{
			name: "everything left out",
			in: ScenarioSpec{
				Restores: []Restore{{Name: "a", Postgres: &PostgresRestore{Database: "a"}}, {Name: "b"}},
				Checks:   []Check{{Name: "c"}},
			},
			want: ScenarioSpec{
				Timeout:  "1h",
				Restores: []Restore{{Name: "a", Postgres: &PostgresRestore{Database: "a", Jobs: jobs(1)}}, {Name: "b"}},
				Checks:   []Check{{Name: "c", Timeout: "5m"}},
			},
		},
		{
			name: "set values kept, invalid ones too",
			in: ScenarioSpec{
				Timeout:  "0s",
				Restores: []Restore{{Name: "a", Postgres: &PostgresRestore{Database: "a", Jobs: jobs(0)}}},
				Checks:   []Check{{Name: "c", Timeout: "30s"}},
			},
			want: ScenarioSpec{
				Timeout:  "0s",
				Restores: []Restore{{Name: "a", Postgres: &PostgresRestore{Database: "a", Jobs: jobs(0)}}},
				Checks:   []Check{{Name: "c", Timeout: "30s"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertDefaults(t, tt.in, tt.want) })
	}
}

// assertDefaults checks that SetDefaults turns in into want.
func assertDefaults(t *testing.T, in, want ScenarioSpec) {
	t.Helper()
	s := &Scenario{Spec: in}
	SetDefaults(s)
	if !reflect.DeepEqual(s.Spec, want) {
		t.Errorf("SetDefaults:\n got %+v\nwant %+v", s.Spec, want)
	}
}
