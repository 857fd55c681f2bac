package drills_test

import (
	"context"
	"strings"
	"testing"

	"github.com/restore-drill/drill/drills"
	"github.com/restore-drill/drill/drills/fault"
	"github.com/restore-drill/drill/drills/restore"
	"github.com/restore-drill/drill/drills/source"
	"github.com/restore-drill/drill/results"
	"github.com/restore-drill/drill/sandbox"
	"github.com/restore-drill/drill/scenarios"
)

// probingProvider is a fake provider that can tell its capacity.
type probingProvider struct {
	*fakeProvider
	capa sandbox.Capacity
	err  error
}

func (p probingProvider) Probe(context.Context) (sandbox.Capacity, error) { return p.capa, p.err }

// inspectedMethod is a fake method whose backup says where it came from and
// how big it restores.
type inspectedMethod struct {
	fakeMethod
	insp restore.Inspection
}

func (m *inspectedMethod) Inspect(context.Context, *source.Artifact) (restore.Inspection, error) {
	return m.insp, nil
}

func TestPreflight(t *testing.T) {
	pg15 := sandbox.Capacity{PostgresVersion: "15.18", PostgresMajor: 15, Dir: "/tmp", FreeBytes: 10 << 30}
	tests := []struct {
		name   string
		capa   sandbox.Capacity
		err    error
		insp   restore.Inspection
		want   results.Outcome
		reason string
	}{
		{name: "fits", capa: pg15, insp: restore.Inspection{DumpedFrom: "15.4", RestoreBytes: 1 << 30}, want: results.Passed},
		{name: "older backup server", capa: pg15, insp: restore.Inspection{DumpedFrom: "13.2"}, want: results.Passed},
		{name: "newer backup server", capa: pg15, insp: restore.Inspection{DumpedFrom: "16.1 (Debian 16.1-1)"}, want: results.Error,
			reason: "the backup comes from PostgreSQL 16.1 (Debian 16.1-1), and this sandbox's PostgreSQL 15.18 is older: install PostgreSQL 16 or newer"},
		{name: "physical backup of the same major", capa: pg15, insp: restore.Inspection{DumpedFrom: "15.4", ExactMajor: 15}, want: results.Passed},
		{name: "physical backup of an older major", capa: pg15, insp: restore.Inspection{DumpedFrom: "14.9", ExactMajor: 14}, want: results.Error,
			reason: "the backup's data files are PostgreSQL 14's, and this sandbox runs PostgreSQL 15.18"},
		{name: "not enough disk", capa: pg15, insp: restore.Inspection{RestoreBytes: 20 << 30}, want: results.Error,
			reason: "the restores need about 20.1 GiB of disk and 10.0 GiB is free in /tmp"},
		{name: "probe fails", capa: pg15, err: fault.Infra(errRestoreTool), want: results.Error, reason: "preflight: pg_restore"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness()
			opts := h.options()
			provider := probingProvider{fakeProvider: h.provider, capa: tt.capa, err: tt.err}
			opts.Sandbox = provider
			opts.Methods = func(scenarios.Restore) (restore.Method, error) {
				return &inspectedMethod{insp: tt.insp}, nil
			}
			rec, err := drills.Run(context.Background(), scenario(t, "billing"), opts)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Outcome != tt.want || !strings.Contains(rec.Reason, tt.reason) {
				t.Errorf("outcome %s, reason %q; want %s, %q", rec.Outcome, rec.Reason, tt.want, tt.reason)
			}
			p := phase(t, rec, "preflight")
			if tt.want != results.Passed {
				if p.Outcome != results.Error || h.provider.sandbox() != nil {
					t.Errorf("preflight %s; sandbox created: %v; want an error before anything is provisioned", p.Outcome, h.provider.sandbox() != nil)
				}
				return
			}
			if p.Outcome != results.Passed || !strings.Contains(p.Message, "PostgreSQL 15.18") {
				t.Errorf("preflight phase %+v", p)
			}
		})
	}
}
